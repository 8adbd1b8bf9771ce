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
        Layout.alignment: Qt.AlignHCenter
        implicitWidth: 120
        implicitHeight: 120

        Repeater {
            model: 6

            delegate: Rectangle {
                id: led

                required property int index

                readonly property real angle: -Math.PI / 2 + index * Math.PI / 3
                objectName: "ringLed_" + index
                width: 28
                height: 28
                radius: 14
                x: 60 + 42 * Math.cos(angle) - 14
                y: 60 + 42 * Math.sin(angle) - 14
                color: root.shown[index].length > 0 ? "#" + root.shown[index] : Theme.panelAlt
                border.width: root.selectedIndex === index ? 3 : 1
                border.color: root.selectedIndex === index ? Theme.accent : Theme.border

                Label {
                    anchors.centerIn: parent
                    text: led.index
                    font.pixelSize: Theme.smallFontSize
                    color: root.shown[led.index].length > 0 ? "black" : Theme.subtleText
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
            ToolTip.visible: hovered
            ToolTip.delay: 600
            ToolTip.text: qsTr("led_set:%1:%2").arg(root.selectedIndex).arg(root.colorHex)
            onClicked: {
                root.remember(root.selectedIndex, root.colorHex.toLowerCase())
                root.setLed(root.selectedIndex, root.colorHex.toLowerCase())
            }
        }
        Button {
            objectName: "ledOffButton"
            text: qsTr("Off")
            enabled: root.canSend
            ToolTip.visible: hovered
            ToolTip.delay: 600
            ToolTip.text: qsTr("led_off:%1").arg(root.selectedIndex)
            onClicked: {
                root.remember(root.selectedIndex, "")
                root.ledOff(root.selectedIndex)
            }
        }
        Button {
            objectName: "ledAllOffButton"
            text: qsTr("All off")
            enabled: root.canSend
            ToolTip.visible: hovered
            ToolTip.delay: 600
            ToolTip.text: qsTr("led_all_off")
            onClicked: {
                root.shown = ["", "", "", "", "", ""]
                root.allOff()
            }
        }
    }
}
