import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// Replay: open a session file and play it into the console as if live (field, table, plots),
// with play/pause, a seek bar, speed 0.25x-10x and loop; export the decoded values as CSV.
SessionCard {
    id: root

    required property SessionPlayer player

    readonly property var speeds: [0.25, 0.5, 1, 2, 5, 10]

    function openPath(path) {
        if (root.player.open(path))
            root.player.play()
    }

    // Open… and Export CSV… (also Ctrl+O and Ctrl+E, see Main.qml). Export needs a loaded session.
    function browse() {
        openDialog.open()
    }

    function exportCsv() {
        if (!root.player.loaded)
            return false
        exportDialog.selectedFile = "file://" + root.player.suggestedCsvPath()
        exportDialog.open()
        return true
    }

    title: qsTr("Replay")

    Label {
        text: qsTr("The recorded devices appear in Field, Devices and Detail, marked as replayed (◆, \"replay\"); they leave when the replay stops, and age out like live devices after it ends. No relay knows them, so commands skip them: to show a session to every client of a relay, run grouploop-sim --url ws://… --replay FILE.")
        color: Theme.subtleText
        font.pixelSize: Theme.smallFontSize
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    RowLayout {
        spacing: Theme.spacing
        Layout.fillWidth: true

        TextField {
            id: pathField
            objectName: "replayPath"
            placeholderText: qsTr("Session file (.session, .session.gz)")
            text: root.player.filePath
            selectByMouse: true
            Layout.fillWidth: true
            onAccepted: root.openPath(text)
        }
        Button {
            objectName: "replayBrowse"
            text: qsTr("Open…")
            onClicked: root.browse()
            Hint { text: qsTr("Open a session file (Ctrl+O)") }
        }
    }
    ProgressBar {
        objectName: "replayLoading"
        visible: root.player.loading
        value: root.player.loadProgress
        Layout.fillWidth: true
    }
    Label {
        visible: root.player.loading
        text: qsTr("Indexing %1 %…").arg(Math.round(root.player.loadProgress * 100))
        color: Theme.subtleText
        font.pixelSize: Theme.smallFontSize
    }
    Label {
        objectName: "replaySummary"
        visible: text.length > 0
        text: root.player.summary
        color: Theme.subtleText
        font.pixelSize: Theme.smallFontSize
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    Label {
        objectName: "replayProblems"
        visible: text.length > 0
        text: root.player.problems
        color: Theme.stateWarning
        font.pixelSize: Theme.smallFontSize
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    RowLayout {
        spacing: Theme.spacing
        Layout.fillWidth: true
        enabled: root.player.loaded

        Button {
            objectName: "replayPlayButton"
            text: root.player.playing ? qsTr("Pause") : qsTr("Play")
            Layout.preferredWidth: Theme.buttonWidth
            onClicked: root.player.togglePlaying()
            Hint { text: qsTr("Play or pause the replay (Ctrl+P)") }
        }
        Button {
            objectName: "replayStopButton"
            text: qsTr("Stop")
            onClicked: root.player.stop()
            Hint { text: qsTr("Stop and rewind; the replayed devices leave the field and the table") }
        }
        Slider {
            id: seekBar
            objectName: "replaySeek"
            from: 0
            to: Math.max(1, root.player.durationMs)
            value: root.player.positionMs
            live: true
            Layout.fillWidth: true
            onMoved: root.player.seek(value)
        }
        Label {
            objectName: "replayPosition"
            text: root.player.positionText
            color: Theme.text
            font.family: Theme.monoFont
        }
    }
    RowLayout {
        spacing: Theme.spacing
        Layout.fillWidth: true
        enabled: root.player.loaded

        Label {
            text: qsTr("Speed")
            color: Theme.subtleText
        }
        ComboBox {
            objectName: "replaySpeed"
            model: root.speeds.map(s => s + "×")
            currentIndex: Math.max(0, root.speeds.indexOf(root.player.speed))
            Layout.preferredWidth: Theme.speedChooserWidth
            onActivated: index => root.player.speed = root.speeds[index]
        }
        CheckBox {
            objectName: "replayLoop"
            text: qsTr("Loop")
            checked: root.player.loop
            onToggled: root.player.loop = checked
        }
        Item { Layout.fillWidth: true }
        Button {
            objectName: "replayExport"
            text: qsTr("Export CSV…")
            onClicked: root.exportCsv()
            Hint { text: qsTr("Time, id, acceleration in g, beacons in dBm and taps, one row per frame (Ctrl+E)") }
        }
    }
    Label {
        objectName: "replayError"
        visible: text.length > 0
        text: root.player.error
        color: Theme.stateError
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    Label {
        id: exportedLabel
        objectName: "replayExported"
        visible: text.length > 0
        color: Theme.stateOk
        font.pixelSize: Theme.smallFontSize
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }

    FileDialog {
        id: openDialog
        objectName: "replayOpenDialog"
        title: qsTr("Open a session file")
        nameFilters: [qsTr("Session files (*.session *.session.gz *.gz)"), qsTr("All files (*)")]
        onAccepted: root.openPath(selectedFile.toString())
    }
    FileDialog {
        id: exportDialog
        objectName: "replayExportDialog"
        title: qsTr("Export as CSV")
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("CSV files (*.csv)")]
        onAccepted: {
            if (root.player.exportCsv(selectedFile.toString()))
                exportedLabel.text = qsTr("Exported to %1").arg(selectedFile.toString().replace("file://", ""))
        }
    }
}
