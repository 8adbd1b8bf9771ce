import QtQuick
import GroupLoop.Ui

// A round state light (connection, swarm, emulator, a command's result): colour it from Theme's
// state colours.
Rectangle {
    property real size: Theme.dotSize

    implicitWidth: size
    implicitHeight: size
    width: size
    height: size
    radius: size / 2
    color: Theme.stateIdle
}
