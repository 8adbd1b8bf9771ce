import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// The room seen from above: beacons in the corners, every device a dot in its last commanded
// LED colour (grey when unknown), placed from its beacon strengths. Click, Shift/Ctrl-click,
// drag a rubber band or press Ctrl+A to select; wheel zooms, right/middle drag pans.
Rectangle {
    id: root

    property DeviceStore store
    property SwarmController swarm // optional: draws the simulator's true positions on top

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
                    text: root.store ? (root.store.count === 1 ? qsTr("1 device") : qsTr("%1 devices").arg(root.store.count)) : ""
                }
                Label {
                    color: Theme.subtleText
                    text: root.store && root.store.selectedCount > 0 ? qsTr("%1 selected").arg(root.store.selectedCount) : ""
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
                    ToolTip.visible: hovered
                    ToolTip.delay: 600
                    ToolTip.text: qsTr("Zoom out (Ctrl+-)")
                    onClicked: root.zoomBy(1 / 1.5)
                }
                ToolButton {
                    objectName: "zoomInButton"
                    text: "+"
                    ToolTip.visible: hovered
                    ToolTip.delay: 600
                    ToolTip.text: qsTr("Zoom in (Ctrl++); labels appear when few devices are in view")
                    onClicked: root.zoomBy(1.5)
                }
                ToolButton {
                    objectName: "resetViewButton"
                    text: qsTr("Fit")
                    ToolTip.visible: hovered
                    ToolTip.delay: 600
                    ToolTip.text: qsTr("Show the whole room (Ctrl+0)")
                    onClicked: field.resetView()
                }
                ToolButton {
                    objectName: "truePositionsButton"
                    visible: root.swarm !== null && root.swarm.running
                    text: qsTr("True positions")
                    checkable: true
                    checked: root.swarm !== null && root.swarm.showTruePositions
                    ToolTip.visible: hovered
                    ToolTip.delay: 600
                    ToolTip.text: qsTr("Draw the simulated devices' true positions and live LED rings over the estimates (Ctrl+T in the Simulator view)")
                    onToggled: root.swarm.showTruePositions = checked
                }
                ToolButton {
                    objectName: "selectAllButton"
                    text: qsTr("Select all")
                    ToolTip.visible: hovered
                    ToolTip.delay: 600
                    ToolTip.text: qsTr("Select every device (Ctrl+A)")
                    onClicked: root.store.selectAll()
                }
                ToolButton {
                    objectName: "clearSelectionButton"
                    text: qsTr("Clear")
                    enabled: root.store && root.store.selectedCount > 0
                    ToolTip.visible: hovered
                    ToolTip.delay: 600
                    ToolTip.text: qsTr("Clear the selection (Esc)")
                    onClicked: root.store.clearSelection()
                }
            }
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            DeviceField {
                id: field
                objectName: "deviceField"
                anchors.fill: parent
                store: root.store
                floorColor: Theme.fieldFloor
                gridColor: Theme.fieldGrid
                wallColor: Theme.fieldWall
                beaconColor: Theme.fieldBeacon
                selectionColor: Theme.selection
                hoverColor: Theme.fieldHover
                unknownColor: Theme.fieldUnknown
                staleColor: Theme.fieldStale
                flashColor: Theme.fieldFlash
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

                delegate: Label {
                    required property string deviceId
                    required property real labelX
                    required property real labelY

                    x: labelX + 9
                    y: labelY - height / 2
                    text: deviceId
                    color: Theme.text
                    font.family: Theme.monoFont
                    font.pixelSize: Theme.smallFontSize
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
                    y: corner.y + (index < 2 ? 8 : -height - 8)
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
                color: Qt.rgba(Theme.selection.r, Theme.selection.g, Theme.selection.b, 0.15)
                border.color: Theme.selection
            }

            HoverCard {
                id: hoverCard
                objectName: "hoverCard"
                visible: field.hoveredId.length > 0
                x: Math.min(field.hoverPoint.x + 16, parent.width - width - 4)
                y: Math.min(field.hoverPoint.y + 16, parent.height - height - 4)
                info: visible && root.store && root.store.tickCount >= 0 ? root.store.deviceInfo(field.hoveredId) : ({})
            }

            Label {
                anchors.centerIn: parent
                visible: root.store && root.store.count === 0
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
