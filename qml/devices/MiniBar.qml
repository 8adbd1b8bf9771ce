import QtQuick
import GroupLoop.Ui

// An inline bar for a table cell: `value` 0..1 fills from the left; with `signedValue`,
// -1..1 fills from the centre (acceleration).
Item {
    id: root

    property real value: 0
    property bool signedValue: false
    property color fill: Theme.barFill

    implicitHeight: Theme.barHeight

    Rectangle {
        anchors.fill: parent
        radius: height / 2
        color: Theme.barTrack
    }
    Rectangle {
        radius: height / 2
        color: root.fill
        height: parent.height
        x: root.signedValue ? (root.value >= 0 ? parent.width / 2 : parent.width / 2 * (1 + root.value)) : 0
        width: root.signedValue ? parent.width / 2 * Math.abs(root.value) : parent.width * Math.max(0, Math.min(1, root.value))
    }
}
