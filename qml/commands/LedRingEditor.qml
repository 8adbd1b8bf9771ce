import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Ui

// The six LEDs of the ring. Click an LED to pick it; then set it to `color` (led_set),
// turn it off (led_off) or turn all six off (led_all_off). The ring shows what was sent.
ColumnLayout {
    id: root

    property string colorHex: "ff0000"
    property bool canSend: false
    property int selectedIndex: 0
    property var shown: ["", "", "", "", "", ""] // hex per LED, "" = off

    signal setLed(int index, string hex)
    signal ledOff(int index)
    signal allOff()

    spacing: Theme.smallSpacing

    function remember(index, hex) {
        const copy = root.shown.slice()
        copy[index] = hex
        root.shown = copy
    }

    Item {
        id: ring

        readonly property real ledSize: 28
        readonly property real orbit: 42 // from the centre to an LED's centre

        Layout.alignment: Qt.AlignHCenter
        implicitWidth: 2 * (orbit + ledSize / 2 + Theme.smallSpacing)
        implicitHeight: implicitWidth

        Repeater {
            model: 6

            delegate: Rectangle {
                id: led

                required property int index

                readonly property real angle: -Math.PI / 2 + index * Math.PI / 3
                objectName: "ringLed_" + index
                width: ring.ledSize
                height: ring.ledSize
                radius: width / 2
                x: ring.width / 2 + ring.orbit * Math.cos(angle) - width / 2
                y: ring.height / 2 + ring.orbit * Math.sin(angle) - height / 2
                color: root.shown[index].length > 0 ? "#" + root.shown[index] : Theme.panelAlt
                border.width: root.selectedIndex === index ? 3 : 1
                border.color: root.selectedIndex === index ? Theme.accent : Theme.border

                Label {
                    anchors.centerIn: parent
                    text: led.index
                    font.pixelSize: Theme.smallFontSize
                    color: root.shown[led.index].length > 0 ? Theme.textOnLed : Theme.subtleText
                }
                TapHandler {
                    onTapped: root.selectedIndex = led.index
                }
            }
        }
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.smallSpacing

        Button {
            objectName: "ledSetButton"
            text: qsTr("Set LED %1").arg(root.selectedIndex)
            enabled: root.canSend && /^[0-9a-fA-F]{6}$/.test(root.colorHex)
            onClicked: {
                root.remember(root.selectedIndex, root.colorHex.toLowerCase())
                root.setLed(root.selectedIndex, root.colorHex.toLowerCase())
            }
            Hint { text: qsTr("led_set:%1:%2").arg(root.selectedIndex).arg(root.colorHex) }
        }
        Button {
            objectName: "ledOffButton"
            text: qsTr("Off")
            enabled: root.canSend
            onClicked: {
                root.remember(root.selectedIndex, "")
                root.ledOff(root.selectedIndex)
            }
            Hint { text: qsTr("led_off:%1").arg(root.selectedIndex) }
        }
        Button {
            objectName: "ledAllOffButton"
            text: qsTr("All off")
            enabled: root.canSend
            onClicked: {
                root.shown = ["", "", "", "", "", ""]
                root.allOff()
            }
            Hint { text: qsTr("led_all_off") }
        }
    }
}
