import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// The swarm at a glance: start and stop, what runs where, and the live link counters.
Rectangle {
    id: root

    required property SwarmController swarm

    readonly property bool running: swarm.running
    property bool restartPending: false // settings changed while running: Restart applies them

    signal startRequested()
    signal stopRequested()

    function plural(n, one, many) {
        return n === 1 ? one : many.arg(n)
    }

    // A counter: its caption in small type over its value in large type. The objectName and
    // `text` are the value's, for tests.
    component Figure: ColumnLayout {
        property alias caption: captionLabel.text
        property alias text: valueLabel.text
        readonly property alias valueLabel: valueLabel

        spacing: 2

        Label {
            id: captionLabel
            color: Theme.subtleText
            font.pixelSize: Theme.smallFontSize
        }
        Label {
            id: valueLabel
            color: Theme.text
            font.pixelSize: Theme.titleFontSize
        }
    }

    implicitHeight: statusColumn.implicitHeight + 2 * Theme.spacing
    color: Theme.panel

    Divider { edge: Qt.BottomEdge }

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
                text: root.running ? (root.restartPending ? qsTr("Restart to apply") : qsTr("Restart")) : qsTr("Start")
                highlighted: !root.running || root.restartPending
                onClicked: root.startRequested()
                Hint {
                    text: root.running ? qsTr("Restart with the current settings (Ctrl+Return)")
                                       : qsTr("Spawn the virtual devices (Ctrl+Return)")
                }
            }
            Button {
                objectName: "stopSwarmButton"
                text: qsTr("Stop")
                enabled: root.running
                onClicked: root.stopRequested()
                Hint { text: qsTr("Close every virtual device's connection (Ctrl+.)") }
            }
            StatusDot {
                color: !root.running ? Theme.stateIdle
                                     : (root.swarm.openSockets === root.swarm.sockets ? Theme.stateOk : Theme.stateWarning)
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
                checked: root.swarm.showTruePositions
                onToggled: root.swarm.showTruePositions = checked
                Hint { text: qsTr("Draw where each virtual device really is, with its LED ring, over the field (Ctrl+T)") }
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

            Figure {
                objectName: "openSockets"
                caption: qsTr("Open sockets")
                // Live figures: nothing to show once stopped (the last frames/s would mislead).
                text: root.running ? qsTr("%1 / %2").arg(root.swarm.openSockets).arg(root.swarm.sockets) : "–"
            }
            Figure {
                objectName: "framesPerSecond"
                caption: qsTr("Frames/s sent")
                text: root.running ? Math.round(root.swarm.framesPerSecond).toLocaleString(Qt.locale(), "f", 0) : "–"
            }
            Figure {
                objectName: "commandsReceived"
                caption: qsTr("Commands received")
                text: root.swarm.commandsReceived.toLocaleString(Qt.locale(), "f", 0)
            }
            Figure {
                objectName: "reconnects"
                caption: qsTr("Reconnects")
                text: root.swarm.reconnects.toLocaleString(Qt.locale(), "f", 0)
            }
            Figure {
                objectName: "connectFailures"
                caption: qsTr("Failed connects")
                text: root.swarm.connectFailures.toLocaleString(Qt.locale(), "f", 0)
                valueLabel.color: root.swarm.connectFailures > 0 ? Theme.stateWarning : Theme.text
            }
            Figure {
                objectName: "seedInUse"
                caption: qsTr("Seed")
                text: root.swarm.seedInUse.length > 0 ? root.swarm.seedInUse : "–"
                valueLabel.font.family: Theme.monoFont
            }
        }

        Label {
            objectName: "swarmError"
            Layout.fillWidth: true
            visible: text.length > 0
            wrapMode: Text.WordWrap
            color: Theme.stateError
            text: root.swarm.error
        }
        Label {
            objectName: "linkError"
            Layout.fillWidth: true
            visible: root.running && text.length > 0 && root.swarm.openSockets < root.swarm.sockets
            elide: Text.ElideRight
            color: Theme.stateWarning
            font.pixelSize: Theme.smallFontSize
            text: root.swarm.lastLinkError.length > 0 ? qsTr("Last link problem: %1").arg(root.swarm.lastLinkError) : ""
        }
    }
}
