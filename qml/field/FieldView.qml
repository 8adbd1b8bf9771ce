import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// The room seen from above: beacons in the corners, every device a dot in the LED colour the
// firmware shows after this console's commands (grey when unknown), placed from its beacon
// strengths; selected devices carry square corner marks. Click, Shift/Ctrl-click,
// drag a rubber band or press Ctrl+A to select; wheel zooms, right/middle drag pans.
Rectangle {
    id: root

    required property DeviceStore store
    property SwarmController swarm: null // optional: draws the simulator's true positions on top

    signal openDetail(string deviceId)

    color: Theme.window

    function zoomBy(factor) {
        field.zoomAt(Qt.point(field.width / 2, field.height / 2), factor)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ToolBar {
            Layout.fillWidth: true
            background: Rectangle { color: Theme.panel }

            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.spacing
                anchors.rightMargin: Theme.spacing
                spacing: Theme.spacing

                Label {
                    objectName: "fieldCount"
                    color: Theme.text
                    text: root.store.count === 1 ? qsTr("1 device") : qsTr("%1 devices").arg(root.store.count)
                }
                Label {
                    color: Theme.subtleText
                    text: root.store.selectedCount > 0 ? qsTr("%1 selected").arg(root.store.selectedCount) : ""
                }
                SourcesChooser {
                    objectName: "fieldSources"
                    store: root.store
                }
                Item { Layout.fillWidth: true }
                Label {
                    color: Theme.subtleText
                    font.pixelSize: Theme.smallFontSize
                    text: qsTr("zoom %1×").arg(field.zoom.toFixed(1))
                }
                ToolButton {
                    objectName: "zoomOutButton"
                    text: "−"
                    onClicked: root.zoomBy(1 / 1.5)
                    Hint { text: qsTr("Zoom out (Ctrl+-)") }
                }
                ToolButton {
                    objectName: "zoomInButton"
                    text: "+"
                    onClicked: root.zoomBy(1.5)
                    Hint { text: qsTr("Zoom in (Ctrl++); labels appear when few devices are in view") }
                }
                ToolButton {
                    objectName: "resetViewButton"
                    text: qsTr("Fit")
                    onClicked: field.resetView()
                    Hint { text: qsTr("Show the whole room (Ctrl+0)") }
                }
                ToolButton {
                    objectName: "truePositionsButton"
                    visible: root.swarm !== null && root.swarm.running
                    text: qsTr("True positions")
                    checkable: true
                    checked: root.swarm !== null && root.swarm.showTruePositions
                    onToggled: root.swarm.showTruePositions = checked
                    Hint { text: qsTr("Draw the simulated devices' true positions and live LED rings over the estimates (Ctrl+T in the Simulator view)") }
                }
                ToolButton {
                    objectName: "selectAllButton"
                    text: qsTr("Select all")
                    onClicked: root.store.selectAll()
                    Hint { text: qsTr("Select every device (Ctrl+A)") }
                }
                ToolButton {
                    objectName: "clearSelectionButton"
                    text: qsTr("Clear")
                    enabled: root.store.selectedCount > 0
                    onClicked: root.store.clearSelection()
                    Hint { text: qsTr("Clear the selection (Esc)") }
                }
            }
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            RoomField {
                id: field
                objectName: "deviceField"
                anchors.fill: parent
                store: root.store
                onDeviceActivated: id => root.openDetail(id)
            }

            SwarmOverlay {
                objectName: "swarmOverlay"
                anchors.fill: parent
                field: field
                swarm: root.swarm
                visible: root.swarm !== null && root.swarm.running && root.swarm.showTruePositions
                outlineColor: Theme.swarmOutline
                ledOffColor: Theme.swarmLedOff
                linkColor: Theme.swarmLink
            }

            Repeater {
                model: field.labels

                // Right of the dot and its selection mark, on a backing so hexagons of the
                // simulator's true positions never make an id unreadable.
                delegate: Label {
                    required property string deviceId
                    required property real labelX
                    required property real labelY
                    required property bool replayed

                    x: labelX + field.labelOffset
                    y: labelY - height / 2
                    leftPadding: 2
                    rightPadding: 2
                    text: replayed ? qsTr("%1 · replay").arg(deviceId) : deviceId
                    color: replayed ? Theme.replay : Theme.text
                    font.family: Theme.monoFont
                    font.pixelSize: Theme.smallFontSize
                    background: Rectangle {
                        color: Theme.fieldLabelBacking
                        radius: 2
                    }
                }
            }

            Repeater {
                model: [qsTr("NW"), qsTr("NE"), qsTr("SE"), qsTr("SW")]

                delegate: Label {
                    required property string modelData
                    required property int index

                    readonly property point corner: {
                        const v = field.zoom + field.pan.x + field.pan.y + field.width + field.height // re-evaluate on view changes
                        return field.mapBeacon(index)
                    }
                    x: corner.x + (index === 0 || index === 3 ? 14 : -width - 14)
                    y: corner.y + (index < 2 ? Theme.spacing : -height - Theme.spacing)
                    text: modelData
                    color: Theme.fieldBeacon
                    font.bold: true
                    font.pixelSize: Theme.smallFontSize
                }
            }

            Rectangle {
                objectName: "rubberBand"
                visible: field.rubberBand.width > 0
                x: field.rubberBand.x
                y: field.rubberBand.y
                width: field.rubberBand.width
                height: field.rubberBand.height
                color: Theme.selectionFill
                border.color: Theme.selection
            }

            HoverCard {
                id: hoverCard
                objectName: "hoverCard"
                visible: field.hoveredId.length > 0
                x: Math.min(field.hoverPoint.x + Theme.largeSpacing, parent.width - width - Theme.smallSpacing)
                y: Math.min(field.hoverPoint.y + Theme.largeSpacing, parent.height - height - Theme.smallSpacing)
                info: visible && root.store.tickCount >= 0 ? root.store.deviceInfo(field.hoveredId) : ({})
            }

            Label {
                anchors.centerIn: parent
                visible: root.store.count === 0
                color: Theme.subtleText
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("No devices yet.\nDevices appear here as soon as they stream frames to the relay.")
            }
        }
    }

    Shortcut {
        sequences: [StandardKey.ZoomIn, "Ctrl+="]
        enabled: root.visible
        onActivated: root.zoomBy(1.5)
    }
    Shortcut {
        sequence: StandardKey.ZoomOut
        enabled: root.visible
        onActivated: root.zoomBy(1 / 1.5)
    }
    Shortcut {
        sequence: "Ctrl+0"
        enabled: root.visible
        onActivated: field.resetView()
    }
}
