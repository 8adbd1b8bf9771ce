import QtQuick
import QtQuick.Controls
import GroupLoop.Console
import GroupLoop.Ui

// Live and replayed devices together or apart: the store's filter, shared by the field and the
// table. Shown while the console replays a session (or the filter is not "all").
ComboBox {
    id: root

    required property DeviceStore store

    visible: store.replayedCount > 0 || store.shownSources !== DeviceStore.AllSources
    model: [qsTr("Live and replayed"), qsTr("Live only"), qsTr("Replayed only")]
    currentIndex: store.shownSources
    implicitWidth: 170
    onActivated: index => root.store.shownSources = index

    Hint { text: qsTr("Replayed devices (◆, tagged replay) come from this console's replay; no relay knows them, so commands skip them") }
}
