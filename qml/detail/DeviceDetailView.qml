import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// One device up close: live acceleration and beacon plots over the last 30 s, the raw frame,
// its values, and the commands this console sent to it with their results.
Rectangle {
    id: root

    required property DeviceStore store
    required property CommandController commands
    property string deviceId: store.currentId

    // private
    property var info: ({})
    property var sentCommands: []
    property var ring: [] // the six LEDs as the firmware draws them now (predicted)

    color: Theme.window

    function refresh() {
        root.info = root.deviceId.length > 0 ? root.store.deviceInfo(root.deviceId) : ({})
        root.ring = root.deviceId.length > 0 ? root.store.predictedRing(root.deviceId) : []
        root.sentCommands = root.deviceId.length > 0 ? root.commands.historyFor(root.deviceId) : []
    }

    function beaconText(i) {
        if (!root.info.beacons || root.info.beacons[i] === undefined || root.info.beacons[i] === null)
            return qsTr("not heard")
        return qsTr("%1 dBm (byte %2)").arg(root.info.beacons[i].toFixed(1)).arg(root.info.beaconBytes[i])
    }

    onDeviceIdChanged: refresh()
    onVisibleChanged: refresh()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing

            Label {
                text: qsTr("Device")
                color: Theme.subtleText
            }
            ComboBox {
                id: chooser
                objectName: "detailDeviceChooser"
                Layout.preferredWidth: Theme.deviceChooserWidth
                model: root.store.ids()
                displayText: root.deviceId.length > 0 ? root.deviceId : qsTr("choose…")
                onActivated: index => root.store.currentId = textAt(index)
                onPressedChanged: if (pressed) model = root.store.ids()
                Hint { text: qsTr("Pick a device; clicking one in the field or the table also shows it here") }
            }
            StatusDot {
                size: Theme.ledDotSize
                visible: root.info.id !== undefined
                color: root.info.ledKnown ? root.info.led : Theme.fieldUnknown
                border.color: Theme.border
            }
            Label {
                objectName: "detailReplayBadge"
                visible: root.info.replayed === true
                text: qsTr("replay")
                color: Theme.panel
                font.bold: true
                leftPadding: Theme.smallSpacing
                rightPadding: Theme.smallSpacing
                background: Rectangle { color: Theme.replay; radius: Theme.radius }
                Hint { text: qsTr("Replayed by this console: no relay knows this device, so commands are not sent to it") }
            }
            Label {
                objectName: "detailStatus"
                color: root.info.stale ? Theme.stateWarning : Theme.text
                text: root.info.id === undefined
                      ? (root.deviceId.length > 0 ? qsTr("%1 is not connected").arg(root.deviceId) : qsTr("Click a device in the field or the table to see it here."))
                      : qsTr("%1 Hz · %2 frames · %3 taps · silent %4 s%5")
                        .arg(root.info.rate.toFixed(1)).arg(root.info.frames).arg(root.info.taps)
                        .arg((root.info.silentMs / 1000).toFixed(1)).arg(root.info.stale ? qsTr(" (stale)") : "")
            }
            Item { Layout.fillWidth: true }
            Button {
                objectName: "detailSelectButton"
                text: qsTr("Select only this")
                enabled: root.info.id !== undefined
                onClicked: root.store.selectOnly(root.deviceId)
            }
        }

        GridLayout {
            Layout.fillWidth: true
            columns: 4
            columnSpacing: Theme.largeSpacing
            rowSpacing: 2
            visible: root.info.id !== undefined

            Label { text: qsTr("Raw frame"); color: Theme.subtleText }
            TextEdit {
                objectName: "rawFrame"
                readOnly: true
                selectByMouse: true
                text: root.info.raw || ""
                color: Theme.text
                font.family: Theme.monoFont
                font.pixelSize: Theme.fontSize + 1
            }
            Label { text: qsTr("Position"); color: Theme.subtleText }
            Label {
                color: Theme.text
                text: root.info.hasPosition ? qsTr("%1 m, %2 m from NW").arg((root.info.x / 100).toFixed(2)).arg((root.info.y / 100).toFixed(2)) : qsTr("unknown (fewer than 3 beacons)")
            }
            Label { text: qsTr("Acceleration"); color: Theme.subtleText }
            Label {
                color: Theme.text
                text: root.info.id !== undefined ? qsTr("x %1  y %2  z %3 g").arg(root.info.ax.toFixed(2)).arg(root.info.ay.toFixed(2)).arg(root.info.az.toFixed(2)) : ""
            }
            Label { text: qsTr("LEDs (predicted)"); color: Theme.subtleText }
            RowLayout {
                spacing: Theme.smallSpacing
                Repeater {
                    objectName: "detailLedRing"
                    model: root.ring
                    StatusDot {
                        required property string modelData
                        size: Theme.smallDotSize + 4
                        color: modelData
                        border.color: Theme.border
                    }
                }
                Label {
                    objectName: "detailLedState"
                    color: Theme.text
                    text: !root.info.ledPattern ? qsTr("unknown (not commanded by this console)")
                          : qsTr("%1 · %2 · brightness %3").arg(root.info.ledPattern)
                            .arg(root.info.ledKnown ? root.info.led : qsTr("colour unknown")).arg(root.info.ledBrightness)
                }
            }
            Label { text: qsTr("NW · NE"); color: Theme.subtleText }
            Label { text: root.beaconText(0) + " · " + root.beaconText(1); color: Theme.text }
            Label { text: qsTr("SE · SW"); color: Theme.subtleText }
            Label { text: root.beaconText(2) + " · " + root.beaconText(3); color: Theme.text }
        }

        PlotPanel {
            objectName: "accelPlot"
            Layout.fillWidth: true
            Layout.fillHeight: true
            store: root.store
            deviceId: root.deviceId
            kind: SeriesPlot.Acceleration
            title: qsTr("Acceleration")
            unit: "g"
            seriesNames: ["ax", "ay", "az"]
            seriesColors: Theme.accelColors
        }

        PlotPanel {
            objectName: "beaconPlot"
            Layout.fillWidth: true
            Layout.fillHeight: true
            store: root.store
            deviceId: root.deviceId
            kind: SeriesPlot.Beacons
            title: qsTr("Beacons")
            unit: "dBm"
            seriesNames: ["NW", "NE", "SE", "SW"]
            seriesColors: Theme.beaconColors
        }

        Label {
            text: qsTr("Commands sent to this device")
            font.bold: true
            color: Theme.text
        }

        ListView {
            objectName: "detailCommands"
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.historyHeight
            clip: true
            model: root.sentCommands
            ScrollBar.vertical: ScrollBar {}

            delegate: RowLayout {
                required property var modelData

                width: ListView.view.width
                spacing: Theme.spacing
                Label { text: modelData.time; color: Theme.subtleText; font.family: Theme.monoFont }
                Label {
                    text: modelData.params.length > 0 ? modelData.command + ":" + modelData.params : modelData.command
                    color: Theme.text
                    font.family: Theme.monoFont
                }
                Label {
                    Layout.fillWidth: true
                    text: modelData.result
                    elide: Text.ElideRight
                    color: modelData.status === "ok" ? Theme.stateOk : modelData.status === "failed" ? Theme.stateError : Theme.stateIdle
                }
            }

            Label {
                anchors.centerIn: parent
                visible: parent.count === 0
                color: Theme.subtleText
                text: qsTr("None yet.")
            }
        }
    }

    Connections {
        target: root.store
        enabled: root.visible

        function onTicked() {
            root.refresh()
        }
    }
}
