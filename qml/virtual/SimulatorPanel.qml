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

    required property SwarmController swarm
    required property DeviceStore store

    readonly property bool running: swarm.running
    // Settings changed while the swarm runs: they take effect on Restart, which the panel marks.
    property bool restartPending: false

    function startSwarm() {
        root.restartPending = false
        root.swarm.start()
    }

    function stopSwarm() {
        root.swarm.stop()
    }

    color: Theme.window

    RowLayout {
        anchors.fill: parent
        spacing: 0

        SimulatorSettings {
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.settingsPanelWidth
            swarm: root.swarm
            restartPending: root.restartPending
        }

        // Status and live view
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            SimulatorStatus {
                Layout.fillWidth: true
                swarm: root.swarm
                restartPending: root.restartPending
                onStartRequested: root.startSwarm()
                onStopRequested: root.stopSwarm()
            }

            // Live view: the console's field (estimated positions, predicted colours) with the
            // swarm's true positions and real LED rings on top.
            Item {
                Layout.fillWidth: true
                Layout.fillHeight: true

                RoomField {
                    id: preview
                    objectName: "simulatorField"
                    anchors.fill: parent
                    store: root.visible ? root.store : null
                    maxLabels: 0
                }
                SwarmOverlay {
                    id: overlay
                    objectName: "simulatorOverlay"
                    anchors.fill: parent
                    field: preview
                    swarm: root.swarm
                    visible: root.visible && root.swarm.showTruePositions
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
                        text: overlay.visible ? qsTr("Hexagons: true position and simulated LED ring · dots: position estimated from beacons, in the LED colour the console predicts · corner marks: selected · drag to select")
                                              : qsTr("Dots: position estimated from beacons, in the LED colour the console predicts · corner marks: selected · drag to select")
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

    Connections {
        target: root.swarm

        function onConfigChanged() {
            if (root.swarm.running)
                root.restartPending = true
        }
        function onRunningChanged() {
            root.restartPending = false
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
        enabled: root.visible
        onActivated: root.swarm.showTruePositions = !root.swarm.showTruePositions
    }
}
