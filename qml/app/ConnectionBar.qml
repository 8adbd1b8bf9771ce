import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// Top bar: relay connection state (connecting, connected, reconnecting in N s, failed with
// the reason), the relay's /health summary, where the relay comes from, and the theme switch.
ToolBar {
    id: root

    property RelayClient relay
    property string relayNote: ""

    signal toggleTheme()

    background: Rectangle {
        color: Theme.panel
        Rectangle {
            anchors.bottom: parent.bottom
            width: parent.width
            height: 1
            color: Theme.border
        }
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

        Rectangle {
            objectName: "connectionDot"
            width: 10
            height: 10
            radius: 5
            color: root.relay ? Theme.stateColor(root.relay.state) : Theme.subtleText
        }

        Label {
            objectName: "connectionState"
            text: root.relay ? root.relay.stateText : ""
            color: Theme.text
            elide: Text.ElideRight
            Layout.maximumWidth: 360
            ToolTip.visible: stateHover.hovered
            ToolTip.text: root.relay ? root.relay.detail : ""
            HoverHandler {
                id: stateHover
            }
        }

        TextField {
            id: urlField
            objectName: "relayUrlField"
            text: root.relay ? root.relay.url : ""
            selectByMouse: true
            Layout.preferredWidth: 220
            placeholderText: qsTr("ws://host:5003")
            ToolTip.visible: hovered
            ToolTip.delay: 600
            ToolTip.text: qsTr("Relay URL; press Enter to connect to another relay")
            onAccepted: root.relay.connectToText(text)
        }

        ToolButton {
            objectName: "reconnectButton"
            text: qsTr("Reconnect")
            ToolTip.visible: hovered
            ToolTip.delay: 600
            ToolTip.text: qsTr("Reconnect now (F5)")
            onClicked: root.relay.reconnectNow()
        }

        Label {
            objectName: "healthText"
            text: root.relay && root.relay.healthText.length > 0 ? root.relay.healthText : ""
            color: Theme.subtleText
            font.pixelSize: Theme.smallFontSize
            elide: Text.ElideRight
            Layout.fillWidth: true
            ToolTip.visible: noteHover.hovered && root.relayNote.length > 0
            ToolTip.text: root.relayNote
            HoverHandler {
                id: noteHover
            }
        }

        Label {
            objectName: "relayNote"
            text: root.relayNote
            color: Theme.subtleText
            font.pixelSize: Theme.smallFontSize
            elide: Text.ElideLeft
            Layout.maximumWidth: 330
        }

        ToolButton {
            objectName: "themeButton"
            text: Theme.dark ? qsTr("Light") : qsTr("Dark")
            ToolTip.visible: hovered
            ToolTip.delay: 600
            ToolTip.text: qsTr("Switch between light and dark (Ctrl+D)")
            onClicked: root.toggleTheme()
        }
    }
}
