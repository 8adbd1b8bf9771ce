import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Ui

// A registry command without a dedicated control (a RegistryModel row): its name, a field for
// its parameters if it has any, and Send. Rows of commands that have a control stay hidden.
RowLayout {
    id: generic

    required property string name
    required property var parameters
    required property string description
    required property bool hasWidget
    property bool canSend: false

    signal sendRequested(string command, string params)

    objectName: "generic_" + name
    visible: !hasWidget
    Layout.fillWidth: true
    Label {
        text: generic.name
        font.family: Theme.monoFont
        color: Theme.text
    }
    TextField {
        id: paramsField
        Layout.fillWidth: true
        visible: generic.parameters.length > 0
        placeholderText: generic.parameters.join(":")
        selectByMouse: true
    }
    Item {
        Layout.fillWidth: true
        visible: generic.parameters.length === 0
    }
    Button {
        objectName: "genericSend_" + generic.name
        text: qsTr("Send")
        enabled: generic.canSend
        onClicked: generic.sendRequested(generic.name, paramsField.text)
        Hint { text: generic.description }
    }
}
