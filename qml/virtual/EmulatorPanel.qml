import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// The emulator panel: one virtual device (the simulator's firmware model) handled by hand.
// Move it in the room, tilt it (drag the box or use the arrow keys), tap it (click Tap or press
// Space), give it an id and connect it; its LED ring animates as the firmware would for the
// commands it receives, it shakes while vibrating, and the last frame and the commands are shown.
FocusScope {
    id: root

    required property EmulatorController emulator

    readonly property real tiltStep: 5 // degrees per arrow key press
    readonly property color stateColor: {
        switch (root.emulator.state) {
        case EmulatorController.Connected: return Theme.stateOk
        case EmulatorController.Connecting: return Theme.stateWarning
        case EmulatorController.Reconnecting: return Theme.stateError
        default: return Theme.stateIdle
        }
    }

    function toggleConnection() {
        if (root.emulator.state === EmulatorController.Disconnected)
            root.emulator.connectToRelay()
        else
            root.emulator.disconnectFromRelay()
    }

    function applyId() {
        if (root.emulator.setIdText(idField.text))
            idField.text = root.emulator.idText
    }

    Keys.onPressed: event => {
        switch (event.key) {
        case Qt.Key_Left: root.emulator.tiltBy(0, -root.tiltStep); break
        case Qt.Key_Right: root.emulator.tiltBy(0, root.tiltStep); break
        case Qt.Key_Up: root.emulator.tiltBy(-root.tiltStep, 0); break
        case Qt.Key_Down: root.emulator.tiltBy(root.tiltStep, 0); break
        case Qt.Key_Space: root.emulator.tap(); break
        case Qt.Key_Home: root.emulator.level(); break
        default: return
        }
        event.accepted = true
    }

    onVisibleChanged: if (visible) forceActiveFocus()

    // Animate the ring only while the panel is on screen.
    Binding {
        target: root.emulator
        property: "watched"
        value: root.visible
    }

    Rectangle {
        anchors.fill: parent
        color: Theme.window
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            // Identity and connection
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: connectionColumn.implicitHeight + 2 * Theme.spacing
                color: Theme.panel

                Divider { edge: Qt.BottomEdge }

                ColumnLayout {
                    id: connectionColumn
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    spacing: Theme.smallSpacing

                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.spacing

                        Label { text: qsTr("Id"); color: Theme.text }
                        TextField {
                            id: idField
                            objectName: "emulatorId"
                            Layout.preferredWidth: Theme.idFieldWidth
                            font.family: Theme.monoFont
                            text: root.emulator.idText
                            maximumLength: 4
                            color: root.emulator.isValidId(text) ? Theme.text : Theme.stateError
                            onAccepted: root.applyId()
                            onEditingFinished: if (text !== root.emulator.idText) root.applyId()
                            Hint { text: qsTr("The device id: 4 hex digits (the last two bytes of its MAC). Enter applies it.") }
                        }
                        Label { text: qsTr("Relay"); color: Theme.text }
                        TextField {
                            objectName: "emulatorUrl"
                            Layout.fillWidth: true
                            placeholderText: root.emulator.defaultUrl
                            text: root.emulator.url
                            selectByMouse: true
                            onTextEdited: root.emulator.url = text
                            Hint { text: qsTr("ws:// URL of the relay; empty: the relay this console uses") }
                        }
                        Button {
                            objectName: "emulatorConnectButton"
                            text: root.emulator.state !== EmulatorController.Disconnected ? qsTr("Disconnect") : qsTr("Connect")
                            highlighted: root.emulator.state === EmulatorController.Disconnected
                            onClicked: root.toggleConnection()
                            Hint { text: qsTr("Connect the device to the relay or disconnect it (Ctrl+Return)") }
                        }
                        StatusDot {
                            color: root.stateColor
                        }
                        Label {
                            objectName: "emulatorState"
                            color: Theme.text
                            text: root.emulator.stateText
                        }
                    }
                    Label {
                        objectName: "emulatorError"
                        Layout.fillWidth: true
                        visible: text.length > 0
                        wrapMode: Text.WordWrap
                        color: Theme.stateError
                        text: root.emulator.error
                    }
                }
            }

            EmulatorRoomMap {
                objectName: "emulatorRoom"
                Layout.fillWidth: true
                Layout.fillHeight: true
                emulator: root.emulator
                onInteracted: root.forceActiveFocus()
            }

            EmulatorAttitude {
                Layout.fillWidth: true
                emulator: root.emulator
                onInteracted: root.forceActiveFocus()
            }
        }

        EmulatorDeviceView {
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.deviceColumnWidth
            emulator: root.emulator
        }
    }

    Shortcut {
        sequence: "Ctrl+Return"
        enabled: root.visible
        onActivated: root.toggleConnection()
    }
}
