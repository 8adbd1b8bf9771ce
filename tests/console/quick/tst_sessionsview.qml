import QtQuick
import QtTest
import GroupLoop.Console
import GroupLoop.Ui

// The Record & replay view: the record button, file name and live progress; opening a file,
// play/pause, the seek bar, speed and loop driving a real SessionPlayer into the store; bad
// files named by line; CSV export.
TestCase {
    id: testCase

    name: "SessionsView"
    when: windowShown
    visible: true
    width: 1100
    height: 800

    SessionsView {
        id: view
        width: 1100
        height: 800
        recorder: testRecorder
        player: testPlayer
        store: testStore
    }

    readonly property string header: '{"format":"grouploop-session","version":1,"started":"2026-11-21T14:00:00.000Z","relay":"ws://hall:5003","devices":3}\n'

    function child(name) {
        const item = findChild(view, name)
        verify(item !== null, "no child named " + name)
        return item
    }

    // Three devices, 20 Hz, four seconds.
    function demoSession() {
        let text = header
        for (let ms = 0; ms <= 4000; ms += 50)
            text += ms + " f 0b018080bf10203040" + (ms === 1000 ? "ff" : "00") + " 0b028080bf1020304000 0b038080bf1020304000\n"
        return text
    }

    function init() {
        testPlayer.close()
        testPlayer.speed = 1
        testPlayer.loop = false
    }

    function test_recordButtonRecordsWhatArrives() {
        testRecorder.directory = testFiles.dir()
        compare(child("recordFileName").text, "No recording yet")
        mouseClick(child("recordButton"))
        verify(testRecorder.recording)
        compare(child("recordButton").text, "Stop recording")
        const name = child("recordFileName").text
        verify(name.startsWith("grouploop-") && name.endsWith(".session.gz"), name)
        testDriver.feed(["0c018080bf0000000000", "0c028080bf00000000ff"])
        tryVerify(() => child("recordStatus").text.indexOf("2 frames") >= 0, 3000, child("recordStatus").text)
        verify(child("recordStatus").text.indexOf(" B") > 0) // the size, live
        verify(/^● 0:0\d · /.test(child("recordStatus").text), child("recordStatus").text) // elapsed
        mouseClick(child("recordButton"))
        verify(!testRecorder.recording)
        // What was recorded replays.
        verify(testPlayer.open(testRecorder.filePath))
        tryVerify(() => testPlayer.loaded, 5000)
        compare(testPlayer.deviceCount, 2)
        compare(testPlayer.frameCount, 2)
    }

    function test_playPauseSeekSpeedLoop() {
        verify(testFiles.write("demo.session", demoSession()))
        const field = child("replayPath")
        field.text = testFiles.path("demo.session")
        field.accepted()
        tryVerify(() => testPlayer.loaded, 5000) // indexed in the worker thread
        verify(testPlayer.playing)
        verify(child("replaySummary").text.indexOf("3 devices, 243 frames") === 0, child("replaySummary").text)
        compare(child("replayPlayButton").text, "Pause")
        tryVerify(() => { testDriver.tick(); return testStore.count === 3 }, 3000) // in the store, marked
        compare(testStore.replayedCount, 3)
        tryVerify(() => testPlayer.positionMs > 100)

        mouseClick(child("replayPlayButton"))
        verify(!testPlayer.playing)
        compare(child("replayPlayButton").text, "Play")
        wait(100) // the worker reports where it paused
        const paused = testPlayer.positionMs
        wait(150)
        compare(testPlayer.positionMs, paused)

        const seek = child("replaySeek")
        compare(seek.to, 4000)
        seek.value = 3000
        seek.moved()
        compare(testPlayer.positionMs, 3000)
        compare(child("replayPosition").text, "0:03 / 0:04")

        const speed = child("replaySpeed")
        speed.currentIndex = 5
        speed.activated(5)
        compare(testPlayer.speed, 10)
        mouseClick(child("replayLoop"))
        verify(testPlayer.loop)
        mouseClick(child("replayPlayButton"))
        // One second left at 10x: the loop wraps around within a fraction of a second.
        tryVerify(() => testPlayer.positionMs < 2000 && testPlayer.playing, 3000)
    }

    function test_badFilesAreNamedByLine() {
        verify(testFiles.write("bad.session", header + "0 f 0b018080bf1020304000\n40 f nothex\n80 f 0b018080bf1020304000\n"))
        verify(testPlayer.open(testFiles.path("bad.session")))
        tryVerify(() => testPlayer.loaded, 5000)
        compare(testPlayer.frameCount, 2) // the valid lines still play
        const problems = child("replayProblems").text
        verify(problems.indexOf("1 line skipped: ") === 0, problems)
        verify(problems.indexOf("bad.session:3: not a 20-hex-digit frame") > 0, problems)

        verify(testFiles.write("notes.txt", "hello\n"))
        verify(!testPlayer.open(testFiles.path("notes.txt")))
        verify(child("replayError").text.indexOf("notes.txt:1: not a GroupLoop session file") >= 0, child("replayError").text)
        compare(testPlayer.fileName, "bad.session") // a failed open keeps what was loaded
        testPlayer.close()
        verify(!child("replayPlayButton").parent.enabled) // nothing to play
    }

    // Opening shows progress and happens off the GUI thread; Stop (and the end of a replay)
    // sends the replayed devices away; the filter shows live and replayed apart.
    function test_loadsOffThreadAndGhostsLeave() {
        let text = header
        for (let ms = 0; ms <= 20000; ms += 20)
            text += ms + " f 0c018080bf1020304000 0c028080bf1020304000\n"
        verify(testFiles.write("long.session", text))
        verify(testPlayer.open(testFiles.path("long.session")))
        verify(testPlayer.loading || testPlayer.loaded) // open() returns before the file is read
        tryVerify(() => testPlayer.loaded, 5000)
        verify(!testPlayer.loading)
        compare(testPlayer.loadProgress, 1)
        testPlayer.seek(15000) // from the index, in the worker
        tryVerify(() => { testDriver.tick(); return testStore.count === 2 }, 3000)
        compare(testStore.replayedCount, 2)
        testStore.shownSources = DeviceStore.LiveSources
        compare(child("fieldSources").currentIndex, DeviceStore.LiveSources)
        testStore.shownSources = DeviceStore.AllSources
        mouseClick(child("replayStopButton"))
        tryVerify(() => { testDriver.tick(); return testStore.count === 0 }, 3000)
        compare(testPlayer.positionMs, 0)
        wait(100)
        testDriver.tick()
        compare(testStore.count, 0) // nothing pushed after the stop brings them back
    }

    function test_exportCsv() {
        verify(testFiles.write("demo.session", demoSession()))
        verify(testPlayer.open(testFiles.path("demo.session")))
        tryVerify(() => testPlayer.loaded, 5000)
        compare(testPlayer.suggestedCsvPath(), testFiles.path("demo.csv"))
        verify(testPlayer.exportCsv("file://" + testFiles.path("demo.csv")))
        const lines = testFiles.read(testFiles.path("demo.csv")).split("\n")
        compare(lines[0], "time_s,id,ax_g,ay_g,az_g,nw_dbm,ne_dbm,se_dbm,sw_dbm,tap")
        compare(lines.length, 1 + 243 + 1)
        verify(lines[61].indexOf("1.000,0b01,") === 0, lines[61]) // the tap at 1 s
        verify(lines[61].endsWith(",1"), lines[61])
        verify(!testPlayer.exportCsv("/nonexistent/dir/x.csv"))
        verify(child("replayError").text.indexOf("cannot create") > 0)
    }
}
