import QtQuick
import GroupLoop.Ui

// A one-pixel border line along one edge of its parent (a panel's side, a bar's bottom).
Rectangle {
    property int edge: Qt.BottomEdge

    readonly property bool vertical: edge === Qt.LeftEdge || edge === Qt.RightEdge

    x: edge === Qt.RightEdge ? parent.width - width : 0
    y: edge === Qt.BottomEdge ? parent.height - height : 0
    width: vertical ? 1 : parent.width
    height: vertical ? parent.height : 1
    color: Theme.border
}
