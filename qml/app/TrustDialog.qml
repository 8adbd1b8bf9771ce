import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Ui

// An untrusted relay certificate (self-signed, or a private CA not given with --ca-file): what it
// is, and the choice to trust it for this host. Trusted certificates are pinned per host; a
// different one for the same host later is refused, not asked about again.
Dialog {
    id: root

    // RelayClient.certificate: host, subject, subjectNames, issuer, validFrom, validTo, fingerprint, errors.
    property var certificate: ({})

    signal trusted()
    signal rejected()

    title: qsTr("Untrusted certificate")
    modal: true
    closePolicy: Popup.NoAutoClose
    width: Theme.dialogWidth
    anchors.centerIn: parent

    function field(key) {
        const value = root.certificate[key]
        return value === undefined || value === "" ? qsTr("(none)") : String(value)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing

        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.text
            text: qsTr("The relay at %1 presented a certificate this computer does not trust: %2.")
                  .arg(root.field("host")).arg(root.field("errors"))
        }
        GridLayout {
            columns: 2
            columnSpacing: Theme.spacing
            Layout.fillWidth: true

            Label { text: qsTr("Subject"); color: Theme.subtleText }
            Label { objectName: "trustSubject"; text: root.field("subject"); color: Theme.text; Layout.fillWidth: true; elide: Text.ElideRight }
            Label { text: qsTr("Names"); color: Theme.subtleText }
            Label { text: root.field("subjectNames"); color: Theme.text; Layout.fillWidth: true; wrapMode: Text.Wrap }
            Label { text: qsTr("Issuer"); color: Theme.subtleText }
            Label { text: root.field("issuer"); color: Theme.text; Layout.fillWidth: true; elide: Text.ElideRight }
            Label { text: qsTr("Valid"); color: Theme.subtleText }
            Label {
                objectName: "trustValidity"
                text: qsTr("%1 to %2").arg(root.field("validFrom")).arg(root.field("validTo"))
                color: Theme.text
                Layout.fillWidth: true
                wrapMode: Text.Wrap
            }
            Label { text: qsTr("SHA-256"); color: Theme.subtleText; Layout.alignment: Qt.AlignTop }
            Label {
                objectName: "trustFingerprint"
                text: root.field("fingerprint")
                font.family: Theme.monoFont
                color: Theme.text
                Layout.fillWidth: true
                wrapMode: Text.WrapAnywhere
            }
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.subtleText
            text: qsTr("Compare the fingerprint with the one the relay's operator reads from the certificate file (openssl x509 -noout -fingerprint -sha256 -in cert.pem). Once trusted, a different certificate for this host is refused.")
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight
            spacing: Theme.spacing
            Button {
                objectName: "trustRejectButton"
                text: qsTr("Do not connect")
                onClicked: { root.close(); root.rejected() }
            }
            Button {
                objectName: "trustAcceptButton"
                text: qsTr("Trust this certificate for %1").arg(root.field("host"))
                highlighted: true
                onClicked: { root.close(); root.trusted() }
            }
        }
    }
}
