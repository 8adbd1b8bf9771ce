import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// Top bar: relay connection state (connecting, connected, the reason of a failure and the
// retry countdown), the controller token (never shown), the relay's /health summary, where the
// relay comes from, and the theme switch. Asks for a token when the relay refuses one and
// shows the certificate dialog when a wss:// relay's certificate is not trusted.
ToolBar {
    id: root

    required property RelayClient relay
    property string relayNote: ""

    property bool commandsShown: true
    property TokenStore tokenStore: null // remembers typed tokens; null in tests without one

    signal toggleTheme()
    signal toggleCommands()

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

        TextField {
            id: tokenField
            objectName: "tokenField"
            echoMode: TextInput.Password
            selectByMouse: true
            Layout.preferredWidth: Theme.tokenFieldWidth
            placeholderText: root.relay.hasToken ? qsTr("token set") : qsTr("token")
            // A refused or missing token: the field asks for attention and takes the focus.
            readonly property bool wanted: root.relay.state === RelayClient.TokenNeeded
            onWantedChanged: if (wanted) forceActiveFocus()
            background: Rectangle {
                color: Theme.panel
                border.width: tokenField.wanted ? 2 : 1
                border.color: tokenField.wanted ? Theme.stateError : Theme.border
                radius: 2
            }
            onAccepted: {
                root.relay.enterToken(text)
                text = ""
            }
            Hint { text: qsTr("Controller token of a relay started with --token; press Enter. Never shown.") }
        }

        CheckBox {
            objectName: "rememberTokenInFile"
            // Only without a keychain: a file readable by the user alone, and only when asked.
            visible: root.tokenStore !== null && !root.tokenStore.keychainAvailable && root.relay.hasToken
            text: qsTr("Remember")
            checked: root.tokenStore !== null && root.tokenStore.rememberInFile
            onToggled: root.tokenStore.rememberInFile = checked
            Hint { text: root.tokenStore ? root.tokenStore.status + qsTr(". Tick to keep the token in a file only you can read.") : "" }
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
            objectName: "commandsButton"
            text: root.commandsShown ? qsTr("Hide commands") : qsTr("Commands")
            onClicked: root.toggleCommands()
            Hint { text: qsTr("Show or hide the Commands panel (Ctrl+K)") }
        }

        ToolButton {
            objectName: "themeButton"
            text: Theme.dark ? qsTr("Light") : qsTr("Dark")
            onClicked: root.toggleTheme()
            Hint { text: qsTr("Switch between light and dark (Ctrl+D)") }
        }
    }

    TrustDialog {
        id: trustDialog
        objectName: "trustDialog"
        parent: Overlay.overlay
        certificate: root.relay.certificate
        readonly property bool wanted: root.relay.state === RelayClient.TrustNeeded
                                       && Object.keys(root.relay.certificate).length > 0
        onWantedChanged: if (wanted) open()
        onTrusted: root.relay.trustCertificate()
        onRejected: root.relay.rejectCertificate()
    }
}
