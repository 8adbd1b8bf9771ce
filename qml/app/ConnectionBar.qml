import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// Top bar: relay connection state (connecting, connected, reconnecting in N s, failed with
// the reason), the relay's /health summary, where the relay comes from, and the theme switch.
ToolBar {
    id: root

    required property RelayClient relay
    property string relayNote: ""

    signal toggleTheme()

    background: Rectangle {
        color: Theme.panel
        Divider { edge: Qt.BottomEdge }
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacing
        anchors.rightMargin: Theme.spacing
        spacing: Theme.spacing

        Label {
            text: qsTr("GroupLoop")
            font.pixelSize: Theme.titleFontSize
            font.bold: true
            color: Theme.text
        }

        StatusDot {
            objectName: "connectionDot"
            color: Theme.stateColor(root.relay.state)
        }

        Label {
            objectName: "connectionState"
            text: root.relay.stateText
            color: Theme.text
            elide: Text.ElideRight
            Layout.maximumWidth: Theme.statusTextMaxWidth
            HoverHandler { id: stateHover }
            Hint {
                shown: stateHover.hovered
                delay: 0 // at once: it completes the state text
                text: root.relay.detail
            }
        }

        TextField {
            id: urlField
            objectName: "relayUrlField"
            text: root.relay.url
            selectByMouse: true
            Layout.preferredWidth: Theme.urlFieldWidth
            placeholderText: qsTr("ws://host:5003")
            onAccepted: root.relay.connectToText(text)
            Hint { text: qsTr("Relay URL; press Enter to connect to another relay") }
        }

        ToolButton {
            objectName: "reconnectButton"
            text: qsTr("Reconnect")
            onClicked: root.relay.reconnectNow()
            Hint { text: qsTr("Reconnect now (F5)") }
        }

        Label {
            objectName: "healthText"
            text: root.relay.healthText
            color: Theme.subtleText
            font.pixelSize: Theme.smallFontSize
            elide: Text.ElideRight
            Layout.fillWidth: true
            HoverHandler { id: noteHover }
            Hint {
                shown: noteHover.hovered
                delay: 0
                text: root.relayNote
            }
        }

        Label {
            objectName: "relayNote"
            text: root.relayNote
            color: Theme.subtleText
            font.pixelSize: Theme.smallFontSize
            elide: Text.ElideLeft
            Layout.maximumWidth: Theme.noteTextMaxWidth
        }

        ToolButton {
            objectName: "themeButton"
            text: Theme.dark ? qsTr("Light") : qsTr("Dark")
            onClicked: root.toggleTheme()
            Hint { text: qsTr("Switch between light and dark (Ctrl+D)") }
        }
    }
}
