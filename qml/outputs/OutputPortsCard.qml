import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// MIDI out (a virtual port "GroupLoop" or an existing port) and OSC in (show control: a UDP
// port taking /grouploop/cmd and /grouploop/select), each with its status line.
SessionCard {
    id: root

    required property OutputsController outputs

    title: qsTr("MIDI out and OSC in")

    SectionHeader { text: qsTr("MIDI out") }
    RowLayout {
        spacing: Theme.spacing
        Layout.fillWidth: true

        StatusDot {
            color: !root.outputs.midiEnabled ? Theme.stateIdle
                                             : (root.outputs.midiOpen ? Theme.stateOk : Theme.stateError)
        }
        ComboBox {
            id: midiPort
            objectName: "midiPortChooser"
            // First entry: a virtual port of our own; then the output ports there are now.
            readonly property string portName: currentIndex > 0 ? currentText : ""
            model: [qsTr("Virtual port GroupLoop")]
            Layout.fillWidth: true
            onPressedChanged: {
                if (pressed)
                    model = [qsTr("Virtual port GroupLoop")].concat(root.outputs.midiPorts())
            }
            Hint { text: qsTr("A virtual port named GroupLoop (connect it in your DAW or with aconnect), or an existing output port") }
        }
        Button {
            objectName: "midiButton"
            text: root.outputs.midiEnabled ? qsTr("Close") : qsTr("Open")
            onClicked: root.outputs.midiEnabled ? root.outputs.disableMidi()
                                                : root.outputs.enableMidi(midiPort.portName)
        }
    }
    Label {
        objectName: "midiStatus"
        text: root.outputs.midiStatus
        color: root.outputs.midiEnabled && !root.outputs.midiOpen ? Theme.stateError : Theme.subtleText
        font.pixelSize: Theme.smallFontSize
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }

    SectionHeader { text: qsTr("OSC in (show control)") }
    RowLayout {
        spacing: Theme.spacing
        Layout.fillWidth: true

        StatusDot {
            color: root.outputs.oscInListening ? Theme.stateOk
                                               : (root.outputs.oscInStatus.startsWith("error") ? Theme.stateError
                                                                                                 : Theme.stateIdle)
        }
        TextField {
            id: oscInPort
            objectName: "oscInPortField"
            text: root.outputs.oscInListening ? String(root.outputs.oscInPort) : "9001"
            enabled: !root.outputs.oscInListening
            validator: IntValidator { bottom: 0; top: 65535 }
            Layout.preferredWidth: Theme.idFieldWidth
        }
        Button {
            objectName: "oscInButton"
            text: root.outputs.oscInListening ? qsTr("Stop") : qsTr("Listen")
            onClicked: root.outputs.oscInListening ? root.outputs.stopOscIn()
                                                   : root.outputs.listenOscIn(Number(oscInPort.text))
        }
        Item { Layout.fillWidth: true }
    }
    Label {
        objectName: "oscInStatus"
        text: root.outputs.oscInStatus + (root.outputs.oscInListening
              ? qsTr(": /grouploop/cmd <target> <command> [<params>], /grouploop/select <id>…") : "")
        color: root.outputs.oscInStatus.startsWith("error") ? Theme.stateError : Theme.subtleText
        font.pixelSize: Theme.smallFontSize
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
}
