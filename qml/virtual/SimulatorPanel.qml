import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// The simulator panel: settings for a swarm of virtual devices (simulator library), start and
// stop, live link counters, and a live view of the room where each virtual device's TRUE
// position is drawn with its simulated LED ring next to where the console places it from its
// beacons. Select devices here or on the field and command them from the command panel.
Rectangle {
    id: root

    property SwarmController swarm
    property DeviceStore store

    signal openField()

    readonly property bool running: swarm !== null && swarm.running

    function startSwarm() {
        if (root.swarm)
            root.swarm.start()
    }

    function stopSwarm() {
        if (root.swarm)
            root.swarm.stop()
    }

    function plural(n, one, many) {
        return n === 1 ? one : many.arg(n)
    }

    color: Theme.window

    RowLayout {
        anchors.fill: parent
        spacing: 0

        // Settings
        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 350
            color: Theme.panel

            Rectangle {
                anchors.right: parent.right
                width: 1
                height: parent.height
                color: Theme.border
            }

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
                            value: root.swarm ? root.swarm.devices : 50
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("How many virtual devices to spawn (1 to 5,000)")
                            onValueModified: root.swarm.devices = value
                        }
                        Label { text: qsTr("Rate (frames/s)"); color: Theme.text }
                        SpinBox {
                            objectName: "rateHz"
                            Layout.fillWidth: true
                            from: 1
                            to: 100
                            editable: true
                            value: root.swarm ? Math.round(root.swarm.hz) : 20
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("Frames each device sends per second (firmware: about 20)")
                            onValueModified: root.swarm.hz = value
                        }
                        Label { text: qsTr("Devices per socket"); color: Theme.text }
                        SpinBox {
                            objectName: "gateway"
                            Layout.fillWidth: true
                            from: 1
                            to: 1000
                            editable: true
                            value: root.swarm ? root.swarm.gateway : 1
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("1: one WebSocket per device, like real hardware; more: gateways carrying several devices")
                            onValueModified: root.swarm.gateway = value
                        }
                        Label { text: qsTr("Seed"); color: Theme.text }
                        TextField {
                            objectName: "seedField"
                            Layout.fillWidth: true
                            placeholderText: qsTr("random each run")
                            text: root.swarm ? root.swarm.seedText : ""
                            validator: RegularExpressionValidator { regularExpression: /[0-9]{0,10}/ }
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("Same seed, same ids, start positions and taps")
                            onTextEdited: root.swarm.seedText = text
                        }
                        Label { text: qsTr("Relay"); color: Theme.text }
                        TextField {
                            objectName: "swarmUrl"
                            Layout.fillWidth: true
                            placeholderText: root.swarm ? root.swarm.defaultUrl : ""
                            text: root.swarm ? root.swarm.url : ""
                            selectByMouse: true
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("ws:// URL of the relay; empty: the relay this console uses")
                            onTextEdited: root.swarm.url = text
                        }
                    }

                    Label {
                        Layout.topMargin: Theme.spacing
                        text: qsTr("Rotation")
                        color: Theme.subtleText
                        font.pixelSize: Theme.smallFontSize
                        font.capitalization: Font.AllUppercase
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        Label {
                            Layout.preferredWidth: 130
                            text: qsTr("Mode")
                            color: Theme.text
                        }
                        ComboBox {
                            id: rotationBox
                            objectName: "rotationMode"
                            Layout.fillWidth: true
                            readonly property var modes: ["off", "constant", "random"]
                            model: [qsTr("Off: lying flat"), qsTr("Constant spin"), qsTr("Random wobble")]
                            currentIndex: root.swarm ? Math.max(0, modes.indexOf(root.swarm.rotation)) : 0
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("How devices turn; the accelerometer follows")
                            onActivated: index => root.swarm.rotation = modes[index]
                        }
                    }
                    LabeledSlider {
                        objectName: "maxRollRate"
                        label: qsTr("Max roll rate")
                        unit: "°/s"
                        decimals: 0
                        from: 0; to: 720; stepSize: 5
                        enabled: rotationBox.currentIndex > 0
                        value: root.swarm ? root.swarm.maxRollRate : 0
                        onMoved: v => root.swarm.maxRollRate = v
                    }
                    LabeledSlider {
                        objectName: "maxPitchRate"
                        label: qsTr("Max pitch rate")
                        unit: "°/s"
                        decimals: 0
                        from: 0; to: 720; stepSize: 5
                        enabled: rotationBox.currentIndex > 0
                        value: root.swarm ? root.swarm.maxPitchRate : 0
                        onMoved: v => root.swarm.maxPitchRate = v
                    }
                    LabeledSlider {
                        objectName: "maxYawRate"
                        label: qsTr("Max yaw rate")
                        unit: "°/s"
                        decimals: 0
                        from: 0; to: 720; stepSize: 5
                        enabled: rotationBox.currentIndex > 0
                        value: root.swarm ? root.swarm.maxYawRate : 0
                        onMoved: v => root.swarm.maxYawRate = v
                    }

                    Label {
                        Layout.topMargin: Theme.spacing
                        text: qsTr("Flocking")
                        color: Theme.subtleText
                        font.pixelSize: Theme.smallFontSize
                        font.capitalization: Font.AllUppercase
                    }
                    LabeledSlider {
                        objectName: "alignment"
                        label: qsTr("Alignment")
                        hint: qsTr("Steer towards the neighbours' heading")
                        from: 0; to: 5; stepSize: 0.1
                        value: root.swarm ? root.swarm.alignment : 0
                        onMoved: v => root.swarm.alignment = v
                    }
                    LabeledSlider {
                        objectName: "cohesion"
                        label: qsTr("Cohesion")
                        hint: qsTr("Steer towards the neighbours' centre")
                        from: 0; to: 5; stepSize: 0.1
                        value: root.swarm ? root.swarm.cohesion : 0
                        onMoved: v => root.swarm.cohesion = v
                    }
                    LabeledSlider {
                        objectName: "separation"
                        label: qsTr("Separation")
                        hint: qsTr("Steer away from crowding neighbours")
                        from: 0; to: 5; stepSize: 0.1
                        value: root.swarm ? root.swarm.separation : 0
                        onMoved: v => root.swarm.separation = v
                    }
                    LabeledSlider {
                        objectName: "alignmentRadius"
                        label: qsTr("Alignment radius")
                        unit: "cm"; decimals: 0
                        from: 0; to: 400; stepSize: 5
                        value: root.swarm ? root.swarm.alignmentRadius : 0
                        onMoved: v => root.swarm.alignmentRadius = v
                    }
                    LabeledSlider {
                        objectName: "cohesionRadius"
                        label: qsTr("Cohesion radius")
                        unit: "cm"; decimals: 0
                        from: 0; to: 400; stepSize: 5
                        value: root.swarm ? root.swarm.cohesionRadius : 0
                        onMoved: v => root.swarm.cohesionRadius = v
                    }
                    LabeledSlider {
                        objectName: "separationRadius"
                        label: qsTr("Separation radius")
                        unit: "cm"; decimals: 0
                        from: 0; to: 400; stepSize: 5
                        value: root.swarm ? root.swarm.separationRadius : 0
                        onMoved: v => root.swarm.separationRadius = v
                    }
                    LabeledSlider {
                        objectName: "maxSpeed"
                        label: qsTr("Max speed")
                        unit: "cm/s"; decimals: 0
                        from: 0; to: 500; stepSize: 5
                        value: root.swarm ? root.swarm.maxSpeed : 0
                        onMoved: v => root.swarm.maxSpeed = v
                    }
                    LabeledSlider {
                        objectName: "maxForce"
                        label: qsTr("Max force")
                        unit: "cm/s²"; decimals: 0
                        from: 0; to: 500; stepSize: 5
                        value: root.swarm ? root.swarm.maxForce : 0
                        onMoved: v => root.swarm.maxForce = v
                    }

                    Label {
                        Layout.topMargin: Theme.spacing
                        text: qsTr("Taps")
                        color: Theme.subtleText
                        font.pixelSize: Theme.smallFontSize
                        font.capitalization: Font.AllUppercase
                    }
                    LabeledSlider {
                        objectName: "tapRate"
                        label: qsTr("Tap rate")
                        unit: "/s"; decimals: 2
                        hint: qsTr("Average taps per second per device (random, Poisson)")
                        from: 0; to: 5; stepSize: 0.05
                        value: root.swarm ? root.swarm.tapRate : 0
                        onMoved: v => root.swarm.tapRate = v
                    }
                    Button {
                        objectName: "resetDefaultsButton"
                        Layout.topMargin: Theme.smallSpacing
                        text: qsTr("Reset to defaults")
                        ToolTip.visible: hovered
                        ToolTip.delay: 600
                        ToolTip.text: qsTr("The old browser simulator's flocking values")
                        onClicked: root.swarm.resetDefaults()
                    }
                }
            }
        }

        // Status and live view
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            Rectangle {
                Layout.fillWidth: true
                implicitHeight: statusColumn.implicitHeight + 2 * Theme.spacing
                color: Theme.panel

                Rectangle {
                    anchors.bottom: parent.bottom
                    width: parent.width
                    height: 1
                    color: Theme.border
                }

                ColumnLayout {
                    id: statusColumn
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    spacing: Theme.smallSpacing

                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.spacing

                        Button {
                            objectName: "startSwarmButton"
                            text: root.running ? qsTr("Restart") : qsTr("Start")
                            highlighted: !root.running
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: root.running ? qsTr("Restart with the current settings (Ctrl+Return)")
                                                       : qsTr("Spawn the virtual devices (Ctrl+Return)")
                            onClicked: root.startSwarm()
                        }
                        Button {
                            objectName: "stopSwarmButton"
                            text: qsTr("Stop")
                            enabled: root.running
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("Close every virtual device's connection (Ctrl+.)")
                            onClicked: root.stopSwarm()
                        }
                        Rectangle {
                            width: 10
                            height: 10
                            radius: 5
                            color: !root.running ? Theme.subtleText
                                                 : (root.swarm.openSockets === root.swarm.sockets ? Theme.good : Theme.warning)
                        }
                        Label {
                            objectName: "swarmState"
                            Layout.fillWidth: true
                            elide: Text.ElideRight
                            color: Theme.text
                            text: root.running ? qsTr("Running %1 → %2").arg(root.plural(root.swarm.runningDevices, qsTr("1 device"), qsTr("%1 devices"))).arg(root.swarm.targetUrl)
                                               : qsTr("Stopped")
                        }
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        Switch {
                            objectName: "truePositionsSwitch"
                            text: qsTr("True positions")
                            checked: root.swarm ? root.swarm.showTruePositions : false
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("Draw where each virtual device really is, with its LED ring, over the field (Ctrl+T)")
                            onToggled: root.swarm.showTruePositions = checked
                        }
                        Label {
                            objectName: "swarmElapsed"
                            Layout.fillWidth: true
                            horizontalAlignment: Text.AlignRight
                            color: Theme.subtleText
                            font.pixelSize: Theme.smallFontSize
                            text: root.running ? qsTr("running for %1 s").arg(Math.floor(root.swarm.elapsedSeconds)) : ""
                        }
                    }

                    GridLayout {
                        Layout.fillWidth: true
                        columns: 3
                        columnSpacing: Theme.largeSpacing
                        rowSpacing: 2

                        Label { text: qsTr("Open sockets"); color: Theme.subtleText; font.pixelSize: Theme.smallFontSize }
                        Label { text: qsTr("Frames/s sent"); color: Theme.subtleText; font.pixelSize: Theme.smallFontSize }
                        Label { text: qsTr("Commands received"); color: Theme.subtleText; font.pixelSize: Theme.smallFontSize }
                        Label {
                            objectName: "openSockets"
                            color: Theme.text
                            font.pixelSize: Theme.titleFontSize
                            text: root.swarm ? qsTr("%1 / %2").arg(root.swarm.openSockets).arg(root.swarm.sockets) : ""
                        }
                        Label {
                            objectName: "framesPerSecond"
                            color: Theme.text
                            font.pixelSize: Theme.titleFontSize
                            text: root.swarm ? Math.round(root.swarm.framesPerSecond).toLocaleString(Qt.locale(), "f", 0) : ""
                        }
                        Label {
                            objectName: "commandsReceived"
                            color: Theme.text
                            font.pixelSize: Theme.titleFontSize
                            text: root.swarm ? root.swarm.commandsReceived.toLocaleString(Qt.locale(), "f", 0) : ""
                        }
                        Label { text: qsTr("Reconnects"); color: Theme.subtleText; font.pixelSize: Theme.smallFontSize }
                        Label { text: qsTr("Failed connects"); color: Theme.subtleText; font.pixelSize: Theme.smallFontSize }
                        Label { text: qsTr("Seed"); color: Theme.subtleText; font.pixelSize: Theme.smallFontSize }
                        Label {
                            objectName: "reconnects"
                            color: Theme.text
                            font.pixelSize: Theme.titleFontSize
                            text: root.swarm ? root.swarm.reconnects.toLocaleString(Qt.locale(), "f", 0) : ""
                        }
                        Label {
                            objectName: "connectFailures"
                            color: root.swarm && root.swarm.connectFailures > 0 ? Theme.warning : Theme.text
                            font.pixelSize: Theme.titleFontSize
                            text: root.swarm ? root.swarm.connectFailures.toLocaleString(Qt.locale(), "f", 0) : ""
                        }
                        Label {
                            objectName: "seedInUse"
                            color: Theme.text
                            font.pixelSize: Theme.titleFontSize
                            font.family: Theme.monoFont
                            text: root.swarm && root.swarm.seedInUse.length > 0 ? root.swarm.seedInUse : "–"
                        }
                    }

                    Label {
                        objectName: "swarmError"
                        Layout.fillWidth: true
                        visible: text.length > 0
                        wrapMode: Text.WordWrap
                        color: Theme.bad
                        text: root.swarm ? root.swarm.error : ""
                    }
                    Label {
                        objectName: "linkError"
                        Layout.fillWidth: true
                        visible: root.running && text.length > 0 && root.swarm.openSockets < root.swarm.sockets
                        elide: Text.ElideRight
                        color: Theme.warning
                        font.pixelSize: Theme.smallFontSize
                        text: root.swarm && root.swarm.lastLinkError.length > 0 ? qsTr("Last link problem: %1").arg(root.swarm.lastLinkError) : ""
                    }
                }
            }

            // Live view: the console's field (estimated positions, commanded colours) with the
            // swarm's true positions and real LED rings on top.
            Item {
                Layout.fillWidth: true
                Layout.fillHeight: true

                DeviceField {
                    id: preview
                    objectName: "simulatorField"
                    anchors.fill: parent
                    store: root.visible ? root.store : null
                    maxLabels: 0
                    floorColor: Theme.fieldFloor
                    gridColor: Theme.fieldGrid
                    wallColor: Theme.fieldWall
                    beaconColor: Theme.fieldBeacon
                    selectionColor: Theme.selection
                    hoverColor: Theme.fieldHover
                    unknownColor: Theme.fieldUnknown
                    staleColor: Theme.fieldStale
                    flashColor: Theme.fieldFlash
                }
                SwarmOverlay {
                    id: overlay
                    objectName: "simulatorOverlay"
                    anchors.fill: parent
                    field: preview
                    swarm: root.swarm
                    visible: root.visible && root.swarm !== null && root.swarm.showTruePositions
                    outlineColor: Theme.swarmOutline
                    ledOffColor: Theme.swarmLedOff
                    linkColor: Theme.swarmLink
                }
                Rectangle {
                    anchors.left: parent.left
                    anchors.bottom: parent.bottom
                    anchors.margins: Theme.spacing
                    anchors.right: parent.right
                    height: legend.implicitHeight + 2 * Theme.smallSpacing
                    radius: Theme.radius
                    color: Theme.panel
                    opacity: 0.92
                    border.color: Theme.border

                    Label {
                        id: legend
                        anchors.centerIn: parent
                        width: parent.width - 2 * Theme.spacing
                        wrapMode: Text.WordWrap
                        color: Theme.subtleText
                        font.pixelSize: Theme.smallFontSize
                        text: overlay.visible ? qsTr("Hexagons: true position and simulated LED ring · dots: position estimated from beacons, in the commanded colour · drag to select")
                                              : qsTr("Dots: position estimated from beacons, in the commanded colour · drag to select")
                    }
                }
                Label {
                    anchors.centerIn: parent
                    visible: !root.running
                    horizontalAlignment: Text.AlignHCenter
                    color: Theme.subtleText
                    text: qsTr("No swarm running.\nSet the device count and press Start (Ctrl+Return).")
                }
            }
        }
    }

    Shortcut {
        sequence: "Ctrl+Return"
        enabled: root.visible
        onActivated: root.startSwarm()
    }
    Shortcut {
        sequence: "Ctrl+."
        enabled: root.visible
        onActivated: root.stopSwarm()
    }
    Shortcut {
        sequence: "Ctrl+T"
        enabled: root.visible && root.swarm !== null
        onActivated: root.swarm.showTruePositions = !root.swarm.showTruePositions
    }
}
