import QtQuick
import QtQuick.Controls
import QtTest
import GroupLoop.Console
import GroupLoop.Ui

TestCase {
    id: testCase

    name: "CommandPanel"
    when: windowShown
    visible: true // a TestCase is invisible by default, and so would be the panel under test
    width: 400
    height: 1000

    CommandPanel {
        id: panel
        width: 380
        height: 1000
        commands: testCommands
        store: testStore
        registry: testRegistry
    }

    function child(name) {
        const item = findChild(panel, name)
        verify(item !== null, "no child named " + name)
        return item
    }

    // Buttons inside the ScrollView may be scrolled out of view, so they are clicked through
    // their signal; visible controls get real mouse clicks.
    function click(name) {
        child(name).clicked()
    }

    function initTestCase() {
        testDriver.feed(["00a18080bf0000000000", "00a28080bf0000000000"])
    }

    function init() {
        testCommands.targetMode = CommandController.Selection
        testStore.clearSelection()
        testTransport.clear()
        testTransport.ready = true
    }

    // Issue 19: on a 1280x720 screen the panel is about 640 px high (the window less its header
    // and footer); its sections are taller, so it scrolls with its scroll bar shown, and the
    // lowest control (the raw command line) comes into view, clear of the bar. Tall enough, no bar.
    function test_laptopHeightScrollsToTheLastControl() {
        const scroll = child("commandScroll")
        const flick = scroll.contentItem
        const bar = scroll.ScrollBar.vertical
        const last = child("rawCommand")
        try {
            panel.height = 640
            tryVerify(() => scroll.overflows, 2000)
            verify(scroll.contentHeight > scroll.availableHeight)
            compare(bar.policy, ScrollBar.AlwaysOn)
            verify(bar.visible && bar.width > 0)
            verify(last.mapToItem(scroll, 0, last.height).y > scroll.height) // below, at first
            flick.contentY = flick.contentHeight - flick.height // scrolled to the end
            tryVerify(() => bar.position > 0, 2000)
            const top = last.mapToItem(scroll, 0, 0)
            const bottom = last.mapToItem(scroll, last.width, last.height)
            verify(top.y >= 0 && bottom.y <= scroll.height + 0.5,
                   "raw command line at " + top.y + ".." + bottom.y + " in " + scroll.height)
            verify(bottom.x <= bar.x + 0.5, "under the scroll bar: " + bottom.x + " > " + bar.x)
            flick.contentY = 0
        } finally {
            panel.height = 1000
        }
        panel.height = 1600
        tryVerify(() => !scroll.overflows, 2000)
        compare(bar.policy, ScrollBar.AlwaysOff)
        verify(!bar.visible)
        panel.height = 1000
    }

    function test_selectionSendsOneCommandPerDevice() {
        testStore.selectAll()
        compare(child("targetSummary").text, "Target: 2 selected devices")
        mouseClick(child("swatch_00ff00"))
        compare(findChild(panel, "colorPicker").hex, "00ff00")
        compare(child("colorHexField").text, "00ff00")
        verify(child("swatch_00ff00").border.width === 3) // the chosen swatch is marked
        mouseClick(child("sendLedButton"))
        compare(testTransport.sent, ["cmd:00a1:led:00ff00", "cmd:00a2:led:00ff00"])
        tryCompare(child("lastSummary"), "text", "led:00ff00 → 2 selected: sent to 2 of 2 devices")
        // Accepted: the console now predicts the device's LEDs (what they show depends on the
        // pattern earlier tests left; test_heartbeatAfterGreenShowsRed checks the colours).
        verify(testStore.deviceInfo("00a1").ledPattern.length > 0)
    }

    function test_allUsesOneCmdAll() {
        mouseClick(child("targetAll"))
        compare(testCommands.targetMode, CommandController.All)
        child("vibrateDuration").value = 750
        click("sendVibrateButton")
        compare(testTransport.sent, ["cmd:all:vibrate:750"])
        tryVerify(() => child("lastSummary").text.indexOf("sent to 2 devices") >= 0)
    }

    function test_oneDeviceAndFailures() {
        testCommands.targetMode = CommandController.One
        testCommands.oneTarget = "dead"
        click("sendResetButton")
        compare(testTransport.sent, ["cmd:dead:reset"])
        tryVerify(() => child("lastSummary").text.indexOf("failed") >= 0)
    }

    function test_buttonsDisabledWithoutTarget() {
        verify(!child("sendLedButton").enabled) // nothing selected
        testStore.selectOnly("00a1")
        verify(child("sendLedButton").enabled)
        testTransport.ready = false
        verify(!child("sendLedButton").enabled)
    }

    function test_springEncodesSixHexDigits() {
        compare(child("springHex").text, "c91409") // firmware defaults k 20.1, c 2.0, m 1.0
        child("springK").value = 10
        child("springDamping").value = 1
        child("springMass").value = 0.5
        compare(child("springHex").text, "640a04")
        compare(testCommands.springParams(25.5, 25.5, 25.6), "ffffff")
    }

    function test_patternAndBrightness() {
        testCommands.targetMode = CommandController.All
        child("patternBox").currentIndex = 1
        click("sendPatternButton")
        child("brightnessSlider").value = 128
        click("sendBrightnessButton")
        compare(testTransport.sent, ["cmd:all:pattern:heartbeat", "cmd:all:brightness:128"])
    }

    function test_ledRingEditor() {
        testStore.selectOnly("00a2")
        mouseClick(child("ringLed_3"))
        compare(child("ledRing").selectedIndex, 3)
        compare(child("ringLed_3").border.width, 3)
        click("ledSetButton")
        click("ledOffButton")
        click("ledAllOffButton")
        compare(testTransport.sent, ["cmd:00a2:led_set:3:ff0000", "cmd:00a2:led_off:3", "cmd:00a2:led_all_off"])
        compare(child("ledRing").shown, ["", "", "", "", "", ""])
    }

    function test_otaNeedsConfirmation() {
        testCommands.targetMode = CommandController.All
        const url = child("otaUrlField")
        verify(!child("otaButton").enabled)
        url.text = "http://10.0.0.2:5004/fw.bin"
        verify(child("otaButton").enabled)
        click("otaButton")
        const dialog = child("otaDialog")
        tryCompare(dialog, "opened", true)
        verify(!dialog.standardButton(0x00000400).enabled) // Ok, until acknowledged
        child("otaAcknowledge").checked = true
        verify(dialog.standardButton(0x00000400).enabled)
        dialog.accept()
        compare(testTransport.sent, ["cmd:all:ota:http://10.0.0.2:5004/fw.bin"])
        // The plain send path never sends ota.
        testCommands.send("ota", "http://x/y.bin")
        compare(testTransport.sent.length, 1)
    }

    function test_genericFormForOtherCommands() {
        testCommands.targetMode = CommandController.All
        verify(child("generic_led_get_state").visible)
        verify(!child("generic_led").visible) // has its own control
        click("genericSend_led_get_state")
        compare(testTransport.sent, ["cmd:all:led_get_state"])
    }

    function test_rawCommandLineCompletes() {
        testCommands.targetMode = CommandController.All
        const field = child("rawCommandField")
        field.forceActiveFocus()
        keyClick(Qt.Key_P)
        keyClick(Qt.Key_A)
        keyClick(Qt.Key_T)
        tryCompare(child("rawCompletions"), "opened", true)
        keyClick(Qt.Key_Tab)
        compare(field.text, "pattern:")
        keySequence("o")
        keySequence("f")
        keySequence("f")
        keyClick(Qt.Key_Return)
        compare(testTransport.sent, ["cmd:all:pattern:off"])
        compare(field.text, "")
        field.text = "cmd:00a1:status"
        keyClick(Qt.Key_Return)
        compare(testTransport.sent[1], "cmd:00a1:status")
    }

    function test_targetFollowsIntent() {
        testCommands.targetMode = CommandController.All
        testStore.selectOnly("00a1") // picking a device in the field or the table
        compare(testCommands.targetMode, CommandController.Selection)
        verify(child("targetSelection").checked)
        testStore.clearSelection() // devices leaving the selection do not move the target
        testCommands.targetMode = CommandController.All
        testStore.clearSelection()
        compare(testCommands.targetMode, CommandController.All)

        const one = child("oneTargetField")
        verify(one.enabled) // typing works without clicking the radio button first
        one.forceActiveFocus()
        one.selectAll() // an earlier test left an id there: typing replaces it
        for (const c of "00a2")
            keyClick(c)
        compare(testCommands.targetMode, CommandController.One)
        compare(testCommands.oneTarget, "00a2")
        verify(child("targetOne").checked)
        compare(child("targetSummary").text, "Target: device 00a2")
    }

    function test_sendToNoDeviceIsAWarning() {
        testTransport.devices = 0
        testCommands.targetMode = CommandController.All
        click("sendVibrateButton")
        tryVerify(() => child("lastSummary").text.indexOf("sent to 0 devices") >= 0)
        compare(testCommands.history.data(testCommands.history.index(0, 0), 257 + 6), "warning") // StatusRole
        testTransport.devices = 2
    }

    function test_serialOnlyAnswersSaySo() {
        testStore.selectOnly("00a1")
        click("sendStatusButton")
        tryVerify(() => child("lastSummary").text.indexOf("serial console only") >= 0)
        testCommands.targetMode = CommandController.All
        click("genericSend_led_get_state")
        tryVerify(() => child("lastSummary").text.indexOf("led_get_state → all: sent to 2 devices; the answer appears on the device's serial console only") >= 0)
    }

    // The console predicts the LEDs with the firmware model: led:00ff00 then pattern:heartbeat
    // beats in the heartbeat's own red, as the virtual devices do.
    function test_heartbeatAfterGreenShowsRed() {
        testStore.selectOnly("00a1")
        testCommands.send("pattern", "breathing") // whatever earlier tests left
        testCommands.send("brightness", "255")
        testCommands.send("led", "00ff00")
        tryVerify(() => testStore.deviceInfo("00a1").led === "#00ff00")
        testCommands.send("pattern", "heartbeat")
        tryVerify(() => testStore.deviceInfo("00a1").led === "#ff0000")
        compare(testStore.deviceInfo("00a1").ledPattern, "heartbeat")
        testCommands.send("pattern", "cycle")
        tryVerify(() => testStore.deviceInfo("00a1").led === "#ffffff")
        tryVerify(() => testStore.predictedRing("00a1").filter(c => c !== "#000000").length === 1)
    }
}
