import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Ui

// One settings row: a name, a slider and the value with its unit. `moved(value)` fires only
// for user changes, so the owner can write the value back without a binding loop.
RowLayout {
    id: root

    property string label
    property string unit
    property string hint
    property real value
    property real from: 0
    property real to: 1
    property real stepSize: 0.1
    property int decimals: 1

    signal moved(real value)

    spacing: Theme.spacing

    Label {
        Layout.preferredWidth: Theme.labelWidth
        text: root.label
        color: Theme.text
        elide: Text.ElideRight
    }
    Slider {
        id: slider
        objectName: root.objectName + "_slider"
        Layout.fillWidth: true
        from: root.from
        to: root.to
        stepSize: root.stepSize
        value: root.value
        onMoved: root.moved(value)

        Hint { text: root.hint }
    }
    Label {
        Layout.preferredWidth: Theme.valueWidth
        horizontalAlignment: Text.AlignRight
        text: root.value.toFixed(root.decimals) + (root.unit.length > 0 ? " " + root.unit : "")
        color: Theme.subtleText
        font.family: Theme.monoFont
        font.pixelSize: Theme.smallFontSize
    }
}
