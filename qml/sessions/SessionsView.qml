import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// Record and replay (docs/recording.md): the Record and Replay cards on the left, and on the
// right the console's field, so a replay can be watched (and selected) right here.
Rectangle {
    id: root

    required property SessionRecorder recorder
    required property SessionPlayer player
    required property DeviceStore store

    signal openDetail(string deviceId)

    function openSession() {
        replayCard.browse()
    }

    function exportCsv() {
        return replayCard.exportCsv()
    }

    color: Theme.window

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ScrollView {
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.sessionsColumnWidth
            contentWidth: availableWidth
            clip: true

            ColumnLayout {
                width: parent.width
                spacing: Theme.largeSpacing

                Item { Layout.preferredHeight: Theme.smallSpacing }

                RecordCard {
                    objectName: "recordCard"
                    Layout.leftMargin: Theme.largeSpacing
                    Layout.rightMargin: Theme.largeSpacing
                    recorder: root.recorder
                }

                ReplayCard {
                    id: replayCard
                    objectName: "replayCard"
                    Layout.leftMargin: Theme.largeSpacing
                    Layout.rightMargin: Theme.largeSpacing
                    player: root.player
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

    Shortcut {
        sequence: "Ctrl+P"
        enabled: root.visible && root.player.loaded
        onActivated: root.player.togglePlaying()
    }
}
