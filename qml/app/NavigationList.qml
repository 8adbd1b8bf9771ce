import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Ui

// The view list on the left. Each entry is {key, title, hint, shortcut}; the simulator and
// emulator panels join this list (and Main.qml's StackLayout) when they are built.
Rectangle {
    id: root

    property var views: []
    property string currentKey: ""

    signal activated(string key)

    color: Theme.panel
    implicitWidth: Theme.navigationWidth

    Rectangle {
        anchors.right: parent.right
        width: 1
        height: parent.height
        color: Theme.border
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.smallSpacing

        Label {
            text: qsTr("Views")
            color: Theme.subtleText
            font.pixelSize: Theme.smallFontSize
            font.capitalization: Font.AllUppercase
            Layout.leftMargin: Theme.smallSpacing
            Layout.bottomMargin: Theme.smallSpacing
        }

        Repeater {
            model: root.views

            delegate: ItemDelegate {
                id: entry

                required property var modelData

                objectName: "nav_" + modelData.key
                Layout.fillWidth: true
                text: modelData.title
                highlighted: root.currentKey === modelData.key
                font.pixelSize: Theme.fontSize
                ToolTip.visible: hovered
                ToolTip.delay: 600
                ToolTip.text: modelData.hint + " (" + modelData.shortcut + ")"
                onClicked: root.activated(modelData.key)

                background: Rectangle {
                    radius: Theme.radius
                    color: entry.highlighted ? Theme.accent : (entry.hovered ? Theme.panelAlt : "transparent")
                }
                contentItem: Label {
                    text: entry.text
                    color: entry.highlighted ? "white" : Theme.text
                    font: entry.font
                    verticalAlignment: Text.AlignVCenter
                }
            }
        }

        Item {
            Layout.fillHeight: true
        }
    }
}
