import QtQuick
import QtTest
import GroupLoop.Ui

// The notice under the connection bar (issue 19): hidden with nothing to say; the port that was
// taken and why; and, when the console joined a relay already there, the button that starts the
// built-in relay on another port.
TestCase {
    name: "RelayNotice"
    when: windowShown
    visible: true
    width: 1280
    height: 100

    RelayNotice {
        id: notice
        width: 1280
    }
    SignalSpy { id: startOwn; target: notice; signalName: "startOwn" }
    SignalSpy { id: dismissed; target: notice; signalName: "dismissed" }

    function test_choices() {
        verify(!notice.visible)
        compare(notice.implicitHeight, 0)

        notice.notice = "Port 5003 is unavailable (address in use); built-in relay listening on port 40001 instead"
        verify(notice.visible && notice.implicitHeight > 0)
        compare(findChild(notice, "relayNoticeText").text, notice.notice)
        verify(!findChild(notice, "startOwnRelayButton").visible) // nothing to choose
        compare(findChild(notice, "dismissRelayNotice").text, "OK")

        notice.notice = "Port 5003 is already served by a GroupLoop relay (0.1.0); using it instead of the built-in one"
        notice.canStartOwn = true
        const button = findChild(notice, "startOwnRelayButton")
        verify(button.visible)
        compare(button.text, "Start the built-in relay on another port")
        mouseClick(button)
        compare(startOwn.count, 1)
        mouseClick(findChild(notice, "dismissRelayNotice"))
        compare(dismissed.count, 1)
    }
}
