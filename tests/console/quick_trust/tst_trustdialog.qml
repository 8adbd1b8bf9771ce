import QtQuick
import QtQuick.Controls
import QtTest
import GroupLoop.Console
import GroupLoop.Ui

// The certificate dialog of the connection bar, against a real wss:// relay (tst_trustdialog.cpp).
Item {
    width: 1280
    height: 720

    ConnectionBar {
        id: bar
        width: parent.width
        relay: testRelay
    }
    ConnectionBar {
        id: otherBar
        y: 100
        width: parent.width
        relay: otherRelay
    }

    TestCase {
        name: "TrustDialog"
        when: windowShown

        function test_1_askThenPin() {
            const dialog = findChild(bar, "trustDialog")
            verify(dialog)
            testRelay.connectToText(setup.url)
            tryCompare(testRelay, "state", RelayClient.TrustNeeded, 15000)
            tryCompare(dialog, "opened", true, 5000)
            compare(findChild(dialog.contentItem, "trustFingerprint").text, setup.fingerprint)
            compare(findChild(dialog.contentItem, "trustSubject").text, "localhost")
            verify(findChild(dialog.contentItem, "trustValidity").text.indexOf(" to ") > 0)
            const accept = findChild(dialog.contentItem, "trustAcceptButton")
            verify(accept.text.indexOf("Trust this certificate for 127.0.0.1:") === 0)
            wait(300)
            compare(testRelay.state, RelayClient.TrustNeeded) // no retry while the user decides
            mouseClick(accept)
            tryCompare(testRelay, "state", RelayClient.Subscribed, 15000)
            compare(dialog.opened, false)
            compare(setup.pinned().toUpperCase(), setup.fingerprint.replace(/:/g, ""))
        }

        function test_2_changedCertificateIsRefused() {
            setup.pinAnother()
            otherRelay.connectToText(setup.url)
            tryCompare(otherRelay, "state", RelayClient.Failed, 15000)
            verify(otherRelay.stateText.indexOf("changed since you trusted it") >= 0, otherRelay.stateText)
            compare(findChild(otherBar, "trustDialog").opened, false)
            compare(findChild(otherBar, "connectionState").text, otherRelay.stateText)
        }
    }
}
