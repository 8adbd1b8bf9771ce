import QtQuick
import QtTest
import GroupLoop.Console
import GroupLoop.Ui

// The Outputs view: an OSC destination added from the view gets the default scheme over real
// UDP, with its status; a mapping made in the editor sends to its address and moves its meter;
// the editor names a bad field and changes nothing; MIDI through the fake port; OSC in from the
// view; the outputs file saved, written as it changes, and a bad file named by file and field.
TestCase {
    id: testCase

    name: "OutputsView"
    when: windowShown
    visible: true
    width: 1200
    height: 820

    OutputsView {
        id: view
        width: 1200
        height: 820
        outputs: testOutputs
    }

    readonly property string destination: "127.0.0.1:" + testDriver.oscPort

    function child(name) {
        const item = findChild(view, name)
        verify(item !== null, "no child named " + name)
        return item
    }
    function typeInto(name, text) {
        const field = child(name)
        field.text = text
    }
    // Frames from two devices lying flat, then with ay raised (tilt), so values move.
    function feedSome(ay) {
        const a = ay === undefined ? "80" : ay
        testDriver.feed(["00ab80" + a + "bf1020304000", "00cd8080bf1020304000"])
    }

    function init() {
        while (testOutputs.mappings.count > 0)
            testOutputs.removeMapping(0)
        while (testOutputs.destinations.count > 0)
            testOutputs.removeDestination(0)
        testOutputs.disableMidi()
        testOutputs.stopOscIn()
        testDriver.clearReceived()
        if (child("mappingEditor").opened)
            child("mappingEditor").close()
    }

    function test_destinationFromTheViewGetsTheDefaultScheme() {
        typeInto("destinationField", destination)
        mouseClick(child("addDestinationButton"))
        compare(testOutputs.destinations.count, 1)
        tryVerify(() => child("destinationStatus_" + destination).text.indexOf("sending to " + destination) === 0,
                  5000, child("destinationStatus_" + destination).text)
        tryVerify(() => { feedSome(); return testDriver.received("/grouploop/00ab/accel").length > 0 }, 5000)
        const accel = testDriver.received("/grouploop/00ab/accel")[0]
        compare(accel.length, 3)
        fuzzyCompare(accel[2], 1.0, 0.05) // lying flat: az 1 g
        verify(testDriver.received("/grouploop/devices").length > 0)
        verify(testDriver.received("/grouploop/00cd/accel").length > 0)
        compare(child("destinationField").text, "")
    }

    function test_badDestinationIsNamed() {
        typeInto("destinationField", "nohost")
        mouseClick(child("addDestinationButton"))
        compare(testOutputs.destinations.count, 0)
        verify(child("outputsError").text.indexOf("expected HOST:PORT") >= 0, child("outputsError").text)
        compare(child("destinationField").text, "nohost") // kept, to fix
    }

    function test_mappingFromTheEditorSendsAndMeters() {
        testOutputs.addDestination(destination)
        mouseClick(child("addMappingButton"))
        const editor = child("mappingEditor")
        tryVerify(() => editor.opened)
        typeInto("mappingName", "tilt")
        typeInto("mappingAddress", "/tilt/{id}")
        mouseClick(child("mappingSave"))
        tryVerify(() => !editor.opened)
        compare(testOutputs.mappings.count, 1)
        compare(testOutputs.mappingAt(0).name, "tilt")
        compare(testOutputs.mappingAt(0).source, "roll")
        tryVerify(() => { feedSome("a0"); return testDriver.received("/tilt/00ab").length > 0 }, 5000)
        tryVerify(() => child("meter_0").level > 0, 3000)
        tryVerify(() => child("meterValue_0").text.indexOf("(00") > 0, 3000, child("meterValue_0").text)
        const roll = testDriver.received("/tilt/00ab")
        verify(roll[roll.length - 1][0] > 0.5, "tilted ay reads above the middle: " + roll[roll.length - 1][0])
    }

    function test_editorNamesABadFieldAndChangesNothing() {
        testOutputs.addMapping(testOutputs.newMapping("pitch"))
        mouseClick(child("editMapping_0"))
        const editor = child("mappingEditor")
        tryVerify(() => editor.opened)
        typeInto("mappingInMin", "abc")
        mouseClick(child("mappingSave"))
        compare(child("mappingProblem").text, "input.min: must be a number")
        verify(editor.opened)
        mouseClick(child("mappingCancel"))
        tryVerify(() => !editor.opened)
        compare(testOutputs.mappingAt(0).input.min, -90)
    }

    function test_midiThroughTheFakePort() {
        mouseClick(child("midiButton"))
        verify(testOutputs.midiEnabled)
        compare(child("midiStatus").text, "fake port")
        compare(testOutputs.addMapping({ source: "pitch", output: { min: 0, max: 127 },
                                         target: { kind: "midi-cc", channel: "1", number: "{index}+20" } }), "")
        tryVerify(() => { feedSome(); return testDriver.midi().some(m => m.startsWith("b0 14 ")) }, 5000,
                  testDriver.midi().join(","))
        mouseClick(child("midiButton"))
        verify(!testOutputs.midiEnabled)
        compare(child("midiStatus").text, "off")
    }

    function test_oscInFromTheView() {
        typeInto("oscInPortField", "0")
        mouseClick(child("oscInButton"))
        tryVerify(() => testOutputs.oscInListening)
        verify(child("oscInStatus").text.indexOf("listening on") === 0, child("oscInStatus").text)
        verify(testOutputs.oscInPort > 0)
        mouseClick(child("oscInButton"))
        verify(!testOutputs.oscInListening)
        compare(child("oscInStatus").text, "off")
    }

    function test_fileIsSavedAsItChangesAndBadFilesAreNamed() {
        const path = testDriver.scratch("show.json")
        testOutputs.addDestination(destination)
        testOutputs.addMapping(testOutputs.newMapping("magnitude"))
        verify(testOutputs.save(path))
        compare(child("outputsFileName").text, path)
        verify(testDriver.read(path).indexOf("\"source\": \"magnitude\"") > 0, testDriver.read(path))
        mouseClick(child("removeMapping_0")) // written to the file at once
        compare(testOutputs.mappings.count, 0)
        verify(testDriver.read(path).indexOf("magnitude") < 0, testDriver.read(path))
        verify(testDriver.read(path).indexOf(testDriver.oscPort) > 0)

        const bad = testDriver.scratch("bad.json")
        testDriver.write(bad, '{"format": "grouploop-outputs", "version": 1, "mappings": [{"source": "elbow", "target": {"kind": "osc", "address": "/x"}}]}')
        testOutputs.addMapping(testOutputs.newMapping("ax"))
        verify(!testOutputs.load(bad))
        verify(child("outputsError").text.indexOf(bad + ":mappings[0].source: \"elbow\" is not one of") === 0,
               child("outputsError").text)
        compare(testOutputs.mappings.count, 1) // nothing changed
        compare(testOutputs.fileName, path) // still the file in use: the ax mapping went there
        verify(testOutputs.load(path))
        compare(testOutputs.mappings.count, 1)
        compare(testOutputs.mappingAt(0).source, "ax")
        compare(testOutputs.destinations.count, 1)
        compare(child("outputsError").text, "")
    }
}
