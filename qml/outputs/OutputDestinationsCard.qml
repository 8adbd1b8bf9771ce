import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// The OSC destinations: each with its status light and line, what it gets (the default
// /grouploop/... scheme, the mappings' values, bundles or not) and its counters; add HOST:PORT.
SessionCard {
    id: root

    required property OutputsController outputs

    title: qsTr("OSC out")

    Label {
        visible: root.outputs.destinations.count === 0
        text: qsTr("No destinations. Add the host and port your tool listens on (TouchDesigner, Max, Resolume…).")
        color: Theme.subtleText
        font.pixelSize: Theme.smallFontSize
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }

    Repeater {
        model: root.outputs.destinations

        delegate: ColumnLayout {
            id: destination

            required property int index
            required property string label
            required property int status
            required property string statusText
            required property double datagrams
            required property double dropped
            required property bool defaultScheme
            required property bool mappings
            required property bool bundles
            required property bool commandLine

            objectName: "destination_" + label
            spacing: 0
            Layout.fillWidth: true

            RowLayout {
                spacing: Theme.spacing
                Layout.fillWidth: true

                StatusDot {
                    color: destination.status === 1 ? Theme.stateOk
                                                    : (destination.status === 2 ? Theme.stateError : Theme.stateWarning)
                }
                Label {
                    text: destination.label
                    color: Theme.text
                    font.family: Theme.monoFont
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                }
                Label {
                    visible: destination.commandLine
                    text: qsTr("--osc-out")
                    color: Theme.subtleText
                    font.pixelSize: Theme.smallFontSize
                    Hint {
                        shown: cliHover.hovered
                        text: qsTr("From the command line: for this run only, not saved in the file")
                    }
                    HoverHandler { id: cliHover }
                }
                Button {
                    objectName: "removeDestination_" + destination.label
                    text: qsTr("Remove")
                    flat: true
                    onClicked: root.outputs.removeDestination(destination.index)
                }
            }
            Label {
                objectName: "destinationStatus_" + destination.label
                text: destination.statusText + (destination.datagrams > 0
                      ? qsTr(", %1 datagrams").arg(destination.datagrams) : "")
                      + (destination.dropped > 0 ? qsTr(", %1 dropped").arg(destination.dropped) : "")
                color: destination.status === 2 ? Theme.stateError : Theme.subtleText
                font.pixelSize: Theme.smallFontSize
                elide: Text.ElideRight
                Layout.fillWidth: true
                Layout.leftMargin: Theme.dotSize + Theme.spacing
            }
            RowLayout {
                spacing: 0
                Layout.leftMargin: Theme.dotSize
                CheckBox {
                    text: qsTr("/grouploop/…")
                    checked: destination.defaultScheme
                    onToggled: root.outputs.setDestinationOption(destination.index, "defaultScheme", checked)
                    Hint { text: qsTr("The default scheme: accel, tap, position, beacons per device, and the device count") }
                }
                CheckBox {
                    text: qsTr("Mappings")
                    checked: destination.mappings
                    onToggled: root.outputs.setDestinationOption(destination.index, "mappings", checked)
                    Hint { text: qsTr("The values of the OSC mappings") }
                }
                CheckBox {
                    text: qsTr("Bundles")
                    checked: destination.bundles
                    onToggled: root.outputs.setDestinationOption(destination.index, "bundles", checked)
                    Hint { text: qsTr("Off: one message per datagram, for tools that do not unpack bundles") }
                }
            }
        }
    }

    RowLayout {
        spacing: Theme.spacing
        Layout.fillWidth: true

        TextField {
            id: hostPort
            objectName: "destinationField"
            placeholderText: qsTr("host:port, e.g. 127.0.0.1:9000")
            Layout.fillWidth: true
            onAccepted: addButton.clicked()
        }
        Button {
            id: addButton
            objectName: "addDestinationButton"
            text: qsTr("Add")
            enabled: hostPort.text.trim().length > 0
            onClicked: {
                if (root.outputs.addDestination(hostPort.text))
                    hostPort.text = ""
            }
        }
    }
}
