import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Ui

// The rollout's devices, one row each: id, state (coloured), download progress, bytes, error.
Rectangle {
    id: root

    property var rows: []
    property real totalBytes: 0

    function stateColour(state) {
        if (state === "updated")
            return Theme.stateOk
        if (state === "failed")
            return Theme.stateError
        if (state === "queued")
            return Theme.subtleText
        return Theme.stateWarning
    }

    color: Theme.panel
    border.color: Theme.border
    radius: Theme.radius

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.smallSpacing
        spacing: 0

        RowLayout {
            spacing: Theme.spacing
            Label { text: qsTr("Device"); font.bold: true; Layout.preferredWidth: Theme.idFieldWidth }
            Label { text: qsTr("State"); font.bold: true; Layout.preferredWidth: Theme.buttonWidth + 20 }
            Label { text: qsTr("Download"); font.bold: true; Layout.preferredWidth: Theme.wideButtonWidth + 50 }
            Label { text: qsTr("Bytes"); font.bold: true; Layout.preferredWidth: Theme.wideButtonWidth }
            Label { text: qsTr("Error"); font.bold: true; Layout.fillWidth: true }
        }

        ListView {
            id: list
            objectName: "firmwareRows"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: root.rows
            ScrollBar.vertical: ScrollBar {}

            delegate: RowLayout {
                id: row

                required property var modelData
                required property int index

                width: list.width
                spacing: Theme.spacing

                Label {
                    text: row.modelData.id
                    font.family: Theme.monoFont
                    Layout.preferredWidth: Theme.idFieldWidth
                }
                Label {
                    objectName: "firmwareRowState"
                    text: row.modelData.state
                    color: root.stateColour(row.modelData.state)
                    font.bold: true
                    Layout.preferredWidth: Theme.buttonWidth + 20
                }
                ProgressBar {
                    Layout.preferredWidth: Theme.wideButtonWidth + 50
                    from: 0
                    to: root.totalBytes > 0 ? root.totalBytes : 1
                    value: root.totalBytes > 0 ? row.modelData.bytes : (row.modelData.state === "updated" ? 1 : 0)
                }
                Label {
                    text: root.totalBytes > 0 ? qsTr("%1 / %2 KiB").arg(Math.round(row.modelData.bytes / 1024)).arg(Math.round(root.totalBytes / 1024))
                                              : "—"
                    Layout.preferredWidth: Theme.wideButtonWidth
                }
                Label {
                    text: row.modelData.error || ""
                    color: Theme.stateError
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
            }
        }
    }
}
