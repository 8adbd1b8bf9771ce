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

    property CommandController commands
    property DeviceStore store
    property RegistryModel registry

    // private
    readonly property bool canSend: commands ? commands.canSend : false
    readonly property var patterns: ["breathing", "heartbeat", "solid", "cycle", "spring", "off"]

    color: Theme.panel
    implicitWidth: Theme.sidePanelWidth

    function send(command, params) {
        return root.commands.send(command, params)
    }

    component Section: ColumnLayout {
        id: section

        property string title
        property string hint

        Layout.fillWidth: true
        spacing: Theme.smallSpacing

        Label {
            text: section.title
            font.bold: true
            color: Theme.text
            Layout.topMargin: Theme.spacing
        }
        Label {
            visible: section.hint.length > 0
            text: section.hint
            color: Theme.subtleText
            font.pixelSize: Theme.smallFontSize
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }

    Rectangle {
        anchors.left: parent.left
        width: 1
        height: parent.height
        color: Theme.border
    }

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

        RowLayout {
            Layout.fillWidth: true
            spacing: 0

            RadioButton {
                objectName: "targetSelection"
                text: qsTr("Selection")
                checked: root.commands && root.commands.targetMode === CommandController.Selection
                onToggled: root.commands.targetMode = CommandController.Selection
                ToolTip.visible: hovered
                ToolTip.delay: 600
                ToolTip.text: qsTr("One cmd: per selected device")
            }
            RadioButton {
                objectName: "targetAll"
                text: qsTr("All")
                checked: root.commands && root.commands.targetMode === CommandController.All
                onToggled: root.commands.targetMode = CommandController.All
                ToolTip.visible: hovered
                ToolTip.delay: 600
                ToolTip.text: qsTr("One cmd:all; the relay sends it to every device it knows")
            }
            RadioButton {
                id: oneRadio
                objectName: "targetOne"
                text: qsTr("One")
                checked: root.commands && root.commands.targetMode === CommandController.One
                onToggled: root.commands.targetMode = CommandController.One
            }
            TextField {
                objectName: "oneTargetField"
                Layout.fillWidth: true
                enabled: oneRadio.checked
                placeholderText: qsTr("id, e.g. a1b2")
                maximumLength: 4
                font.family: Theme.monoFont
                selectByMouse: true
                text: root.commands ? root.commands.oneTarget : ""
                onTextEdited: root.commands.oneTarget = text
            }
        }

        Label {
            objectName: "targetSummary"
            Layout.fillWidth: true
            text: root.commands ? qsTr("Target: %1").arg(root.commands.targetSummary) : ""
            color: root.canSend ? Theme.text : Theme.warning
            elide: Text.ElideRight
        }

        ScrollView {
            id: scroll
            objectName: "commandScroll"
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentWidth: availableWidth
            clip: true

            ColumnLayout {
                width: scroll.availableWidth
                spacing: Theme.smallSpacing

                Section {
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
                        ToolTip.visible: hovered
                        ToolTip.delay: 600
                        ToolTip.text: "led:" + picker.hex.toLowerCase()
                        onClicked: root.send("led", picker.hex.toLowerCase())
                    }
                }

                Section {
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
                            Layout.preferredWidth: 28
                        }
                        Button {
                            objectName: "sendBrightnessButton"
                            text: qsTr("Brightness")
                            enabled: root.canSend
                            onClicked: root.send("brightness", String(Math.round(brightnessSlider.value)))
                        }
                    }
                }

                Section {
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
                            text: root.commands ? root.commands.springParams(spring.stiffness, spring.damping, spring.mass) : ""
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

                Section {
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
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("Duration in milliseconds")
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
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("reset: restarts the current pattern (not a reboot)")
                            onClicked: root.send("reset", "")
                        }
                        Button {
                            objectName: "sendStatusButton"
                            text: qsTr("Status")
                            enabled: root.canSend
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("status: the device prints its state on its serial console")
                            onClicked: root.send("status", "")
                        }
                    }
                }

                Section {
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

                Section {
                    title: qsTr("Other commands")
                    hint: qsTr("From the relay's registry")
                    visible: root.registry !== null && root.registry.genericCount > 0

                    Repeater {
                        model: root.registry

                        delegate: RowLayout {
                            id: generic

                            required property string name
                            required property var parameters
                            required property string description
                            required property bool hasWidget

                            objectName: "generic_" + name
                            visible: !hasWidget
                            Layout.fillWidth: true
                            Label {
                                text: generic.name
                                font.family: Theme.monoFont
                                color: Theme.text
                            }
                            TextField {
                                id: paramsField
                                Layout.fillWidth: true
                                visible: generic.parameters.length > 0
                                placeholderText: generic.parameters.join(":")
                                selectByMouse: true
                            }
                            Item {
                                Layout.fillWidth: true
                                visible: generic.parameters.length === 0
                            }
                            Button {
                                objectName: "genericSend_" + generic.name
                                text: qsTr("Send")
                                enabled: root.canSend
                                ToolTip.visible: hovered
                                ToolTip.delay: 600
                                ToolTip.text: generic.description
                                onClicked: root.send(generic.name, paramsField.text)
                            }
                        }
                    }
                }

                Section {
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

                Section {
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
            text: root.commands ? root.commands.lastSummary : ""
            color: Theme.subtleText
            font.pixelSize: Theme.smallFontSize
            wrapMode: Text.Wrap
            maximumLineCount: 3
            elide: Text.ElideRight
        }
        CommandResults {
            objectName: "commandResults"
            Layout.fillWidth: true
            Layout.preferredHeight: 170
            commands: root.commands
        }
    }

    OtaDialog {
        id: otaDialog
        objectName: "otaDialog"
        anchors.centerIn: Overlay.overlay
        url: otaUrl.text
        targetSummary: root.commands ? root.commands.targetSummary : ""
        onConfirmed: url => root.commands.sendConfirmed("ota", url)
    }
}
