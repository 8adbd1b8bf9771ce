import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Ui

// The values of the device under the mouse in the field.
Rectangle {
    id: root

    property var info: ({})

    implicitWidth: grid.implicitWidth + 2 * Theme.spacing
    implicitHeight: grid.implicitHeight + 2 * Theme.spacing
    radius: Theme.radius
    color: Theme.panel
    border.color: Theme.border
    opacity: 0.96

    function beaconText(i) {
        if (!info.beacons || info.beacons[i] === undefined || info.beacons[i] === null)
            return qsTr("not heard")
        return qsTr("%1 dBm").arg(info.beacons[i].toFixed(0))
    }

    GridLayout {
        id: grid
        anchors.centerIn: parent
        columns: 2
        columnSpacing: Theme.spacing
        rowSpacing: 2

        Label {
            text: root.info.replayed ? qsTr("%1 · replay").arg(root.info.id) : (root.info.id || "")
            font.bold: true
            color: root.info.replayed ? Theme.replay : Theme.text
            Layout.columnSpan: 2
        }
        Label { text: qsTr("accel"); color: Theme.subtleText }
        Label {
            color: Theme.text
            text: root.info.id ? qsTr("%1, %2, %3 g").arg(root.info.ax.toFixed(2)).arg(root.info.ay.toFixed(2)).arg(root.info.az.toFixed(2)) : ""
        }
        Label { text: qsTr("NW / NE"); color: Theme.subtleText }
        Label { text: root.beaconText(0) + " / " + root.beaconText(1); color: Theme.text }
        Label { text: qsTr("SE / SW"); color: Theme.subtleText }
        Label { text: root.beaconText(2) + " / " + root.beaconText(3); color: Theme.text }
        Label { text: qsTr("rate"); color: Theme.subtleText }
        Label {
            color: Theme.text
            text: root.info.id ? qsTr("%1 Hz, %2 taps").arg(root.info.rate.toFixed(1)).arg(root.info.taps) : ""
        }
        Label { text: qsTr("LED"); color: Theme.subtleText }
        Label {
            color: Theme.text
            text: root.info.ledKnown ? qsTr("%1 %2").arg(root.info.ledPattern).arg(root.info.led)
                  : root.info.ledPattern ? qsTr("%1, colour unknown").arg(root.info.ledPattern)
                  : qsTr("unknown (not commanded)")
        }
    }
}
