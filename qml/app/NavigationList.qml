import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Ui

// The view list on the left. Each entry is {key, title, hint, shortcut} (Main.qml's `views`).
Rectangle {
    id: root

    required property var views
    required property string currentKey

    signal activated(string key)

    color: Theme.panel
    implicitWidth: Theme.navigationWidth

    Divider { edge: Qt.RightEdge }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.smallSpacing

        SectionHeader {
            text: qsTr("Views")
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
                onClicked: root.activated(modelData.key)

                Hint { text: entry.modelData.hint + " (" + entry.modelData.shortcut + ")" }

                background: Rectangle {
                    radius: Theme.radius
                    color: entry.highlighted ? Theme.accent : (entry.hovered ? Theme.panelAlt : "transparent")
                }
                contentItem: Label {
                    text: entry.text
                    color: entry.highlighted ? Theme.textOnColor : Theme.text
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
