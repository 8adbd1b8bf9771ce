import QtQuick
import QtTest
import GroupLoop.Console
import GroupLoop.Ui

TestCase {
    id: testCase

    name: "EmulatorPanel"
    when: windowShown
    visible: true // TestCase is invisible by default; the panels draw only when shown
    width: 1000
    height: 700

    EmulatorPanel {
        id: panel
        anchors.fill: parent
        emulator: testEmulator
    }

    // Every decoded line the panel showed, in order.
    property var decodedLines: []
    Connections {
        target: testEmulator
        function onFrameSent() {
            testCase.decodedLines.push(testEmulator.lastFrameDecoded)
        }
    }

    function initTestCase() {
        tryVerify(() => testPeer.isOpen(), 5000)
        testPeer.subscribe()
    }

    function test_1_idValidation() {
        const field = findChild(panel, "emulatorId")
        field.text = "zz"
        field.accepted()
        const error = findChild(panel, "emulatorError")
        verify(error.visible)
        verify(error.text.indexOf("4 hex digits") >= 0, error.text)
        field.text = "C0DE"
        field.accepted()
        compare(testEmulator.idText, "c0de")
        compare(field.text, "c0de")
        verify(!error.visible)
    }

    function test_2_connectReceiveLedAndLog() {
        testEmulator.setIdText("c0de")
        findChild(panel, "emulatorConnectButton").clicked()
        tryCompare(findChild(panel, "emulatorState"), "text", "Connected", 5000)
        compare(findChild(panel, "emulatorConnectButton").text, "Disconnect")
        tryVerify(() => findChild(panel, "lastFrameHex").text.startsWith("c0de"), 3000)
        tryVerify(() => testPeer.framesOf("c0de").length > 0, 3000)
        testPeer.send("cmd:c0de:pattern:solid")
        testPeer.send("cmd:c0de:led:ff0000")
        const ring = findChild(panel, "emulatorRing")
        tryVerify(() => {
            for (let i = 0; i < 6; ++i) {
                const c = findChild(ring, "led" + i).ledColor
                if (c.r < 0.99 || c.g > 0 || c.b > 0)
                    return false
            }
            return true
        }, 3000)
        const list = findChild(panel, "receivedList")
        tryVerify(() => list.count >= 2)
        verify(testEmulator.received[0].indexOf("led:ff0000") >= 0)
        compare(findChild(panel, "emulatorPattern").text, "solid #ff0000")
    }

    function test_3_keysTiltAndTap() {
        panel.forceActiveFocus()
        const pitch = testEmulator.pitch
        keyClick(Qt.Key_Right)
        compare(testEmulator.pitch, pitch + 5)
        keyClick(Qt.Key_Down)
        compare(testEmulator.roll, 5)
        compare(findChild(panel, "rollValue").text, "5°")
        verify(Number(findChild(panel, "accelY").text.replace(" g", "")) > 0.05)
        keyClick(Qt.Key_Home)
        compare(testEmulator.roll, 0)
        keyClick(Qt.Key_Space)
        // The tap frame's line, whether it left at once or with the send timer's next frame
        // (a later frame replaces the line within one frame period).
        tryVerify(() => decodedLines.some(line => line.indexOf("tap yes") >= 0), 3000)
        verify(findChild(panel, "lastFrameDecoded").text.indexOf(" · tap ") > 0)
        tryVerify(() => testPeer.framesOf("c0de").some(f => f.endsWith("ff")), 3000)
    }

    function test_4_mapMovesDevice() {
        const room = findChild(panel, "emulatorRoom")
        // Click the floor a quarter of the way in: the device goes there, beacons follow.
        const p = room.toItem(200, 150)
        mouseClick(room, p.x, p.y)
        tryVerify(() => Math.abs(testEmulator.position.x - 200) < 3 && Math.abs(testEmulator.position.y - 150) < 3)
        verify(testEmulator.beacons[0] > testEmulator.beacons[2])
        compare(findChild(room, "beaconLabel0").text, "NW " + testEmulator.beacons[0])
        // Drag the device itself to the south-east.
        const marker = findChild(room, "emulatedDeviceMarker")
        const from = room.toItem(200, 150)
        const to = room.toItem(600, 450)
        mousePress(room, from.x, from.y)
        for (let i = 1; i <= 10; ++i)
            mouseMove(room, from.x + (to.x - from.x) * i / 10, from.y + (to.y - from.y) * i / 10)
        mouseRelease(room, to.x, to.y)
        tryVerify(() => Math.abs(testEmulator.position.x - 600) < 5 && Math.abs(testEmulator.position.y - 450) < 5)
        verify(testEmulator.beacons[2] > testEmulator.beacons[0])
        compare(marker.x + marker.width / 2, room.devicePoint.x)
        // Using the map gives the panel the keyboard, even from the id field.
        findChild(panel, "emulatorId").forceActiveFocus()
        mouseClick(room, from.x, from.y)
        verify(panel.activeFocus)
        const roll = testEmulator.roll
        keyClick(Qt.Key_Down)
        compare(testEmulator.roll, roll + 5)
        testEmulator.level()
    }

    function test_4_cubeDragTilts() {
        const cube = findChild(panel, "tiltCube")
        testEmulator.level()
        // A real drag to the right pitches the device (its +x edge goes down).
        mouseDrag(cube, cube.width / 2, cube.height / 2, 40, 0)
        verify(testEmulator.pitch > 5, "pitch " + testEmulator.pitch)
        verify(Math.abs(testEmulator.roll) < 1)
        verify(Number(findChild(panel, "accelX").text.replace(" g", "")) < -0.05)
        testEmulator.level()
        mouseDrag(cube, cube.width / 2, cube.height / 2, 0, 40)
        verify(testEmulator.roll > 5, "roll " + testEmulator.roll)
        testEmulator.level()
    }

    function test_5_vibrationShakes() {
        tryCompare(testEmulator, "state", EmulatorController.Connected, 5000)
        testPeer.send("cmd:c0de:vibrate:400")
        const badge = findChild(panel, "vibratingBadge")
        tryCompare(badge, "visible", true, 3000)
        verify(findChild(panel, "vibrationAnimation").running)
        tryCompare(badge, "visible", false, 3000)
    }

    function test_6_disconnect() {
        findChild(panel, "emulatorConnectButton").clicked()
        tryCompare(findChild(panel, "emulatorState"), "text", "Disconnected", 5000)
        compare(findChild(panel, "emulatorConnectButton").text, "Connect")
    }
}
