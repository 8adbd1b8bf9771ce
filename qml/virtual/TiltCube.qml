import QtQuick
import GroupLoop.Ui

// The emulated device as a flat box in perspective, turned by its roll, pitch and yaw the way
// the accelerometer sees them (world = Rz(yaw) Ry(pitch) Rx(roll) device; see
// VirtualDevice::gravityIn). Drag to tilt: left/right pitches, up/down rolls, Shift+drag yaws.
// The top face carries the LED ring in its live colours.
Item {
    id: root

    property real roll: 0
    property real pitch: 0
    property real yaw: 0
    property var leds: []
    property color bodyColor: Theme.button
    property color edgeColor: Theme.subtleText
    property real degreesPerPixel: 0.6

    signal tilted(real rollDelta, real pitchDelta, real yawDelta)

    implicitWidth: 220
    implicitHeight: 180

    function rotate(p) {
        const r = root.roll * Math.PI / 180, pt = root.pitch * Math.PI / 180, y = root.yaw * Math.PI / 180
        // Rx(roll)
        let x1 = p[0], y1 = p[1] * Math.cos(r) - p[2] * Math.sin(r), z1 = p[1] * Math.sin(r) + p[2] * Math.cos(r)
        // Ry(pitch)
        let x2 = x1 * Math.cos(pt) + z1 * Math.sin(pt), y2 = y1, z2 = -x1 * Math.sin(pt) + z1 * Math.cos(pt)
        // Rz(yaw)
        return [x2 * Math.cos(y) - y2 * Math.sin(y), x2 * Math.sin(y) + y2 * Math.cos(y), z2]
    }

    // Camera in front of the room, 35° above the horizon, looking at the device.
    function project(p) {
        const e = 35 * Math.PI / 180
        const sx = p[0]
        const sy = p[1] * Math.sin(e) + p[2] * Math.cos(e)
        const depth = p[1] * Math.cos(e) - p[2] * Math.sin(e) + 6.5
        const f = Math.min(width, height) * 2.2 / depth
        return [width / 2 + sx * f, height / 2 - sy * f, depth]
    }

    Canvas {
        id: canvas
        objectName: "tiltCanvas"
        anchors.fill: parent
        renderStrategy: Canvas.Cooperative

        onPaint: {
            const ctx = getContext("2d")
            ctx.reset()
            const w = 1.0, d = 1.0, h = 0.18
            const corners = [[-w, -d, -h], [w, -d, -h], [w, d, -h], [-w, d, -h],
                             [-w, -d, h], [w, -d, h], [w, d, h], [-w, d, h]]
            const world = corners.map(root.rotate)
            const screen = world.map(root.project)
            const faces = [
                { idx: [4, 5, 6, 7], n: [0, 0, 1], top: true },
                { idx: [3, 2, 1, 0], n: [0, 0, -1] },
                { idx: [0, 1, 5, 4], n: [0, -1, 0] },
                { idx: [2, 3, 7, 6], n: [0, 1, 0] },
                { idx: [1, 2, 6, 5], n: [1, 0, 0] },
                { idx: [3, 0, 4, 7], n: [-1, 0, 0] }
            ]
            const e = 35 * Math.PI / 180
            const view = [0, Math.cos(e), -Math.sin(e)] // camera looks along this
            for (const face of faces) {
                const n = root.rotate(face.n)
                const facing = -(n[0] * view[0] + n[1] * view[1] + n[2] * view[2])
                if (facing <= 0.001)
                    continue
                ctx.beginPath()
                face.idx.forEach((i, k) => {
                    if (k === 0)
                        ctx.moveTo(screen[i][0], screen[i][1])
                    else
                        ctx.lineTo(screen[i][0], screen[i][1])
                })
                ctx.closePath()
                const shade = 0.55 + 0.45 * facing
                const c = Qt.darker(root.bodyColor, face.top ? 1.0 : 1.0 / shade + 0.15)
                ctx.fillStyle = face.top ? Qt.lighter(root.bodyColor, 1.05) : c
                ctx.fill()
                ctx.lineWidth = 1.5
                ctx.strokeStyle = root.edgeColor
                ctx.stroke()
                if (face.top) {
                    // The LED ring on the face: LED 0 on the far (+y) side, clockwise seen from
                    // above, as the ring view draws it.
                    for (let i = 0; i < 6; ++i) {
                        const a = i * 60 * Math.PI / 180
                        const p = root.project(root.rotate([0.6 * Math.sin(a), 0.6 * Math.cos(a), h]))
                        ctx.beginPath()
                        ctx.arc(p[0], p[1], Math.max(3, Math.min(width, height) * 0.035), 0, 2 * Math.PI)
                        const led = root.leds.length === 6 ? root.leds[i] : "#000000"
                        ctx.fillStyle = led === "#000000" ? Theme.ledOff : led
                        ctx.fill()
                        ctx.lineWidth = 1
                        ctx.strokeStyle = Theme.ledOutline
                        ctx.stroke()
                    }
                    // An arrow marking the device's +x side, so pitch reads at a glance.
                    const a0 = root.project(root.rotate([0.2, 0, h])), a1 = root.project(root.rotate([0.9, 0, h]))
                    ctx.beginPath()
                    ctx.moveTo(a0[0], a0[1])
                    ctx.lineTo(a1[0], a1[1])
                    ctx.lineWidth = 2
                    ctx.strokeStyle = root.edgeColor
                    ctx.stroke()
                }
            }
        }
    }

    onRollChanged: canvas.requestPaint()
    onPitchChanged: canvas.requestPaint()
    onYawChanged: canvas.requestPaint()
    onLedsChanged: canvas.requestPaint()
    onWidthChanged: canvas.requestPaint()
    onHeightChanged: canvas.requestPaint()
    onBodyColorChanged: canvas.requestPaint()

    MouseArea {
        id: dragArea
        property point last
        anchors.fill: parent
        cursorShape: pressed ? Qt.ClosedHandCursor : Qt.OpenHandCursor
        onPressed: mouse => last = Qt.point(mouse.x, mouse.y)
        onPositionChanged: mouse => {
            const dx = (mouse.x - last.x) * root.degreesPerPixel
            const dy = (mouse.y - last.y) * root.degreesPerPixel
            last = Qt.point(mouse.x, mouse.y)
            if (mouse.modifiers & Qt.ShiftModifier)
                root.tilted(0, 0, dx)
            else
                root.tilted(dy, dx, 0)
        }
    }
}
