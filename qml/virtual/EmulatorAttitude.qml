import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// The emulated device's attitude: the tilt box to drag, roll, pitch and yaw with the
// acceleration they give, and the Tap and Level buttons.
Rectangle {
    id: root

    required property EmulatorController emulator

    signal interacted() // the user dragged the box or pressed a button (the panel takes key focus)

    implicitHeight: Theme.attitudeHeight
    color: Theme.panel

    Divider { edge: Qt.TopEdge }

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.largeSpacing

        TiltCube {
            objectName: "tiltCube"
            Layout.preferredWidth: Theme.tiltCubeWidth
            Layout.fillHeight: true
            roll: root.emulator.roll
            pitch: root.emulator.pitch
            yaw: root.emulator.yaw
            leds: root.emulator.leds
            bodyColor: Theme.button
            edgeColor: Theme.subtleText
            onTilted: (dRoll, dPitch, dYaw) => {
                root.interacted()
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
                text: root.emulator.roll.toFixed(0) + "°"
            }
            Label {
                objectName: "accelX"
                font.family: Theme.monoFont
                color: Theme.accelColors[0]
                text: root.emulator.acceleration[0].toFixed(2) + " g"
            }
            Label { text: qsTr("Pitch / y"); color: Theme.text }
            Label {
                objectName: "pitchValue"
                font.family: Theme.monoFont
                color: Theme.text
                text: root.emulator.pitch.toFixed(0) + "°"
            }
            Label {
                objectName: "accelY"
                font.family: Theme.monoFont
                color: Theme.accelColors[1]
                text: root.emulator.acceleration[1].toFixed(2) + " g"
            }
            Label { text: qsTr("Yaw / z"); color: Theme.text }
            Label {
                objectName: "yawValue"
                font.family: Theme.monoFont
                color: Theme.text
                text: root.emulator.yaw.toFixed(0) + "°"
            }
            Label {
                objectName: "accelZ"
                font.family: Theme.monoFont
                color: Theme.accelColors[2]
                text: root.emulator.acceleration[2].toFixed(2) + " g"
            }

            RowLayout {
                Layout.columnSpan: 3
                Layout.topMargin: Theme.spacing
                spacing: Theme.spacing

                Button {
                    objectName: "tapButton"
                    text: qsTr("Tap")
                    onClicked: {
                        root.emulator.tap()
                        root.interacted()
                    }
                    Hint { text: qsTr("A tap: the next frame carries ff (Space)") }
                }
                Button {
                    objectName: "levelButton"
                    text: qsTr("Level")
                    onClicked: {
                        root.emulator.level()
                        root.interacted()
                    }
                    Hint { text: qsTr("Lay the device flat, face up (Home)") }
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
