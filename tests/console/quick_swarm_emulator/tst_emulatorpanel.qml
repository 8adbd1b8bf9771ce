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
        verify(findChild(panel, "lastFrameDecoded").text.indexOf("tap yes") >= 0)
        tryVerify(() => testPeer.framesOf("c0de").some(f => f.endsWith("ff")), 3000)
    }

    function test_4_cubeDragTilts() {
        const cube = findChild(panel, "tiltCube")
        const before = testEmulator.pitch
        cube.tilted(0, 12, 0)
        compare(testEmulator.pitch, before + 12)
        cube.tilted(0, -12, 0)
        compare(testEmulator.pitch, before)
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
