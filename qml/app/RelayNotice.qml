import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Ui

// Under the connection bar when the built-in relay could not take its port (issue 19): which
// port and why, and when the console joined a GroupLoop relay already there, the other choice:
// our own relay on a free port. Hidden once acted on or dismissed.
Rectangle {
    id: root

    property string notice: ""
    property bool canStartOwn: false

    signal startOwn()
    signal dismissed()

    visible: notice.length > 0 || canStartOwn
    implicitHeight: visible ? row.implicitHeight + 2 * Theme.smallSpacing : 0
    color: Theme.panelAlt

    Divider { edge: Qt.BottomEdge }

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: Theme.spacing
        anchors.rightMargin: Theme.spacing
        spacing: Theme.spacing

        Label {
            objectName: "relayNoticeText"
            Layout.fillWidth: true
            text: root.notice
            color: Theme.text
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
        Button {
            objectName: "startOwnRelayButton"
            visible: root.canStartOwn
            text: qsTr("Start the built-in relay on another port")
            onClicked: root.startOwn()
            Hint { text: qsTr("Leave the relay already on this port alone and connect to the console's own relay on a free port") }
        }
        Button {
            objectName: "dismissRelayNotice"
            text: root.canStartOwn ? qsTr("Keep this relay") : qsTr("OK")
            onClicked: root.dismissed()
        }
    }
}
