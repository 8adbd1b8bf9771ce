import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// Connection events, command results and errors. Filter by text and level; Copy puts the
// shown lines on the clipboard.
Rectangle {
    id: root

    required property LogModel log
    readonly property alias filter: filterModel

    color: Theme.window

    LogFilterModel {
        id: filterModel
        sourceModel: root.log
        filterText: filterField.text
        minimumLevel: levelBox.currentIndex
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
                    objectName: "logFilter"
                    placeholderText: qsTr("Filter log")
                    selectByMouse: true
                    Layout.preferredWidth: Theme.logFilterWidth
                }
                ComboBox {
                    id: levelBox
                    objectName: "logLevel"
                    model: [qsTr("All levels"), qsTr("Warnings and errors"), qsTr("Errors only")]
                    Layout.preferredWidth: Theme.choiceWidth
                }
                Item { Layout.fillWidth: true }
                Label {
                    objectName: "logCount"
                    color: Theme.subtleText
                    text: qsTr("%1 of %2 lines").arg(filterModel.count).arg(root.log.count)
                }
                Button {
                    objectName: "logCopyButton"
                    text: qsTr("Copy")
                    onClicked: filterModel.copyToClipboard()
                    Hint { text: qsTr("Copy the shown lines to the clipboard") }
                }
                Button {
                    objectName: "logClearButton"
                    text: qsTr("Clear")
                    onClicked: root.log.clear()
                }
            }
        }

        ListView {
            id: list
            objectName: "logList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.margins: Theme.spacing
            clip: true
            model: filterModel
            ScrollBar.vertical: ScrollBar {}
            onCountChanged: if (atYEnd || count < 3) positionViewAtEnd()

            delegate: RowLayout {
                required property string time
                required property int level
                required property string category
                required property string message

                width: ListView.view.width
                spacing: Theme.spacing

                Label {
                    text: time
                    color: Theme.subtleText
                    font.family: Theme.monoFont
                    font.pixelSize: Theme.smallFontSize
                }
                Label {
                    text: level === LogModel.Error ? qsTr("ERROR") : level === LogModel.Warning ? qsTr("WARN") : qsTr("INFO")
                    color: Theme.levelColor(level)
                    font.family: Theme.monoFont
                    font.pixelSize: Theme.smallFontSize
                    Layout.preferredWidth: Theme.logLevelWidth
                }
                Label {
                    text: category
                    color: Theme.subtleText
                    font.pixelSize: Theme.smallFontSize
                    Layout.preferredWidth: Theme.logSourceWidth
                }
                TextEdit {
                    Layout.fillWidth: true
                    text: message
                    readOnly: true
                    selectByMouse: true
                    wrapMode: Text.Wrap
                    color: Theme.text
                    font.pixelSize: Theme.smallFontSize
                }
            }
        }
    }
}
