import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// What became of each send: delivered, sent to N devices, or which ids failed and why.
ListView {
    id: root

    required property CommandController commands

    clip: true
    spacing: 2
    model: commands.history
    ScrollBar.vertical: ScrollBar {}

    delegate: Rectangle {
        required property string time
        required property string target
        required property string command
        required property string params
        required property string summary
        required property string status

        width: ListView.view.width
        implicitHeight: column.implicitHeight + 6
        color: Theme.panelAlt
        radius: Theme.smallRadius

        ColumnLayout {
            id: column
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.verticalCenter: parent.verticalCenter
            anchors.leftMargin: Theme.smallSpacing
            anchors.rightMargin: Theme.smallSpacing
            spacing: 0

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.smallSpacing
                StatusDot {
                    size: Theme.smallDotSize
                    color: status === "ok" ? Theme.stateOk : status === "failed" ? Theme.stateError : Theme.stateWarning
                }
                Label {
                    text: time
                    color: Theme.subtleText
                    font.pixelSize: Theme.smallFontSize
                }
                Label {
                    Layout.fillWidth: true
                    text: (params.length > 0 ? command + ":" + params : command) + " → " + target
                    font.family: Theme.monoFont
                    font.pixelSize: Theme.smallFontSize
                    color: Theme.text
                    elide: Text.ElideRight
                }
            }
            Label {
                Layout.fillWidth: true
                text: summary
                wrapMode: Text.Wrap
                font.pixelSize: Theme.smallFontSize
                color: status === "failed" ? Theme.stateError : status === "warning" ? Theme.stateWarning : Theme.subtleText
            }
        }
    }

    Label {
        anchors.centerIn: parent
        visible: root.count === 0
        color: Theme.subtleText
        text: qsTr("Results of your sends appear here.")
    }
}
