import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// Record and replay (docs/recording.md). Record: what this console receives and the commands it
// sends go to a session file; the file name, elapsed time and size update live. Replay: open a
// session file and play it into the console as if live (field, table, plots), with play/pause,
// a seek bar, speed 0.25x-10x and loop; export the decoded values as CSV. The room on the right
// is the console's field, so the replay can be watched (and selected) right here.
Rectangle {
    id: root

    property SessionRecorder recorder
    property SessionPlayer player
    property DeviceStore store

    signal openDetail(string deviceId)

    readonly property var speeds: [0.25, 0.5, 1, 2, 5, 10]

    function openPath(path) {
        if (root.player && root.player.open(path))
            root.player.play()
    }

    color: Theme.window

    component Card: Rectangle {
        id: card

        default property alias content: column.data
        property string title

        Layout.fillWidth: true
        implicitHeight: column.implicitHeight + 2 * Theme.largeSpacing - Theme.spacing
        radius: Theme.radius
        color: Theme.panel
        border.color: Theme.border

        ColumnLayout {
            id: column
            anchors.fill: parent
            anchors.margins: Theme.largeSpacing
            anchors.topMargin: Theme.spacing
            spacing: Theme.spacing

            Label {
                text: card.title
                font.bold: true
                font.pixelSize: Theme.titleFontSize
                color: Theme.text
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ScrollView {
            Layout.fillHeight: true
            Layout.preferredWidth: 460
            contentWidth: availableWidth
            clip: true

            ColumnLayout {
                width: parent.width
                spacing: Theme.largeSpacing

                Item { Layout.preferredHeight: Theme.smallSpacing }

                Card {
                    objectName: "recordCard"
                    title: qsTr("Record")
                    Layout.leftMargin: Theme.largeSpacing
                    Layout.rightMargin: Theme.largeSpacing

                    Label {
                        text: qsTr("Every frame this console receives and every command it sends, with its result, go to a session file. Replay it here or with grouploop-sim --replay.")
                        color: Theme.subtleText
                        font.pixelSize: Theme.smallFontSize
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    RowLayout {
                        spacing: Theme.spacing
                        Layout.fillWidth: true

                        Button {
                            objectName: "recordButton"
                            readonly property bool on: root.recorder !== null && root.recorder.recording
                            text: on ? qsTr("Stop recording") : qsTr("Record")
                            highlighted: !on
                            enabled: root.recorder !== null
                            Layout.preferredWidth: 150
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("Start or stop recording (Ctrl+R)")
                            onClicked: on ? root.recorder.stop() : root.recorder.start()

                            Rectangle {
                                anchors.left: parent.left
                                anchors.leftMargin: Theme.spacing + 2
                                anchors.verticalCenter: parent.verticalCenter
                                width: 10
                                height: 10
                                radius: parent.on ? 2 : 5
                                color: parent.on ? Theme.text : Theme.bad
                            }
                        }
                        ColumnLayout {
                            spacing: 0
                            Layout.fillWidth: true

                            Label {
                                objectName: "recordFileName"
                                text: root.recorder && root.recorder.fileName.length > 0 ? root.recorder.fileName : qsTr("No recording yet")
                                color: Theme.text
                                font.family: Theme.monoFont
                                elide: Text.ElideMiddle
                                Layout.fillWidth: true
                                ToolTip.visible: fileHover.hovered && root.recorder !== null && root.recorder.filePath.length > 0
                                ToolTip.text: root.recorder ? root.recorder.filePath : ""

                                HoverHandler { id: fileHover }
                            }
                            Label {
                                objectName: "recordStatus"
                                text: root.recorder ? (root.recorder.recording ? "● " : "") + root.recorder.statusText : ""
                                color: root.recorder && root.recorder.recording ? Theme.bad : Theme.subtleText
                                font.pixelSize: Theme.smallFontSize
                                Layout.fillWidth: true
                            }
                        }
                    }
                    RowLayout {
                        spacing: Theme.spacing
                        Layout.fillWidth: true

                        Label {
                            text: qsTr("Folder")
                            color: Theme.subtleText
                        }
                        TextField {
                            objectName: "recordFolder"
                            text: root.recorder ? root.recorder.directory : ""
                            enabled: root.recorder !== null && !root.recorder.recording
                            selectByMouse: true
                            Layout.fillWidth: true
                            onEditingFinished: root.recorder.directory = text
                        }
                        CheckBox {
                            objectName: "recordCompress"
                            text: qsTr("gzip")
                            checked: root.recorder ? root.recorder.compress : true
                            enabled: root.recorder !== null && !root.recorder.recording
                            onToggled: root.recorder.compress = checked
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("Compress the file (.session.gz); a crash still loses at most the last second")
                        }
                    }
                    Label {
                        objectName: "recordError"
                        visible: text.length > 0
                        text: root.recorder ? root.recorder.error : ""
                        color: Theme.bad
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                }

                Card {
                    objectName: "replayCard"
                    title: qsTr("Replay")
                    Layout.leftMargin: Theme.largeSpacing
                    Layout.rightMargin: Theme.largeSpacing

                    Label {
                        text: qsTr("The recorded devices appear in Field, Devices and Detail as if live. To show them to every client of a relay, run grouploop-sim --url ws://… --replay FILE.")
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
                            text: root.player ? root.player.filePath : ""
                            selectByMouse: true
                            Layout.fillWidth: true
                            onAccepted: root.openPath(text)
                        }
                        Button {
                            objectName: "replayBrowse"
                            text: qsTr("Open…")
                            onClicked: openDialog.open()
                        }
                    }
                    Label {
                        objectName: "replaySummary"
                        visible: text.length > 0
                        text: root.player ? root.player.summary : ""
                        color: Theme.subtleText
                        font.pixelSize: Theme.smallFontSize
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Label {
                        objectName: "replayProblems"
                        visible: text.length > 0
                        text: root.player ? root.player.problems : ""
                        color: Theme.warning
                        font.pixelSize: Theme.smallFontSize
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    RowLayout {
                        spacing: Theme.spacing
                        Layout.fillWidth: true
                        enabled: root.player !== null && root.player.loaded

                        Button {
                            objectName: "replayPlayButton"
                            text: root.player && root.player.playing ? qsTr("Pause") : qsTr("Play")
                            Layout.preferredWidth: 80
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("Play or pause the replay (Ctrl+P)")
                            onClicked: root.player.togglePlaying()
                        }
                        Slider {
                            id: seekBar
                            objectName: "replaySeek"
                            from: 0
                            to: root.player ? Math.max(1, root.player.durationMs) : 1
                            value: root.player ? root.player.positionMs : 0
                            live: true
                            Layout.fillWidth: true
                            onMoved: root.player.seek(value)
                        }
                        Label {
                            objectName: "replayPosition"
                            text: root.player ? root.player.positionText : ""
                            color: Theme.text
                            font.family: Theme.monoFont
                        }
                    }
                    RowLayout {
                        spacing: Theme.spacing
                        Layout.fillWidth: true
                        enabled: root.player !== null && root.player.loaded

                        Label {
                            text: qsTr("Speed")
                            color: Theme.subtleText
                        }
                        ComboBox {
                            objectName: "replaySpeed"
                            model: root.speeds.map(s => s + "×")
                            currentIndex: root.player ? Math.max(0, root.speeds.indexOf(root.player.speed)) : 2
                            Layout.preferredWidth: 100
                            onActivated: index => root.player.speed = root.speeds[index]
                        }
                        CheckBox {
                            objectName: "replayLoop"
                            text: qsTr("Loop")
                            checked: root.player ? root.player.loop : false
                            onToggled: root.player.loop = checked
                        }
                        Item { Layout.fillWidth: true }
                        Button {
                            objectName: "replayExport"
                            text: qsTr("Export CSV…")
                            ToolTip.visible: hovered
                            ToolTip.delay: 600
                            ToolTip.text: qsTr("Time, id, acceleration in g, beacons in dBm and taps, one row per frame")
                            onClicked: {
                                exportDialog.selectedFile = "file://" + root.player.suggestedCsvPath()
                                exportDialog.open()
                            }
                        }
                    }
                    Label {
                        objectName: "replayError"
                        visible: text.length > 0
                        text: root.player ? root.player.error : ""
                        color: Theme.bad
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Label {
                        id: exportedLabel
                        objectName: "replayExported"
                        visible: text.length > 0
                        color: Theme.good
                        font.pixelSize: Theme.smallFontSize
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                }

                Item { Layout.fillHeight: true }
            }
        }

        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            color: Theme.border
        }

        FieldView {
            objectName: "sessionsField"
            Layout.fillWidth: true
            Layout.fillHeight: true
            store: root.store
            onOpenDetail: id => root.openDetail(id)
        }
    }

    FileDialog {
        id: openDialog
        title: qsTr("Open a session file")
        nameFilters: [qsTr("Session files (*.session *.session.gz *.gz)"), qsTr("All files (*)")]
        onAccepted: root.openPath(selectedFile.toString())
    }
    FileDialog {
        id: exportDialog
        title: qsTr("Export as CSV")
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("CSV files (*.csv)")]
        onAccepted: {
            if (root.player.exportCsv(selectedFile.toString()))
                exportedLabel.text = qsTr("Exported to %1").arg(selectedFile.toString().replace("file://", ""))
        }
    }

    Shortcut {
        sequence: "Ctrl+P"
        enabled: root.visible && root.player !== null && root.player.loaded
        onActivated: root.player.togglePlaying()
    }
}
