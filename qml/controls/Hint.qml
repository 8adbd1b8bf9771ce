import QtQuick
import QtQuick.Controls
import GroupLoop.Ui

// The console's tool tip. Declared inside a control it shows `text` while the control is
// hovered, after Theme.hintDelay; set `shown` where hovering is not the condition (an item with a
// HoverHandler, a MouseArea, a tip only for an empty field).
ToolTip {
    property bool shown: parent !== null && parent.hovered === true

    delay: Theme.hintDelay
    visible: shown && text.length > 0
}
