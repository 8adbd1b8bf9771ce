import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import GroupLoop.Ui

// Firmware (docs/ota.md): pick an image the relay lists or upload a local .bin, choose the
// targets and the batch size, start the rollout behind the ota confirmation, and watch every
// device's state, download and error until it ends; cancel it, export the rows as CSV.
// `firmware` is Console.firmware (a FirmwareController) or a test's stand-in. On a relay that
// runs without --allow-ota (the console's built-in relay, for one) the view says so and how to
// turn it on, and its rollout controls are off.
Rectangle {
    id: root

    required property var firmware
    required property var store

    // What "Start" targets: ["all"], the selection's ids, or one id.
    function targets() {
        if (targetChoice.currentIndex === 0)
            return root.store.selectedIds
        if (targetChoice.currentIndex === 1)
            return ["all"]
        return [oneId.text.trim().toLowerCase()]
    }
    function targetSummary() {
        if (targetChoice.currentIndex === 0)
            return qsTr("%n selected device(s)", "", root.store.selectedIds.length)
        if (targetChoice.currentIndex === 1)
            return qsTr("every device on the relay")
        return qsTr("device %1").arg(oneId.text.trim().toLowerCase())
    }
    readonly property bool otaOn: root.firmware.otaAvailable
    readonly property bool canStart: root.otaOn && imageChoice.currentText.length > 0 && !root.firmware.running
        && (targetChoice.currentIndex === 1
            || (targetChoice.currentIndex === 0 && root.store.selectedIds.length > 0)
            || (targetChoice.currentIndex === 2 && /^[0-9a-fA-F]{4}$/.test(oneId.text.trim())))

    color: Theme.window
    // Asked when shown (the relay may have changed meanwhile), not while hidden in the stack.
    Component.onCompleted: if (visible) root.firmware.refresh()
    onVisibleChanged: if (visible) root.firmware.refresh()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.largeSpacing
        spacing: Theme.spacing

        SectionHeader { text: qsTr("Firmware rollout") }

        Rectangle {
            objectName: "firmwareOtaOff"
            visible: !root.otaOn
            Layout.fillWidth: true
            implicitHeight: otaOffText.implicitHeight + 2 * Theme.spacing
            color: Theme.panel
            border.color: Theme.stateError
            radius: 2
            ColumnLayout {
                id: otaOffText
                anchors.fill: parent
                anchors.margins: Theme.spacing
                spacing: Theme.smallSpacing
                Label {
                    objectName: "firmwareOtaOffTitle"
                    text: qsTr("OTA is off on this relay")
                    font.bold: true
                    color: Theme.stateError
                }
                Label {
                    objectName: "firmwareOtaProblem"
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    text: root.firmware.otaProblem
                    color: Theme.text
                }
            }
        }

        RowLayout {
            spacing: Theme.spacing
            Label { text: qsTr("Image"); Layout.preferredWidth: Theme.buttonWidth }
            ComboBox {
                id: imageChoice
                objectName: "firmwareImage"
                Layout.preferredWidth: Theme.choiceWidth
                enabled: root.otaOn
                model: root.firmware.images
            }
            Button {
                objectName: "firmwareUpload"
                text: qsTr("Upload .bin…")
                enabled: root.otaOn
                onClicked: uploadDialog.open()
            }
            Button {
                objectName: "firmwareRefresh"
                text: qsTr("Refresh")
                onClicked: root.firmware.refresh()
            }
        }

        RowLayout {
            spacing: Theme.spacing
            Label { text: qsTr("Targets"); Layout.preferredWidth: Theme.buttonWidth }
            ComboBox {
                id: targetChoice
                objectName: "firmwareTargets"
                Layout.preferredWidth: Theme.choiceWidth
                enabled: root.otaOn
                model: [qsTr("Selected devices (%1)").arg(root.store.selectedIds.length), qsTr("All devices"), qsTr("One device")]
                currentIndex: 1
            }
            TextField {
                id: oneId
                objectName: "firmwareOneId"
                visible: targetChoice.currentIndex === 2
                Layout.preferredWidth: Theme.idFieldWidth
                placeholderText: "a1b2"
                maximumLength: 4
            }
            Label { text: qsTr("Batch") }
            SpinBox {
                id: batch
                objectName: "firmwareBatch"
                enabled: root.otaOn
                from: 1
                to: 1000
                value: 20
                editable: true
            }
            Label { text: qsTr("Timeout (s)") }
            SpinBox {
                id: timeout
                objectName: "firmwareTimeout"
                enabled: root.otaOn
                from: 5
                to: 3600
                value: 120
                editable: true
            }
        }

        RowLayout {
            spacing: Theme.spacing
            Button {
                objectName: "firmwareStart"
                text: qsTr("Start rollout…")
                highlighted: true
                enabled: root.canStart
                onClicked: confirm.open()
            }
            Button {
                objectName: "firmwareCancel"
                text: qsTr("Cancel rollout")
                enabled: root.otaOn && root.firmware.running
                onClicked: root.firmware.cancel()
            }
            Button {
                objectName: "firmwareExport"
                text: qsTr("Export CSV…")
                enabled: root.firmware.devices.length > 0
                onClicked: exportDialog.open()
            }
            BusyIndicator {
                running: root.firmware.busy
                Layout.preferredHeight: oneId.implicitHeight
                Layout.preferredWidth: oneId.implicitHeight
            }
            Label {
                objectName: "firmwareStatus"
                Layout.fillWidth: true
                elide: Text.ElideRight
                text: root.firmware.status
            }
        }
        Label {
            objectName: "firmwareError"
            visible: text.length > 0
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.stateError
            text: root.firmware.error
        }
        Label {
            objectName: "firmwareCounts"
            visible: root.firmware.rolloutId.length > 0
            font.bold: true
            text: {
                const c = root.firmware.counts
                return qsTr("%1 %2 · %3 updated · %4 failed · %5 in flight · %6 queued")
                    .arg(root.firmware.rolloutId).arg(root.firmware.rolloutState)
                    .arg(c.updated || 0).arg(c.failed || 0)
                    .arg((c.sent || 0) + (c.downloading || 0) + (c.rebooting || 0)).arg(c.queued || 0)
            }
        }

        FirmwareTable {
            objectName: "firmwareTable"
            Layout.fillWidth: true
            Layout.fillHeight: true
            rows: root.firmware.devices
            totalBytes: root.firmware.totalBytes
        }
    }

    OtaDialog {
        id: confirm
        objectName: "firmwareConfirm"
        url: qsTr("%1 from the relay's firmware folder, batches of %2").arg(imageChoice.currentText).arg(batch.value)
        targetSummary: root.targetSummary()
        onConfirmed: root.firmware.start(imageChoice.currentText, root.targets(), batch.value, timeout.value)
    }
    FileDialog {
        id: uploadDialog
        title: qsTr("Upload a firmware image to the relay")
        nameFilters: [qsTr("Firmware images (*.bin)"), qsTr("All files (*)")]
        onAccepted: root.firmware.upload(selectedFile.toString())
    }
    FileDialog {
        id: exportDialog
        title: qsTr("Export the rollout as CSV")
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("CSV files (*.csv)")]
        onAccepted: root.firmware.exportCsv(selectedFile.toString())
    }
    // An uploaded image is picked once the relay lists it (the listing comes after the upload).
    property string pendingPick: ""
    function pickPending() {
        const index = root.firmware.images.indexOf(root.pendingPick)
        if (index >= 0) {
            imageChoice.currentIndex = index
            root.pendingPick = ""
        } else if (imageChoice.currentIndex < 0 && root.firmware.images.length > 0) {
            imageChoice.currentIndex = 0
        }
    }
    Connections {
        target: root.firmware
        function onUploaded(name) {
            root.pendingPick = name
            root.pickPending()
        }
        function onImagesChanged() { root.pickPending() }
    }
}
