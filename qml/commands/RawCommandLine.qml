import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// Any command as text: "command[:params]" goes to the current target, a full
// "cmd:<target>:<command>[:<params>]" goes where it says. Tab or Down opens completions
// from the relay's command registry.
RowLayout {
    id: root

    required property CommandController commands
    required property RegistryModel registry
    property alias text: field.text

    spacing: Theme.smallSpacing

    function send() {
        if (field.text.trim().length === 0)
            return
        if (root.commands.sendRaw(field.text) > 0)
            field.clear()
        completions.close()
    }

    function updateCompletions() {
        const prefix = field.text.startsWith("cmd:") ? "" : field.text
        const list = prefix.length > 0 ? root.registry.complete(prefix) : []
        completionList.model = list
        if (list.length > 0 && field.activeFocus && !(list.length === 1 && list[0] === field.text))
            completions.open()
        else
            completions.close()
    }

    TextField {
        id: field
        objectName: "rawCommandField"
        Layout.fillWidth: true
        placeholderText: qsTr("e.g. vibrate:300 or cmd:all:pattern:cycle")
        selectByMouse: true
        font.family: Theme.monoFont
        onTextEdited: root.updateCompletions()
        onAccepted: root.send()
        Keys.onTabPressed: {
            if (completionList.count > 0) {
                field.text = completionList.model[Math.max(0, completionList.currentIndex)]
                root.updateCompletions()
            }
        }
        Keys.onDownPressed: {
            if (!completions.opened)
                root.updateCompletions()
            else
                completionList.incrementCurrentIndex()
        }
        Keys.onUpPressed: completionList.decrementCurrentIndex()
        Keys.onEscapePressed: completions.close()

        Hint {
            shown: field.hovered && field.text.length === 0
            text: qsTr("Raw command; Tab completes, Enter sends (Ctrl+L to focus)")
        }

        Popup {
            id: completions
            objectName: "rawCompletions"
            y: field.height
            width: field.width
            height: Math.min(completionList.contentHeight + 2 * padding, 180)
            padding: 2
            focus: false
            closePolicy: Popup.CloseOnPressOutsideParent

            ListView {
                id: completionList
                anchors.fill: parent
                clip: true
                model: []
                currentIndex: 0

                delegate: ItemDelegate {
                    required property string modelData
                    required property int index

                    width: ListView.view.width
                    text: modelData
                    font.family: Theme.monoFont
                    highlighted: ListView.isCurrentItem
                    onClicked: {
                        field.text = modelData
                        field.forceActiveFocus()
                        root.updateCompletions()
                    }
                }
            }
        }
    }

    Button {
        objectName: "rawSendButton"
        text: qsTr("Send")
        enabled: field.text.trim().length > 0
        onClicked: root.send()
    }

    Shortcut {
        sequence: "Ctrl+L"
        onActivated: field.forceActiveFocus()
    }
}
