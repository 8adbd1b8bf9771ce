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

    property EmulatorController emulator

    readonly property real tiltStep: 5

    function toggleConnection() {
        if (!root.emulator)
            return
        if (root.emulator.state === EmulatorController.Disconnected)
            root.emulator.connectToRelay()
        else
            root.emulator.disconnectFromRelay()
    }

    function applyId() {
        if (root.emulator.setIdText(idField.text))
            idField.text = root.emulator.idText
    }

    function stateColor() {
        if (!root.emulator)
            return Theme.subtleText
        switch (root.emulator.state) {
        case EmulatorController.Connected: return Theme.good
        case EmulatorController.Connecting: return Theme.warning
        case EmulatorController.Reconnecting: return Theme.bad
        default: return Theme.subtleText
        }
    }

    Keys.onPressed: event => {
        if (!root.emulator)
            return
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
        when: root.emulator !== null
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

                Rectangle {
                    anchors.bottom: parent.bottom
                    width: parent.width
                    height: 1
                    color: Theme.border
                }

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
                            Layout.preferredWidth: 80
                            font.family: Theme.monoFont
                            text: root.emulator ? root.emulator.idText : ""
                            maximumLength: 4
                            color: root.emulator && root.emulator.isValidId(text) ? Theme.text : Theme.bad
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("The device id: 4 hex digits (the last two bytes of its MAC). Enter applies it.")
                            onAccepted: root.applyId()
                            onEditingFinished: if (text !== root.emulator.idText) root.applyId()
                        }
                        Label { text: qsTr("Relay"); color: Theme.text }
                        TextField {
                            objectName: "emulatorUrl"
                            Layout.fillWidth: true
                            placeholderText: root.emulator ? root.emulator.defaultUrl : ""
                            text: root.emulator ? root.emulator.url : ""
                            selectByMouse: true
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("ws:// URL of the relay; empty: the relay this console uses")
                            onTextEdited: root.emulator.url = text
                        }
                        Button {
                            objectName: "emulatorConnectButton"
                            text: root.emulator && root.emulator.state !== EmulatorController.Disconnected ? qsTr("Disconnect") : qsTr("Connect")
                            highlighted: root.emulator && root.emulator.state === EmulatorController.Disconnected
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("Connect the device to the relay or disconnect it (Ctrl+Return)")
                            onClicked: root.toggleConnection()
                        }
                        Rectangle {
                            width: 10
                            height: 10
                            radius: 5
                            color: root.stateColor()
                        }
                        Label {
                            objectName: "emulatorState"
                            color: Theme.text
                            text: root.emulator ? root.emulator.stateText : ""
                        }
                    }
                    Label {
                        objectName: "emulatorError"
                        Layout.fillWidth: true
                        visible: text.length > 0
                        wrapMode: Text.WordWrap
                        color: Theme.bad
                        text: root.emulator ? root.emulator.error : ""
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

            // Attitude
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: 200
                color: Theme.panel

                Rectangle {
                    width: parent.width
                    height: 1
                    color: Theme.border
                }

                RowLayout {
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    spacing: Theme.largeSpacing

                    TiltCube {
                        objectName: "tiltCube"
                        Layout.preferredWidth: 240
                        Layout.fillHeight: true
                        roll: root.emulator ? root.emulator.roll : 0
                        pitch: root.emulator ? root.emulator.pitch : 0
                        yaw: root.emulator ? root.emulator.yaw : 0
                        leds: root.emulator ? root.emulator.leds : []
                        bodyColor: Theme.button
                        edgeColor: Theme.subtleText
                        onTilted: (dRoll, dPitch, dYaw) => {
                            root.forceActiveFocus()
                            root.emulator.tiltBy(dRoll, dPitch)
                            if (dYaw !== 0)
                                root.emulator.yaw = root.emulator.yaw + dYaw
                        }
                    }

                    GridLayout {
                        Layout.fillWidth: true
                        columns: 3
                        columnSpacing: Theme.spacing
                        rowSpacing: 2

                        Label { text: ""; }
                        Label { text: qsTr("attitude"); color: Theme.subtleText; font.pixelSize: Theme.smallFontSize }
                        Label { text: qsTr("accelerometer"); color: Theme.subtleText; font.pixelSize: Theme.smallFontSize }

                        Label { text: qsTr("Roll / x"); color: Theme.text }
                        Label {
                            objectName: "rollValue"
                            font.family: Theme.monoFont
                            color: Theme.text
                            text: root.emulator ? root.emulator.roll.toFixed(0) + "°" : ""
                        }
                        Label {
                            objectName: "accelX"
                            font.family: Theme.monoFont
                            color: Theme.accelColors[0]
                            text: root.emulator ? root.emulator.acceleration[0].toFixed(2) + " g" : ""
                        }
                        Label { text: qsTr("Pitch / y"); color: Theme.text }
                        Label {
                            objectName: "pitchValue"
                            font.family: Theme.monoFont
                            color: Theme.text
                            text: root.emulator ? root.emulator.pitch.toFixed(0) + "°" : ""
                        }
                        Label {
                            objectName: "accelY"
                            font.family: Theme.monoFont
                            color: Theme.accelColors[1]
                            text: root.emulator ? root.emulator.acceleration[1].toFixed(2) + " g" : ""
                        }
                        Label { text: qsTr("Yaw / z"); color: Theme.text }
                        Label {
                            objectName: "yawValue"
                            font.family: Theme.monoFont
                            color: Theme.text
                            text: root.emulator ? root.emulator.yaw.toFixed(0) + "°" : ""
                        }
                        Label {
                            objectName: "accelZ"
                            font.family: Theme.monoFont
                            color: Theme.accelColors[2]
                            text: root.emulator ? root.emulator.acceleration[2].toFixed(2) + " g" : ""
                        }

                        RowLayout {
                            Layout.columnSpan: 3
                            Layout.topMargin: Theme.spacing
                            spacing: Theme.spacing

                            Button {
                                objectName: "tapButton"
                                text: qsTr("Tap")
                                ToolTip.visible: hovered
                                ToolTip.delay: 600
                                ToolTip.text: qsTr("A tap: the next frame carries ff (Space)")
                                onClicked: {
                                    root.emulator.tap()
                                    root.forceActiveFocus()
                                }
                            }
                            Button {
                                objectName: "levelButton"
                                text: qsTr("Level")
                                ToolTip.visible: hovered
                                ToolTip.delay: 600
                                ToolTip.text: qsTr("Lay the device flat, face up (Home)")
                                onClicked: {
                                    root.emulator.level()
                                    root.forceActiveFocus()
                                }
                            }
                        }
                        Label {
                            Layout.columnSpan: 3
                            Layout.fillWidth: true
                            wrapMode: Text.WordWrap
                            color: Theme.subtleText
                            font.pixelSize: Theme.smallFontSize
                            text: qsTr("Drag the box to tilt it (Shift+drag turns it), or use the arrow keys. Gravity is 1 g.")
                        }
                    }
                }
            }
        }

        // What the device shows, sends and receives
        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 330
            color: Theme.panel

            Rectangle {
                width: 1
                height: parent.height
                color: Theme.border
            }

            ColumnLayout {
                anchors.fill: parent
                anchors.margins: Theme.spacing
                spacing: Theme.smallSpacing

                Item {
                    Layout.fillWidth: true
                    Layout.preferredHeight: 190

                    LedRingView {
                        id: ring
                        objectName: "emulatorRing"
                        width: 170
                        height: 170
                        anchors.verticalCenter: parent.verticalCenter
                        x: (parent.width - width) / 2 + shake.offset
                        colors: root.emulator ? root.emulator.leds : []

                        QtObject {
                            id: shake
                            property real offset: 0
                        }
                        SequentialAnimation {
                            objectName: "vibrationAnimation"
                            running: root.emulator !== null && root.emulator.vibrating
                            loops: Animation.Infinite
                            NumberAnimation { target: shake; property: "offset"; to: 4; duration: 25 }
                            NumberAnimation { target: shake; property: "offset"; to: -4; duration: 50 }
                            NumberAnimation { target: shake; property: "offset"; to: 0; duration: 25 }
                            onRunningChanged: if (!running) shake.offset = 0
                        }
                    }
                    Label {
                        objectName: "vibratingBadge"
                        anchors.right: parent.right
                        anchors.top: parent.top
                        visible: root.emulator !== null && root.emulator.vibrating
                        text: qsTr("vibrating")
                        color: "white"
                        padding: 3
                        font.pixelSize: Theme.smallFontSize
                        background: Rectangle { color: Theme.warning; radius: Theme.radius }
                    }
                }

                GridLayout {
                    Layout.fillWidth: true
                    columns: 2
                    columnSpacing: Theme.spacing
                    rowSpacing: 2

                    Label { text: qsTr("State"); color: Theme.subtleText }
                    Label {
                        objectName: "emulatorPhase"
                        color: Theme.text
                        text: root.emulator ? root.emulator.phaseText : ""
                    }
                    Label { text: qsTr("Pattern"); color: Theme.subtleText }
                    Label {
                        objectName: "emulatorPattern"
                        color: Theme.text
                        font.family: Theme.monoFont
                        text: root.emulator ? root.emulator.patternText : ""
                    }
                    Label { text: qsTr("Brightness"); color: Theme.subtleText }
                    Label {
                        color: Theme.text
                        font.family: Theme.monoFont
                        text: root.emulator ? root.emulator.brightness : ""
                    }
                    Label { text: qsTr("Frames sent"); color: Theme.subtleText }
                    Label {
                        objectName: "emulatorFramesSent"
                        color: Theme.text
                        font.family: Theme.monoFont
                        text: root.emulator ? root.emulator.framesSent.toLocaleString(Qt.locale(), "f", 0) + qsTr(" at %1 Hz").arg(root.emulator.hz) : ""
                    }
                }

                Label {
                    Layout.topMargin: Theme.spacing
                    text: qsTr("Last frame sent")
                    color: Theme.subtleText
                    font.pixelSize: Theme.smallFontSize
                    font.capitalization: Font.AllUppercase
                }
                TextEdit {
                    objectName: "lastFrameHex"
                    Layout.fillWidth: true
                    readOnly: true
                    selectByMouse: true
                    color: Theme.text
                    font.family: Theme.monoFont
                    font.pixelSize: Theme.fontSize + 2
                    text: root.emulator && root.emulator.lastFrameHex.length > 0 ? root.emulator.lastFrameHex : qsTr("(nothing sent yet)")
                }
                Label {
                    objectName: "lastFrameDecoded"
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    color: Theme.subtleText
                    font.pixelSize: Theme.smallFontSize
                    text: root.emulator ? root.emulator.lastFrameDecoded : ""
                }

                RowLayout {
                    Layout.topMargin: Theme.spacing
                    Layout.fillWidth: true
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("Commands received")
                        color: Theme.subtleText
                        font.pixelSize: Theme.smallFontSize
                        font.capitalization: Font.AllUppercase
                    }
                    ToolButton {
                        objectName: "clearReceivedButton"
                        text: qsTr("Clear")
                        enabled: receivedList.count > 0
                        ToolTip.visible: hovered
                        ToolTip.delay: 600
                        ToolTip.text: qsTr("Clear the list of received commands")
                        onClicked: root.emulator.clearReceived()
                    }
                }
                Rectangle {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    color: Theme.panelAlt
                    border.color: Theme.border
                    radius: Theme.radius

                    ListView {
                        id: receivedList
                        objectName: "receivedList"
                        anchors.fill: parent
                        anchors.margins: Theme.smallSpacing
                        clip: true
                        model: root.emulator ? root.emulator.received : []
                        ScrollBar.vertical: ScrollBar {}

                        delegate: Label {
                            required property string modelData
                            width: ListView.view.width
                            elide: Text.ElideRight
                            color: Theme.text
                            font.family: Theme.monoFont
                            font.pixelSize: Theme.smallFontSize
                            text: modelData
                        }
                    }
                    Label {
                        anchors.centerIn: parent
                        visible: receivedList.count === 0
                        horizontalAlignment: Text.AlignHCenter
                        color: Theme.subtleText
                        font.pixelSize: Theme.smallFontSize
                        text: qsTr("Commands the relay delivers appear here.\nSend some from the command panel.")
                    }
                }
            }
        }
    }

    Shortcut {
        sequence: "Ctrl+Return"
        enabled: root.visible
        onActivated: root.toggleConnection()
    }
}
