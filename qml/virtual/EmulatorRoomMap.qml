import QtQuick
import QtQuick.Controls
import GroupLoop.Console
import GroupLoop.Ui

// The 8 m x 6 m room from above with a beacon in each corner and the emulated device on it.
// Drag the device, or click anywhere, to move it; the beacon bytes it sends follow.
Rectangle {
    id: root

    required property EmulatorController emulator

    signal interacted() // the user clicked or dragged on the map (the panel takes key focus)
    readonly property real roomWidth: 800
    readonly property real roomHeight: 600
    readonly property real pxPerCm: Math.min((width - 40) / roomWidth, (height - 40) / roomHeight)
    readonly property real originX: (width - roomWidth * pxPerCm) / 2
    readonly property real originY: (height - roomHeight * pxPerCm) / 2
    readonly property point devicePoint: toItem(emulator.position.x, emulator.position.y)

    function toItem(x, y) {
        return Qt.point(originX + x * pxPerCm, originY + y * pxPerCm)
    }

    function moveToItem(px, py) {
        emulator.moveTo((px - originX) / pxPerCm, (py - originY) / pxPerCm)
    }

    color: Theme.window
    implicitHeight: 300

    Rectangle {
        id: floor
        x: root.originX
        y: root.originY
        width: root.roomWidth * root.pxPerCm
        height: root.roomHeight * root.pxPerCm
        color: Theme.fieldFloor
        border.color: Theme.fieldWall
        border.width: 2

        Repeater {
            model: 7
            delegate: Rectangle {
                required property int index
                x: (index + 1) * 100 * root.pxPerCm
                width: 1
                height: floor.height
                color: Theme.fieldGrid
            }
        }
        Repeater {
            model: 5
            delegate: Rectangle {
                required property int index
                y: (index + 1) * 100 * root.pxPerCm
                height: 1
                width: floor.width
                color: Theme.fieldGrid
            }
        }
    }

    MouseArea {
        anchors.fill: floor
        cursorShape: Qt.CrossCursor
        onClicked: mouse => {
            root.interacted()
            root.moveToItem(floor.x + mouse.x, floor.y + mouse.y)
        }
    }

    // Beacons, with the byte the device reports for each (higher is closer; firmware scale).
    Repeater {
        model: [
            { name: qsTr("NW"), x: 0, y: 0 },
            { name: qsTr("NE"), x: root.roomWidth, y: 0 },
            { name: qsTr("SE"), x: root.roomWidth, y: root.roomHeight },
            { name: qsTr("SW"), x: 0, y: root.roomHeight }
        ]

        delegate: Item {
            id: beacon

            required property var modelData
            required property int index
            readonly property point at: root.toItem(modelData.x, modelData.y)
            readonly property int strength: root.emulator.beacons[index]

            Rectangle {
                x: beacon.at.x - 8
                y: beacon.at.y - 8
                width: 16
                height: 16
                radius: 8
                color: Theme.fieldBeacon
            }
            Label {
                objectName: "beaconLabel" + beacon.index
                x: beacon.index === 0 || beacon.index === 3 ? beacon.at.x + 12 : beacon.at.x - width - 12
                y: beacon.index < 2 ? beacon.at.y + 6 : beacon.at.y - height - 6
                color: Theme.fieldBeacon
                font.bold: true
                font.pixelSize: Theme.smallFontSize
                text: beacon.modelData.name + " " + beacon.strength
            }
        }
    }

    Item {
        id: marker
        objectName: "emulatedDeviceMarker"
        width: 40
        height: 40
        x: root.devicePoint.x - width / 2
        y: root.devicePoint.y - height / 2

        Rectangle {
            anchors.fill: parent
            anchors.margins: -3
            radius: width / 2
            color: "transparent"
            border.color: Theme.selection
            border.width: 2
            visible: dragArea.pressed
        }
        // The device as its ring: the same six LEDs the panel shows, in miniature.
        LedRingView {
            anchors.fill: parent
            ledSize: 9
            colors: root.emulator.leds
        }
        Label {
            anchors.top: parent.bottom
            anchors.horizontalCenter: parent.horizontalCenter
            text: root.emulator.idText
            color: Theme.text
            font.family: Theme.monoFont
            font.pixelSize: Theme.smallFontSize
        }

        MouseArea {
            id: dragArea
            anchors.fill: parent
            anchors.margins: -6
            cursorShape: Qt.SizeAllCursor
            property point grab
            onPressed: mouse => {
                root.interacted()
                grab = Qt.point(mouse.x, mouse.y)
            }
            onPositionChanged: mouse => {
                if (!pressed)
                    return
                const p = mapToItem(root, mouse.x, mouse.y)
                root.moveToItem(p.x - grab.x + width / 2, p.y - grab.y + height / 2)
            }
            hoverEnabled: true

            Hint {
                shown: dragArea.containsMouse && !dragArea.pressed
                text: qsTr("Drag the device around the room; the beacon strengths follow")
            }
        }
    }
}
