import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// Send commands to the selection, to all devices (one cmd:all) or to one device id.
// Controls come from the relay's command registry: dedicated widgets for the firmware's
// commands, a generic form for any other, and a raw command line.
Rectangle {
    id: root

    required property CommandController commands
    property DeviceStore store
    required property RegistryModel registry

    // private
    readonly property bool canSend: commands.canSend
    readonly property var patterns: ["breathing", "heartbeat", "solid", "cycle", "spring", "off"]

    color: Theme.panel
    implicitWidth: Theme.sidePanelWidth

    function send(command, params) {
        return root.commands.send(command, params)
    }

    Divider { edge: Qt.LeftEdge }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        anchors.leftMargin: Theme.spacing + 1
        spacing: Theme.smallSpacing

        Label {
            text: qsTr("Commands")
            font.pixelSize: Theme.titleFontSize
            font.bold: true
            color: Theme.text
        }

        TargetPicker {
            Layout.fillWidth: true
            commands: root.commands
        }

        // On a laptop screen (1280x720, 1366x768) the sections are taller than the panel: the
        // scroll bar then stays on, so the lowest controls are seen to be there, and the content
        // makes room for it. On taller screens nothing scrolls and nothing changes.
        ScrollView {
            id: scroll
            objectName: "commandScroll"
            readonly property bool overflows: contentHeight > availableHeight + 1
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentWidth: availableWidth
            rightPadding: overflows ? ScrollBar.vertical.width + Theme.smallSpacing : 0
            clip: true
            ScrollBar.vertical.policy: overflows ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
            ScrollBar.horizontal.policy: ScrollBar.AlwaysOff

            ColumnLayout {
                width: scroll.availableWidth
                spacing: Theme.smallSpacing

                CommandSection {
                    title: qsTr("LED colour")
                    hint: qsTr("led: colour of the current pattern")

                    ColorPicker {
                        id: picker
                        objectName: "colorPicker"
                    }
                    Button {
                        objectName: "sendLedButton"
                        text: qsTr("Set colour")
                        enabled: root.canSend && picker.valid
                        onClicked: root.send("led", picker.hex.toLowerCase())
                        Hint { text: "led:" + picker.hex.toLowerCase() }
                    }
                }

                CommandSection {
                    title: qsTr("Pattern and brightness")

                    RowLayout {
                        Layout.fillWidth: true
                        ComboBox {
                            id: patternBox
                            objectName: "patternBox"
                            Layout.fillWidth: true
                            model: root.patterns
                        }
                        Button {
                            objectName: "sendPatternButton"
                            text: qsTr("Set pattern")
                            enabled: root.canSend
                            onClicked: root.send("pattern", patternBox.currentText)
                        }
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        Slider {
                            id: brightnessSlider
                            objectName: "brightnessSlider"
                            Layout.fillWidth: true
                            from: 0
                            to: 255
                            stepSize: 1
                            value: 255
                            ToolTip.visible: pressed
                            ToolTip.text: Math.round(value)
                        }
                        Label {
                            text: Math.round(brightnessSlider.value)
                            color: Theme.text
                            Layout.preferredWidth: Theme.shortNumberWidth
                        }
                        Button {
                            objectName: "sendBrightnessButton"
                            text: qsTr("Brightness")
                            enabled: root.canSend
                            onClicked: root.send("brightness", String(Math.round(brightnessSlider.value)))
                        }
                    }
                }

                CommandSection {
                    title: qsTr("Spring")
                    hint: qsTr("spring_param as KKDDMM: %1").arg(springHex.text)

                    SpringControls {
                        id: spring
                        Layout.fillWidth: true
                    }
                    RowLayout {
                        Label {
                            id: springHex
                            objectName: "springHex"
                            text: root.commands.springParams(spring.stiffness, spring.damping, spring.mass)
                            font.family: Theme.monoFont
                            color: Theme.text
                        }
                        Item { Layout.fillWidth: true }
                        Button {
                            objectName: "sendSpringButton"
                            text: qsTr("Set spring")
                            enabled: root.canSend
                            onClicked: root.send("spring_param", springHex.text)
                        }
                    }
                }

                CommandSection {
                    title: qsTr("Vibrate, reset, status")

                    RowLayout {
                        Layout.fillWidth: true
                        SpinBox {
                            id: vibrateBox
                            objectName: "vibrateDuration"
                            from: 10
                            to: 5000
                            stepSize: 50
                            value: 300
                            editable: true
                            Hint { text: qsTr("Duration in milliseconds") }
                        }
                        Label { text: qsTr("ms"); color: Theme.subtleText }
                        Button {
                            objectName: "sendVibrateButton"
                            text: qsTr("Vibrate")
                            enabled: root.canSend
                            onClicked: root.send("vibrate", String(vibrateBox.value))
                        }
                    }
                    RowLayout {
                        Button {
                            objectName: "sendResetButton"
                            text: qsTr("Reset pattern")
                            enabled: root.canSend
                            onClicked: root.send("reset", "")
                            Hint { text: qsTr("reset: restarts the current pattern (not a reboot)") }
                        }
                        Button {
                            objectName: "sendStatusButton"
                            text: qsTr("Status")
                            enabled: root.canSend
                            onClicked: root.send("status", "")
                            Hint { text: qsTr("status: the device prints its state on its serial console only; nothing comes back here") }
                        }
                    }
                }

                CommandSection {
                    title: qsTr("LED ring")
                    hint: qsTr("Per-LED mode, using the colour above")

                    LedRingEditor {
                        objectName: "ledRing"
                        Layout.fillWidth: true
                        colorHex: picker.hex
                        canSend: root.canSend
                        onSetLed: (index, hex) => root.send("led_set", index + ":" + hex)
                        onLedOff: index => root.send("led_off", String(index))
                        onAllOff: root.send("led_all_off", "")
                    }
                }

                CommandSection {
                    title: qsTr("Other commands")
                    hint: qsTr("From the relay's registry")
                    visible: root.registry.genericCount > 0

                    Repeater {
                        model: root.registry

                        delegate: GenericCommandRow {
                            canSend: root.canSend
                            onSendRequested: (command, params) => root.send(command, params)
                        }
                    }
                }

                CommandSection {
                    title: qsTr("Firmware update")
                    hint: qsTr("ota: devices download the image and reboot")

                    RowLayout {
                        Layout.fillWidth: true
                        TextField {
                            id: otaUrl
                            objectName: "otaUrlField"
                            Layout.fillWidth: true
                            placeholderText: qsTr("http://host:5004/firmware.bin")
                            selectByMouse: true
                        }
                        Button {
                            objectName: "otaButton"
                            text: qsTr("Flash…")
                            enabled: root.canSend && /^https?:\/\/.+/.test(otaUrl.text)
                            onClicked: otaDialog.open()
                        }
                    }
                }

                CommandSection {
                    title: qsTr("Raw command")

                    RawCommandLine {
                        objectName: "rawCommand"
                        Layout.fillWidth: true
                        commands: root.commands
                        registry: root.registry
                    }
                }
            }
        }

        Label {
            text: qsTr("Results")
            font.bold: true
            color: Theme.text
        }
        Label {
            objectName: "lastSummary"
            Layout.fillWidth: true
            text: root.commands.lastSummary
            color: Theme.subtleText
            font.pixelSize: Theme.smallFontSize
            wrapMode: Text.Wrap
            maximumLineCount: 3
            elide: Text.ElideRight
        }
        CommandResults {
            objectName: "commandResults"
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.resultsHeight
            commands: root.commands
        }
    }

    OtaDialog {
        id: otaDialog
        objectName: "otaDialog"
        anchors.centerIn: Overlay.overlay
        url: otaUrl.text
        targetSummary: root.commands.targetSummary
        onConfirmed: url => root.commands.sendConfirmed("ota", url)
    }
}
