import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// The simulator's settings: how many devices, how fast, how they connect, turn, flock and tap.
// Each control writes to the swarm controller; they apply when the swarm (re)starts.
Rectangle {
    id: root

    required property SwarmController swarm
    property bool restartPending: false // settings changed while running

    // A slider for one SwarmController property, described by a row of a Repeater's model:
    // key (the property), label, hint, unit, decimals (default 1), to (from is 0), step.
    component SwarmSlider: LabeledSlider {
        required property var modelData

        objectName: modelData.key
        label: modelData.label
        hint: modelData.hint || ""
        unit: modelData.unit || ""
        decimals: modelData.decimals !== undefined ? modelData.decimals : 1
        from: 0
        to: modelData.to
        stepSize: modelData.step
        value: root.swarm[modelData.key]
        onMoved: v => root.swarm[modelData.key] = v
    }

    color: Theme.panel

    Divider { edge: Qt.RightEdge }

    ScrollView {
        id: settingsScroll
        anchors.fill: parent
        anchors.margins: Theme.spacing
        contentWidth: availableWidth
        clip: true

        ColumnLayout {
            width: settingsScroll.availableWidth
            spacing: Theme.smallSpacing

            Label {
                text: qsTr("Virtual devices")
                color: Theme.text
                font.pixelSize: Theme.titleFontSize
                font.bold: true
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                color: Theme.subtleText
                font.pixelSize: Theme.smallFontSize
                text: qsTr("Each device runs the firmware's LED and vibration model and streams frames over its own WebSocket (or a shared one per gateway). Settings apply when the swarm (re)starts.")
            }
            Label {
                objectName: "restartNotice"
                Layout.fillWidth: true
                visible: root.swarm.running
                wrapMode: Text.WordWrap
                font.pixelSize: Theme.smallFontSize
                font.bold: root.restartPending
                color: root.restartPending ? Theme.stateWarning : Theme.subtleText
                text: root.restartPending ? qsTr("Changed: the running swarm still uses the old settings. Press Restart (Ctrl+Return) to apply them.")
                                          : qsTr("The swarm is running: changes here apply on Restart.")
            }

            GridLayout {
                Layout.fillWidth: true
                Layout.topMargin: Theme.smallSpacing
                columns: 2
                columnSpacing: Theme.spacing
                rowSpacing: Theme.smallSpacing

                Label { text: qsTr("Devices"); color: Theme.text }
                SpinBox {
                    objectName: "deviceCount"
                    Layout.fillWidth: true
                    from: 1
                    to: 5000
                    stepSize: 50
                    editable: true
                    value: root.swarm.devices
                    onValueModified: root.swarm.devices = value
                    Hint { text: qsTr("How many virtual devices to spawn (1 to 5,000)") }
                }
                Label { text: qsTr("Rate (frames/s)"); color: Theme.text }
                SpinBox {
                    objectName: "rateHz"
                    Layout.fillWidth: true
                    from: 1
                    to: 100
                    editable: true
                    value: Math.round(root.swarm.hz)
                    onValueModified: root.swarm.hz = value
                    Hint { text: qsTr("Frames each device sends per second (firmware: about 20)") }
                }
                Label { text: qsTr("Devices per socket"); color: Theme.text }
                SpinBox {
                    objectName: "gateway"
                    Layout.fillWidth: true
                    from: 1
                    to: 1000
                    editable: true
                    value: root.swarm.gateway
                    onValueModified: root.swarm.gateway = value
                    Hint { text: qsTr("1: one WebSocket per device, like real hardware; more: gateways carrying several devices") }
                }
                Label { text: qsTr("Seed"); color: Theme.text }
                TextField {
                    objectName: "seedField"
                    Layout.fillWidth: true
                    placeholderText: qsTr("random each run")
                    text: root.swarm.seedText
                    validator: RegularExpressionValidator { regularExpression: /[0-9]{0,10}/ }
                    onTextEdited: root.swarm.seedText = text
                    Hint { text: qsTr("Same seed, same ids, start positions and taps") }
                }
                Label { text: qsTr("Relay"); color: Theme.text }
                TextField {
                    objectName: "swarmUrl"
                    Layout.fillWidth: true
                    placeholderText: root.swarm.defaultUrl
                    text: root.swarm.url
                    selectByMouse: true
                    onTextEdited: root.swarm.url = text
                    Hint { text: qsTr("ws:// URL of the relay; empty: the relay this console uses") }
                }
            }

            SectionHeader {
                Layout.topMargin: Theme.spacing
                text: qsTr("Rotation")
            }
            RowLayout {
                Layout.fillWidth: true
                Label {
                    Layout.preferredWidth: Theme.labelWidth
                    text: qsTr("Mode")
                    color: Theme.text
                }
                ComboBox {
                    id: rotationBox
                    objectName: "rotationMode"
                    Layout.fillWidth: true
                    readonly property var modes: ["off", "constant", "random"]
                    model: [qsTr("Off: lying flat"), qsTr("Constant spin"), qsTr("Random wobble")]
                    currentIndex: Math.max(0, modes.indexOf(root.swarm.rotation))
                    onActivated: index => root.swarm.rotation = modes[index]
                    Hint { text: qsTr("How devices turn; the accelerometer follows") }
                }
            }
            Repeater {
                model: [
                    { key: "maxRollRate", label: qsTr("Max roll rate"), unit: "°/s", decimals: 0, to: 720, step: 5 },
                    { key: "maxPitchRate", label: qsTr("Max pitch rate"), unit: "°/s", decimals: 0, to: 720, step: 5 },
                    { key: "maxYawRate", label: qsTr("Max yaw rate"), unit: "°/s", decimals: 0, to: 720, step: 5 }
                ]

                delegate: SwarmSlider {
                    enabled: rotationBox.currentIndex > 0
                }
            }

            SectionHeader {
                Layout.topMargin: Theme.spacing
                text: qsTr("Flocking")
            }
            Repeater {
                model: [
                    { key: "alignment", label: qsTr("Alignment"), hint: qsTr("Steer towards the neighbours' heading"), to: 5, step: 0.1 },
                    { key: "cohesion", label: qsTr("Cohesion"), hint: qsTr("Steer towards the neighbours' centre"), to: 5, step: 0.1 },
                    { key: "separation", label: qsTr("Separation"), hint: qsTr("Steer away from crowding neighbours"), to: 5, step: 0.1 },
                    { key: "alignmentRadius", label: qsTr("Alignment radius"), unit: "cm", decimals: 0, to: 400, step: 5 },
                    { key: "cohesionRadius", label: qsTr("Cohesion radius"), unit: "cm", decimals: 0, to: 400, step: 5 },
                    { key: "separationRadius", label: qsTr("Separation radius"), unit: "cm", decimals: 0, to: 400, step: 5 },
                    { key: "maxSpeed", label: qsTr("Max speed"), unit: "cm/s", decimals: 0, to: 500, step: 5 },
                    { key: "maxForce", label: qsTr("Max force"), unit: "cm/s²", decimals: 0, to: 500, step: 5 }
                ]

                delegate: SwarmSlider {}
            }

            SectionHeader {
                Layout.topMargin: Theme.spacing
                text: qsTr("Taps")
            }
            LabeledSlider {
                objectName: "tapRate"
                label: qsTr("Tap rate")
                unit: "/s"; decimals: 2
                hint: qsTr("Average taps per second per device (random, Poisson)")
                from: 0; to: 5; stepSize: 0.05
                value: root.swarm.tapRate
                onMoved: v => root.swarm.tapRate = v
            }
            Button {
                objectName: "resetDefaultsButton"
                Layout.topMargin: Theme.smallSpacing
                text: qsTr("Reset to defaults")
                onClicked: root.swarm.resetDefaults()
                Hint { text: qsTr("The old browser simulator's flocking values") }
            }
        }
    }
}
