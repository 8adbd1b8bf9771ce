import QtQuick
import QtTest
import GroupLoop.Console
import GroupLoop.Ui

TestCase {
    id: testCase

    name: "SimulatorPanel"
    when: windowShown
    visible: true // TestCase is invisible by default; the panels draw only when shown
    width: 1000
    height: 700

    SimulatorPanel {
        id: panel
        anchors.fill: parent
        swarm: testSwarm
        store: testStore
    }

    function cleanup() {
        testSwarm.stop()
        testSwarm.url = testRelayUrl
    }

    function test_settingsReachController() {
        // increase() changes the value as a user does, without breaking the bindings.
        testSwarm.devices = 50
        const count = findChild(panel, "deviceCount")
        count.increase()
        count.valueModified()
        compare(testSwarm.devices, 100)
        const slider = findChild(panel, "cohesion_slider")
        slider.increase()
        slider.moved()
        compare(testSwarm.cohesion, 0.7)
        const rotation = findChild(panel, "rotationMode")
        rotation.activated(2)
        compare(testSwarm.rotation, "random")
        verify(findChild(panel, "maxYawRate_slider").enabled)
        findChild(panel, "resetDefaultsButton").clicked()
        compare(testSwarm.cohesion, 0.6)
        compare(testSwarm.rotation, "off")
        compare(rotation.currentIndex, 0)
        compare(findChild(panel, "cohesion_slider").value, 0.6)
        verify(!findChild(panel, "maxYawRate_slider").enabled)
    }

    function test_startShowsLiveCountsAndTruePositions() {
        testSwarm.url = testRelayUrl
        testSwarm.devices = 5
        testSwarm.seedText = "7"
        testSwarm.showTruePositions = true
        compare(findChild(panel, "stopSwarmButton").enabled, false)
        findChild(panel, "startSwarmButton").clicked()
        tryCompare(testSwarm, "running", true)
        tryCompare(findChild(panel, "openSockets"), "text", "5 / 5", 5000)
        tryVerify(() => Number(findChild(panel, "framesPerSecond").text.replace(/[^0-9]/g, "")) > 20, 5000)
        compare(findChild(panel, "seedInUse").text, "7")
        verify(findChild(panel, "swarmState").text.indexOf("5 devices") >= 0)
        const overlay = findChild(panel, "simulatorOverlay")
        verify(overlay.visible)
        tryCompare(overlay, "markerCount", 5)
        const id = testSwarm.deviceIds()[0]
        const p = overlay.itemPositionOf(id)
        verify(p.x >= 0 && p.x <= overlay.width && p.y >= 0 && p.y <= overlay.height)
        // The toggle hides the overlay; Stop closes everything.
        findChild(panel, "truePositionsSwitch").toggle()
        findChild(panel, "truePositionsSwitch").toggled()
        compare(testSwarm.showTruePositions, false)
        verify(!overlay.visible)
        tryCompare(overlay, "markerCount", 0)
        testSwarm.showTruePositions = true
        // A setting changed while running applies on Restart, and the panel says so.
        const notice = findChild(panel, "restartNotice")
        verify(notice.visible)
        verify(notice.text.indexOf("Restart") >= 0)
        compare(findChild(panel, "startSwarmButton").text, "Restart")
        testSwarm.tapRate = 1.5
        verify(notice.text.indexOf("still uses the old settings") >= 0)
        compare(findChild(panel, "startSwarmButton").text, "Restart to apply")
        findChild(panel, "stopSwarmButton").clicked()
        compare(testSwarm.running, false)
        compare(findChild(panel, "swarmState").text, "Stopped")
        // Live figures clear on Stop instead of showing the last frames/s.
        compare(findChild(panel, "openSockets").text, "–")
        compare(findChild(panel, "framesPerSecond").text, "–")
        verify(!notice.visible)
        compare(findChild(panel, "startSwarmButton").text, "Start")
        testSwarm.resetDefaults()
    }

    function test_commandedDeviceSwellsOnHeartbeat() {
        testSwarm.devices = 3
        testSwarm.seedText = ""
        panel.startSwarm()
        tryCompare(testSwarm, "openSockets", 3, 5000)
        const overlay = findChild(panel, "simulatorOverlay")
        tryCompare(overlay, "markerCount", 3)
        const id = testSwarm.deviceIds()[1]
        testPeer.send("cmd:" + id + ":pattern:heartbeat")
        // Two seconds dark (smallest marker), then a red beat swells it.
        tryVerify(() => testSwarm.ledColoursOf(id).every(c => c === "#000000"), 3000)
        const dark = overlay.markerRadiusOf(id)
        tryVerify(() => overlay.markerRadiusOf(id) > dark * 1.2, 4000)
        verify(testSwarm.ledColoursOf(id)[0].startsWith("#") && testSwarm.ledColoursOf(id)[0].endsWith("0000"))
    }

    function test_badUrlIsExplained() {
        const url = findChild(panel, "swarmUrl")
        url.text = "http://nowhere"
        url.textEdited()
        findChild(panel, "startSwarmButton").clicked()
        compare(testSwarm.running, false)
        const error = findChild(panel, "swarmError")
        verify(error.visible)
        verify(error.text.indexOf("Bad relay URL") >= 0, error.text)
        const count = findChild(panel, "deviceCount")
        url.text = testRelayUrl
        url.textEdited()
        testSwarm.devices = 6000
        panel.startSwarm()
        verify(error.text.indexOf("between 1 and 5000") >= 0, error.text)
        testSwarm.devices = 5
    }
}
