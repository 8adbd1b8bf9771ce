import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Ui

// A colour for `led` and `led_set`: preset swatches plus a 6-hex-digit field (no '#',
// as the firmware expects).
ColumnLayout {
    id: root

    property string hex: "ff0000"
    readonly property bool valid: /^[0-9a-fA-F]{6}$/.test(hex)
    readonly property color color: valid ? "#" + hex : "transparent"
    readonly property var presets: ["ff0000", "ff8000", "ffd000", "00ff00", "00ffc0", "00a0ff",
                                     "0000ff", "8000ff", "ff00ff", "ffffff", "808080", "000000"]

    spacing: Theme.smallSpacing

    GridLayout {
        columns: 6
        rowSpacing: Theme.smallSpacing
        columnSpacing: Theme.smallSpacing

        Repeater {
            model: root.presets

            delegate: Rectangle {
                id: swatch

                required property string modelData

                objectName: "swatch_" + modelData
                width: Theme.swatchSize
                height: Theme.swatchSize
                radius: Theme.smallRadius
                color: "#" + modelData
                border.width: root.hex.toLowerCase() === modelData ? 3 : 1
                border.color: root.hex.toLowerCase() === modelData ? Theme.accent : Theme.border

                TapHandler {
                    onTapped: root.hex = swatch.modelData
                }
                HoverHandler {
                    id: swatchHover
                }
                Hint {
                    shown: swatchHover.hovered
                    text: swatch.modelData
                }
            }
        }
    }

    RowLayout {
        spacing: Theme.smallSpacing

        Rectangle {
            width: Theme.swatchSize
            height: Theme.swatchSize
            radius: Theme.smallRadius
            color: root.color
            border.color: Theme.border
        }
        TextField {
            objectName: "colorHexField"
            text: root.hex
            maximumLength: 6
            selectByMouse: true
            font.family: Theme.monoFont
            Layout.preferredWidth: Theme.colourFieldWidth
            validator: RegularExpressionValidator { regularExpression: /[0-9a-fA-F]{0,6}/ }
            color: root.valid ? Theme.text : Theme.stateError
            onTextEdited: root.hex = text
            Hint { text: qsTr("Six hex digits, e.g. ff0000 for red") }
        }
    }
}
