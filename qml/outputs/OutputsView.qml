import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// Outputs (docs/outputs.md): where the device data goes (OSC destinations, the MIDI port), show
// control coming in (OSC in), the outputs file, and on the right the mapping table with a live
// meter per mapping. Every change is written to the file in use at once.
Rectangle {
    id: root

    required property OutputsController outputs

    color: Theme.window

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ScrollView {
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.sessionsColumnWidth
            contentWidth: availableWidth
            clip: true

            ColumnLayout {
                width: parent.width
                spacing: Theme.largeSpacing

                Item { Layout.preferredHeight: Theme.smallSpacing }

                OutputDestinationsCard {
                    objectName: "destinationsCard"
                    Layout.leftMargin: Theme.largeSpacing
                    Layout.rightMargin: Theme.largeSpacing
                    outputs: root.outputs
                }
                OutputPortsCard {
                    objectName: "portsCard"
                    Layout.leftMargin: Theme.largeSpacing
                    Layout.rightMargin: Theme.largeSpacing
                    outputs: root.outputs
                }
                SessionCard {
                    objectName: "fileCard"
                    Layout.leftMargin: Theme.largeSpacing
                    Layout.rightMargin: Theme.largeSpacing
                    title: qsTr("Outputs file")

                    Label {
                        objectName: "outputsFileName"
                        text: root.outputs.fileName.length > 0 ? root.outputs.fileName
                                                               : qsTr("No file: changes last until the console closes")
                        color: root.outputs.fileName.length > 0 ? Theme.text : Theme.subtleText
                        font.family: Theme.monoFont
                        elide: Text.ElideMiddle
                        Layout.fillWidth: true
                    }
                    Label {
                        text: qsTr("Destinations, the MIDI port and the mappings, as JSON. Changes are saved to this file as you make them, and it is loaded again when the console starts.")
                        color: Theme.subtleText
                        font.pixelSize: Theme.smallFontSize
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    RowLayout {
                        spacing: Theme.spacing

                        Button {
                            objectName: "loadOutputsButton"
                            text: qsTr("Load…")
                            onClicked: loadDialog.open()
                        }
                        Button {
                            objectName: "saveOutputsButton"
                            text: qsTr("Save as…")
                            onClicked: saveDialog.open()
                        }
                    }
                }
                Label {
                    objectName: "outputsError"
                    visible: text.length > 0
                    text: root.outputs.lastError
                    color: Theme.stateError
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                    Layout.leftMargin: Theme.largeSpacing
                    Layout.rightMargin: Theme.largeSpacing
                }

                Item { Layout.fillHeight: true }
            }
        }

        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            color: Theme.border
        }

        OutputMappingTable {
            objectName: "mappingTable"
            Layout.fillWidth: true
            Layout.fillHeight: true
            outputs: root.outputs
            onEditRequested: row => editor.openFor(row)
            onAddRequested: editor.openFor(-1)
        }
    }

    MappingEditor {
        id: editor
        objectName: "mappingEditor"
        outputs: root.outputs
        anchors.centerIn: parent
    }
    FileDialog {
        id: loadDialog
        title: qsTr("Load an outputs file")
        nameFilters: [qsTr("Outputs files (*.json)"), qsTr("All files (*)")]
        onAccepted: root.outputs.load(selectedFile.toString())
    }
    FileDialog {
        id: saveDialog
        title: qsTr("Save the outputs as")
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("Outputs files (*.json)")]
        onAccepted: root.outputs.save(selectedFile.toString())
    }
}
