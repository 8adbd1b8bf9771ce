import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Ui

// Firmware update: every targeted device downloads the image and reboots. Needs an explicit
// acknowledgement; relays refuse ota unless their operator allowed it.
Dialog {
    id: root

    property string url: ""
    property string targetSummary: ""

    signal confirmed(string url)

    title: qsTr("Flash firmware over the air?")
    modal: true
    standardButtons: Dialog.Cancel | Dialog.Ok
    width: Theme.dialogWidth

    onAboutToShow: ackBox.checked = false
    onAccepted: root.confirmed(root.url)
    Component.onCompleted: standardButton(Dialog.Ok).enabled = Qt.binding(() => ackBox.checked)

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing

        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.stateError
            font.bold: true
            text: qsTr("Warning: %1 will download and flash the firmware at the URL below, then reboot. A bad image can leave devices unusable until they are reflashed by cable.").arg(root.targetSummary)
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.WrapAnywhere
            font.family: Theme.monoFont
            text: root.url
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.subtleText
            text: qsTr("The relay refuses ota unless it was started with OTA allowed; the result appears under Results.")
        }
        CheckBox {
            id: ackBox
            objectName: "otaAcknowledge"
            text: qsTr("I understand; flash these devices")
        }
    }
}
