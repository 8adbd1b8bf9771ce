import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// How people in the room join: the relay's /phone page (docs/phone.md) by each LAN address of
// this machine, as a QR code to scan and as text, and the web root the built-in relay serves
// its browser apps from (docs/hub.md).
Dialog {
    id: root

    required property string relayUrl
    required property AppSettings settings
    property string webRoot: ""
    property int current: 0

    readonly property var urls: links.urls
    readonly property string shownUrl: urls.length > 0 ? urls[Math.min(current, urls.length - 1)] : ""

    title: qsTr("Join with a phone")
    modal: true
    standardButtons: Dialog.Close
    width: Theme.joinDialogWidth

    onAboutToShow: {
        links.refresh()
        webRootField.text = String(root.settings.value("relay/webRoot", ""))
    }

    JoinLinks {
        id: links
        relayUrl: root.relayUrl
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing

        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.text
            text: root.urls.length > 0
                  ? qsTr("Scan with the phone's camera, or type the address. The phone becomes a device: tilt it, tap it, and it lights up with the colours you send.")
                  : qsTr("No network address to show: this machine has no LAN connection the phones could reach.")
        }

        QrCodeItem {
            objectName: "joinQrCode"
            visible: root.shownUrl.length > 0
            text: root.shownUrl
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: Theme.qrCodeSize
            Layout.preferredHeight: Theme.qrCodeSize
        }

        Repeater {
            model: root.urls

            delegate: RadioButton {
                required property int index
                required property string modelData

                objectName: "joinUrl" + index
                checked: index === root.current
                text: modelData
                font.family: Theme.monoFont
                onClicked: root.current = index
            }
        }

        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.subtleText
            font.pixelSize: Theme.smallFontSize
            text: qsTr("Phones need to be on the same network. Motion sensors need HTTPS on most phones: serve the relay over TLS (docs/phone.md).")
        }

        SectionHeader {
            Layout.fillWidth: true
            text: qsTr("Browser apps")
        }
        Label {
            objectName: "joinWebRootState"
            Layout.fillWidth: true
            wrapMode: Text.WrapAnywhere
            color: Theme.text
            text: root.webRoot.length > 0
                  ? qsTr("The built-in relay serves the apps of %1 at %2").arg(root.webRoot).arg(root.shownUrl.replace("/phone", "/"))
                  : qsTr("The built-in relay serves no apps.")
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing

            TextField {
                id: webRootField
                objectName: "joinWebRootField"
                Layout.fillWidth: true
                selectByMouse: true
                placeholderText: qsTr("Folder of the old hub's static files (apps/, vendor/js/)")
            }
            Button {
                objectName: "joinWebRootSave"
                text: qsTr("Save")
                onClicked: {
                    root.settings.setValue("relay/webRoot", webRootField.text.trim())
                    root.settings.sync()
                    savedNote.visible = true
                }
            }
        }
        Label {
            id: savedNote
            visible: false
            color: Theme.subtleText
            font.pixelSize: Theme.smallFontSize
            text: qsTr("Saved: the built-in relay serves this folder from the next start (--web-root overrides it).")
        }
    }
}
