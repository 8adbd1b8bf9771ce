import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// What the emulated device shows, sends and receives: its LED ring (shaking while it
// vibrates), its state, the last frame it sent, decoded, and the commands the relay delivered.
Rectangle {
    id: root

    required property EmulatorController emulator

    color: Theme.panel

    Divider { edge: Qt.LeftEdge }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.smallSpacing

        Item {
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.ringViewSize + Theme.largeSpacing + Theme.smallSpacing

            LedRingView {
                id: ring
                objectName: "emulatorRing"
                width: Theme.ringViewSize
                height: Theme.ringViewSize
                anchors.verticalCenter: parent.verticalCenter
                x: (parent.width - width) / 2 + shake.offset
                colors: root.emulator.leds

                QtObject {
                    id: shake
                    property real offset: 0
                }
                SequentialAnimation {
                    objectName: "vibrationAnimation"
                    running: root.emulator.vibrating
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
                visible: root.emulator.vibrating
                text: qsTr("vibrating")
                color: Theme.textOnColor
                padding: 3
                font.pixelSize: Theme.smallFontSize
                background: Rectangle { color: Theme.stateWarning; radius: Theme.radius }
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
                text: root.emulator.phaseText
            }
            Label { text: qsTr("Pattern"); color: Theme.subtleText }
            Label {
                objectName: "emulatorPattern"
                color: Theme.text
                font.family: Theme.monoFont
                text: root.emulator.patternText
            }
            Label { text: qsTr("Brightness"); color: Theme.subtleText }
            Label {
                color: Theme.text
                font.family: Theme.monoFont
                text: root.emulator.brightness
            }
            Label { text: qsTr("Frames sent"); color: Theme.subtleText }
            Label {
                objectName: "emulatorFramesSent"
                color: Theme.text
                font.family: Theme.monoFont
                text: root.emulator.framesSent.toLocaleString(Qt.locale(), "f", 0) + qsTr(" at %1 Hz").arg(root.emulator.hz)
            }
        }

        SectionHeader {
            Layout.topMargin: Theme.spacing
            text: qsTr("Last frame sent")
        }
        TextEdit {
            objectName: "lastFrameHex"
            Layout.fillWidth: true
            readOnly: true
            selectByMouse: true
            color: Theme.text
            font.family: Theme.monoFont
            font.pixelSize: Theme.fontSize + 2
            text: root.emulator.lastFrameHex.length > 0 ? root.emulator.lastFrameHex : qsTr("(nothing sent yet)")
        }
        Label {
            objectName: "lastFrameDecoded"
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            color: Theme.subtleText
            font.pixelSize: Theme.smallFontSize
            text: root.emulator.lastFrameDecoded
        }

        RowLayout {
            Layout.topMargin: Theme.spacing
            Layout.fillWidth: true
            SectionHeader {
                Layout.fillWidth: true
                text: qsTr("Commands received")
            }
            ToolButton {
                objectName: "clearReceivedButton"
                text: qsTr("Clear")
                enabled: receivedList.count > 0
                onClicked: root.emulator.clearReceived()
                Hint { text: qsTr("Clear the list of received commands") }
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
                model: root.emulator.received
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
