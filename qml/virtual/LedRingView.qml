import QtQuick
import GroupLoop.Ui

// A device's ring of six LEDs as the firmware lights it: LED 0 at the top, clockwise. `colors`
// holds six "#rrggbb" strings with brightness already applied; black is an LED that is off.
Item {
    id: root

    property var colors: []
    property real ledSize: 26

    implicitWidth: 160
    implicitHeight: 160

    Rectangle {
        anchors.centerIn: parent
        width: Math.min(root.width, root.height) - root.ledSize * 0.2
        height: width
        radius: width / 2
        color: Theme.ledRingBody
        border.color: Theme.border
    }

    Repeater {
        model: 6

        delegate: Item {
            id: led

            required property int index
            readonly property color ledColor: root.colors.length === 6 ? root.colors[index] : "#000000"
            readonly property real level: Math.max(ledColor.r, ledColor.g, ledColor.b)
            readonly property real angle: (-90 + index * 60) * Math.PI / 180
            readonly property real orbit: (Math.min(root.width, root.height) - root.ledSize * 1.6) / 2

            objectName: "led" + index
            width: root.ledSize
            height: root.ledSize
            x: root.width / 2 + orbit * Math.cos(angle) - width / 2
            y: root.height / 2 + orbit * Math.sin(angle) - height / 2

            // Glow: grows with brightness so dim phases of a pattern read as dim.
            Rectangle {
                anchors.centerIn: parent
                width: parent.width * (1.2 + 0.8 * led.level)
                height: width
                radius: width / 2
                color: led.ledColor
                opacity: 0.35 * led.level
            }
            Rectangle {
                anchors.fill: parent
                radius: width / 2
                color: led.level > 0.01 ? led.ledColor : Theme.ledOff
                border.color: Theme.ledOutline
                border.width: 1
            }
        }
    }
}
