import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// Where a send goes: the selection, all devices (one cmd:all) or one id, and what that means now.
// Selecting devices in the field or the table switches to Selection (CommandController does it).
ColumnLayout {
    id: root

    required property CommandController commands

    spacing: Theme.smallSpacing

    RowLayout {
        Layout.fillWidth: true
        spacing: 0

        RadioButton {
            objectName: "targetSelection"
            text: qsTr("Selection")
            checked: root.commands.targetMode === CommandController.Selection
            onToggled: root.commands.targetMode = CommandController.Selection
            Hint { text: qsTr("One cmd: per selected device") }
        }
        RadioButton {
            objectName: "targetAll"
            text: qsTr("All")
            checked: root.commands.targetMode === CommandController.All
            onToggled: root.commands.targetMode = CommandController.All
            Hint { text: qsTr("One cmd:all; the relay sends it to every device it knows") }
        }
        RadioButton {
            id: oneRadio
            objectName: "targetOne"
            text: qsTr("One")
            checked: root.commands.targetMode === CommandController.One
            onToggled: root.commands.targetMode = CommandController.One
        }
        TextField {
            objectName: "oneTargetField"
            Layout.fillWidth: true
            placeholderText: qsTr("id, e.g. a1b2")
            maximumLength: 4
            font.family: Theme.monoFont
            selectByMouse: true
            text: root.commands.oneTarget
            // Typing an id means "send to this one".
            onTextEdited: {
                root.commands.oneTarget = text
                root.commands.targetMode = CommandController.One
            }
            Hint { text: qsTr("Typing an id here targets that one device") }
        }
    }

    Label {
        objectName: "targetSummary"
        Layout.fillWidth: true
        text: qsTr("Target: %1").arg(root.commands.targetSummary)
        color: root.commands.canSend ? Theme.text : Theme.stateWarning
        elide: Text.ElideRight
    }
}
