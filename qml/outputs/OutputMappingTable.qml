import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// The mappings, one row each: on/off, name, source and scope, target, transform, and a live
// meter of the last value sent (0..1 before the output range) with the value and its device.
Rectangle {
    id: root

    required property OutputsController outputs

    signal editRequested(int row)
    signal addRequested()

    color: Theme.panel

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.largeSpacing
        spacing: Theme.spacing

        RowLayout {
            spacing: Theme.spacing
            Layout.fillWidth: true

            Label {
                text: qsTr("Mappings")
                font.bold: true
                font.pixelSize: Theme.titleFontSize
                color: Theme.text
            }
            Label {
                objectName: "outputsStats"
                text: root.outputs.statsText
                color: Theme.subtleText
                font.pixelSize: Theme.smallFontSize
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Button {
                objectName: "addMappingButton"
                text: qsTr("Add mapping…")
                highlighted: true
                onClicked: root.addRequested()
            }
        }

        Label {
            visible: list.count === 0
            text: qsTr("No mappings. A mapping sends one value (tilt, motion, a tap, the room position, the crowd size) where a tool wants it: an OSC address, a MIDI CC or a MIDI note.")
            color: Theme.subtleText
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        ListView {
            id: list
            objectName: "mappingList"
            model: root.outputs.mappings
            clip: true
            spacing: Theme.smallSpacing
            Layout.fillWidth: true
            Layout.fillHeight: true
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}

            delegate: Rectangle {
                id: row

                required property int index
                required property string name
                required property bool mappingEnabled
                required property string source
                required property string scope
                required property string target
                required property string transformText
                required property double meter
                required property bool hasValue
                required property string value
                required property int outputs
                required property string error

                objectName: "mappingRow_" + index
                width: ListView.view.width
                implicitHeight: rowLayout.implicitHeight + 2 * Theme.spacing
                radius: Theme.smallRadius
                color: Theme.panelAlt
                border.color: row.error.length > 0 ? Theme.stateError : Theme.border

                ColumnLayout {
                    id: rowLayout
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    spacing: 2

                    RowLayout {
                        spacing: Theme.spacing
                        Layout.fillWidth: true

                        CheckBox {
                            objectName: "mappingEnabled_" + row.index
                            checked: row.mappingEnabled
                            onToggled: root.outputs.setMappingEnabled(row.index, checked)
                            Hint { text: qsTr("Send this mapping") }
                        }
                        Label {
                            text: (row.name.length > 0 ? row.name : qsTr("(unnamed)"))
                            font.bold: true
                            color: Theme.text
                            elide: Text.ElideRight
                            Layout.maximumWidth: implicitWidth
                            Layout.fillWidth: true
                        }
                        Label {
                            text: row.source + ", " + row.scope
                            color: Theme.subtleText
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Button {
                            objectName: "editMapping_" + row.index
                            text: qsTr("Edit…")
                            onClicked: root.editRequested(row.index)
                        }
                        Button {
                            objectName: "removeMapping_" + row.index
                            text: qsTr("Remove")
                            flat: true
                            onClicked: root.outputs.removeMapping(row.index)
                        }
                    }
                    Label {
                        text: row.target
                        color: Theme.text
                        font.family: Theme.monoFont
                        font.pixelSize: Theme.smallFontSize
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        text: row.error.length > 0 ? row.error : row.transformText
                        color: row.error.length > 0 ? Theme.stateError : Theme.subtleText
                        font.pixelSize: Theme.smallFontSize
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    RowLayout {
                        spacing: Theme.spacing
                        Layout.fillWidth: true

                        Rectangle {
                            objectName: "meter_" + row.index
                            readonly property real level: row.meter
                            Layout.fillWidth: true
                            implicitHeight: Theme.dotSize
                            radius: Theme.smallRadius
                            color: Theme.barTrack

                            Rectangle {
                                width: parent.width * parent.level
                                height: parent.height
                                radius: parent.radius
                                color: row.mappingEnabled ? Theme.barFill : Theme.stateIdle
                            }
                        }
                        Label {
                            objectName: "meterValue_" + row.index
                            text: row.hasValue ? row.value + (row.outputs > 1 ? qsTr(" · %1 outputs").arg(row.outputs) : "")
                                               : qsTr("no value yet")
                            color: Theme.subtleText
                            font.pixelSize: Theme.smallFontSize
                            horizontalAlignment: Text.AlignRight
                            elide: Text.ElideRight
                            Layout.preferredWidth: Theme.wideButtonWidth
                        }
                    }
                }
            }
        }
    }
}
