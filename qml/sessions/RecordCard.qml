import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// Record: what this console receives and the commands it sends go to a session file; the file
// name, elapsed time and size update live.
SessionCard {
    id: root

    required property SessionRecorder recorder

    title: qsTr("Record")

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
            readonly property bool on: root.recorder.recording
            text: on ? qsTr("Stop recording") : qsTr("Record")
            highlighted: !on
            Layout.preferredWidth: Theme.wideButtonWidth
            onClicked: on ? root.recorder.stop() : root.recorder.start()

            Rectangle {
                anchors.left: parent.left
                anchors.leftMargin: Theme.spacing + 2
                anchors.verticalCenter: parent.verticalCenter
                width: Theme.dotSize
                height: Theme.dotSize
                radius: parent.on ? 2 : Theme.dotSize / 2 // a stop square or a record dot
                color: parent.on ? Theme.text : Theme.stateError
            }
            Hint { text: qsTr("Start or stop recording (Ctrl+R)") }
        }
        ColumnLayout {
            spacing: 0
            Layout.fillWidth: true

            Label {
                objectName: "recordFileName"
                text: root.recorder.fileName.length > 0 ? root.recorder.fileName : qsTr("No recording yet")
                color: Theme.text
                font.family: Theme.monoFont
                elide: Text.ElideMiddle
                Layout.fillWidth: true

                HoverHandler { id: fileHover }
                Hint {
                    shown: fileHover.hovered
                    delay: 0 // at once: it completes the elided name
                    text: root.recorder.filePath
                }
            }
            Label {
                objectName: "recordStatus"
                text: (root.recorder.recording ? "● " : "") + root.recorder.statusText
                color: root.recorder.recording ? Theme.stateError : Theme.subtleText
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
            text: root.recorder.directory
            enabled: !root.recorder.recording
            selectByMouse: true
            Layout.fillWidth: true
            onEditingFinished: root.recorder.directory = text
        }
        CheckBox {
            objectName: "recordCompress"
            text: qsTr("gzip")
            checked: root.recorder.compress
            enabled: !root.recorder.recording
            onToggled: root.recorder.compress = checked
            Hint { text: qsTr("Compress the file (.session.gz); a crash still loses at most the last second") }
        }
    }
    Label {
        objectName: "recordError"
        visible: text.length > 0
        text: root.recorder.error
        color: Theme.stateError
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
}
