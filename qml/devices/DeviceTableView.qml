import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// Every device as a sortable, filterable table with inline bars. Selection is the store's,
// shared with the field: click selects one, Ctrl+click toggles, Shift+click extends.
Rectangle {
    id: root

    required property DeviceStore store
    property alias filterText: filterField.text
    readonly property alias proxy: proxyModel

    // private
    property int anchorRow: -1
    // DeviceTableModel's columns: id, rate, frames, ax, ay, az, NW, NE, SE, SW, taps.
    readonly property var columnWidths: [80, 82, 74, 92, 92, 92, 86, 86, 86, 86, 60]

    signal openDetail(string deviceId)

    color: Theme.window

    function focusFilter() {
        filterField.forceActiveFocus()
        filterField.selectAll()
    }

    function clicked(row, modifiers) {
        const id = proxyModel.deviceIdAt(row)
        if (modifiers & Qt.ControlModifier) {
            root.store.toggleSelected(id)
            root.anchorRow = row
        } else if ((modifiers & Qt.ShiftModifier) && root.anchorRow >= 0) {
            for (const other of proxyModel.deviceIdsBetween(root.anchorRow, row))
                root.store.addToSelection(other)
        } else {
            root.store.selectOnly(id)
            root.anchorRow = row
        }
        root.store.currentId = id
    }

    DeviceTableModel {
        id: tableModel
        store: root.store
        active: root.visible
    }

    DeviceFilterModel {
        id: proxyModel
        sourceModel: tableModel
        filterText: filterField.text
        onlySelected: onlySelectedBox.checked
        sources: root.store.shownSources
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ToolBar {
            Layout.fillWidth: true
            background: Rectangle { color: Theme.panel }

            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.spacing
                anchors.rightMargin: Theme.spacing
                spacing: Theme.spacing

                TextField {
                    id: filterField
                    objectName: "deviceFilter"
                    placeholderText: qsTr("Filter by id (Ctrl+F)")
                    selectByMouse: true
                    Layout.preferredWidth: Theme.filterFieldWidth
                }
                CheckBox {
                    id: onlySelectedBox
                    objectName: "onlySelectedBox"
                    text: qsTr("Only selected")
                }
                SourcesChooser {
                    objectName: "tableSources"
                    store: root.store
                }
                Item { Layout.fillWidth: true }
                Label {
                    objectName: "tableCount"
                    color: Theme.subtleText
                    text: qsTr("%1 of %2 devices").arg(tableView.rows).arg(root.store.count)
                }
            }
        }

        HorizontalHeaderView {
            id: header
            objectName: "deviceTableHeader"
            syncView: tableView
            Layout.fillWidth: true
            clip: true

            delegate: Rectangle {
                id: headerCell

                required property int index
                required property var model

                implicitHeight: Theme.headerHeight
                implicitWidth: root.columnWidths[index]
                color: Theme.panelAlt
                border.color: Theme.border

                Label {
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacing
                    verticalAlignment: Text.AlignVCenter
                    font.bold: true
                    color: Theme.text
                    text: headerCell.model.display + (proxyModel.sortColumn === headerCell.index ? (proxyModel.sortDescending ? " ▼" : " ▲") : "")
                }
                TapHandler {
                    onTapped: proxyModel.sortBy(headerCell.index)
                }
                HoverHandler {
                    id: headerHover
                }
                Hint {
                    shown: headerHover.hovered
                    text: qsTr("Sort by this column; click again to reverse")
                }
            }
        }

        TableView {
            id: tableView
            objectName: "deviceTable"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: proxyModel
            boundsBehavior: Flickable.StopAtBounds
            columnWidthProvider: column => root.columnWidths[column]
            rowHeightProvider: () => Theme.rowHeight
            ScrollBar.vertical: ScrollBar {}
            ScrollBar.horizontal: ScrollBar {}

            // Lean on purpose (no layouts, Text not Label): up to a few hundred cells update
            // at every table refresh.
            delegate: Rectangle {
                id: cell

                required property int row
                required property int column
                required property string display
                required property real bar
                required property bool signedBar
                required property bool selected
                required property bool stale
                required property color ledColour
                required property bool replayed

                readonly property bool hasBar: bar >= 0 || signedBar

                color: selected ? Theme.selectionRow : (row % 2 ? Theme.panelAlt : Theme.panel)

                Rectangle {
                    id: ledDot
                    visible: cell.column === 0
                    x: Theme.spacing
                    anchors.verticalCenter: parent.verticalCenter
                    width: Theme.dotSize
                    height: Theme.dotSize
                    radius: cell.replayed ? 0 : Theme.dotSize / 2
                    rotation: cell.replayed ? 45 : 0
                    color: cell.ledColour.valid ? cell.ledColour : Theme.fieldUnknown
                    border.color: cell.replayed ? Theme.replay : Theme.border
                }
                Text {
                    x: cell.column === 0 ? ledDot.x + ledDot.width + Theme.smallSpacing : Theme.spacing
                    width: parent.width - x - Theme.spacing
                    y: cell.hasBar ? 3 : (parent.height - height) / 2
                    text: cell.column === 0 && cell.replayed ? qsTr("%1 ▸replay").arg(cell.display) : cell.display
                    elide: Text.ElideRight
                    font.italic: cell.replayed
                    color: cell.stale ? Theme.stateStale : (cell.replayed ? Theme.replay : Theme.text)
                    font.family: cell.column === 0 ? Theme.monoFont : Theme.uiFont
                    font.pixelSize: Theme.fontSize
                }
                MiniBar {
                    visible: cell.hasBar
                    x: Theme.spacing
                    width: parent.width - 2 * Theme.spacing
                    y: parent.height - height - Theme.smallSpacing
                    height: Theme.barHeight
                    value: cell.bar
                    signedValue: cell.signedBar
                }

                TapHandler {
                    id: rowTap
                    onTapped: root.clicked(cell.row, rowTap.point.modifiers)
                    onDoubleTapped: root.openDetail(proxyModel.deviceIdAt(cell.row))
                }
            }
        }
    }

    Label {
        anchors.centerIn: parent
        visible: tableView.rows === 0
        color: Theme.subtleText
        text: root.store.count > 0 ? qsTr("No device matches the filter.") : qsTr("No devices yet.")
    }

    Shortcut {
        sequence: StandardKey.Find
        enabled: root.visible
        onActivated: root.focusFilter()
    }
}
