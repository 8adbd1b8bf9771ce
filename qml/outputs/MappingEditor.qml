import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// Adds or edits one mapping: source and scope, the transform (docs/outputs.md, "Mappings") and
// the target. The fields are the outputs file's, so what is checked here is what a file would
// be checked for; a problem is named ("input.min: must be a number") and nothing changes.
Dialog {
    id: root

    required property OutputsController outputs
    property int row: -1 // -1: a new mapping
    property string problem: ""

    // A number field's value: the number, or the text as typed so the check names it.
    function numberOf(field) {
        const text = field.text.trim()
        const value = Number(text)
        return text.length === 0 || isNaN(value) ? text : value
    }
    function setChoice(combo, value) {
        const i = combo.model.indexOf(value)
        combo.currentIndex = i < 0 ? 0 : i
    }
    function fill(m) {
        nameField.text = m.name
        setChoice(sourceChoice, m.source)
        setChoice(scopeChoice, m.scope)
        deviceField.text = m.device !== undefined ? m.device : ""
        inMin.text = m.input.min
        inMax.text = m.input.max
        outMin.text = m.output.min
        outMax.text = m.output.max
        invertBox.checked = m.invert
        setChoice(curveChoice, m.curve)
        curveAmount.text = m.curveAmount
        smoothing.text = m.smoothing
        deadband.text = m.deadband
        maxRate.text = m.maxRateHz
        setChoice(kindChoice, m.target.kind)
        address.text = m.target.address !== undefined ? m.target.address : "/grouploop/{id}/" + m.source
        setChoice(typeChoice, m.target.type !== undefined ? m.target.type : "f")
        channel.text = m.target.channel !== undefined ? m.target.channel : "1"
        number.text = m.target.number !== undefined ? m.target.number
                                                    : (m.target.note !== undefined ? m.target.note : "{index}")
        velocity.text = m.target.velocity !== undefined ? m.target.velocity : 100
        duration.text = m.target.durationMs !== undefined ? m.target.durationMs : 150
    }
    function openFor(index) {
        row = index
        problem = ""
        fill(index < 0 ? outputs.newMapping("roll") : outputs.mappingAt(index))
        open()
    }
    function mapping() {
        const kind = kindChoice.currentText
        const target = { kind: kind }
        if (kind === "osc") {
            target.address = address.text
            target.type = typeChoice.currentText
        } else {
            target.channel = channel.text
            target[kind === "midi-cc" ? "number" : "note"] = number.text
            if (kind === "midi-note") {
                target.velocity = numberOf(velocity)
                target.durationMs = numberOf(duration)
            }
        }
        const m = {
            name: nameField.text,
            enabled: row < 0 ? true : outputs.mappingAt(row).enabled,
            source: sourceChoice.currentText,
            scope: scopeChoice.currentText,
            input: { min: numberOf(inMin), max: numberOf(inMax) },
            output: { min: numberOf(outMin), max: numberOf(outMax) },
            invert: invertBox.checked,
            curve: curveChoice.currentText,
            curveAmount: numberOf(curveAmount),
            smoothing: numberOf(smoothing),
            deadband: numberOf(deadband),
            maxRateHz: numberOf(maxRate),
            target: target
        }
        if (scopeChoice.currentText === "device")
            m.device = deviceField.text
        return m
    }
    function commit() {
        problem = row < 0 ? outputs.addMapping(mapping()) : outputs.updateMapping(row, mapping())
        if (problem.length === 0)
            close()
    }

    title: row < 0 ? qsTr("Add a mapping") : qsTr("Edit mapping %1").arg(row + 1)
    modal: true
    width: Theme.dialogWidth + Theme.largeSpacing * 6

    GridLayout {
        anchors.fill: parent
        columns: 4
        columnSpacing: Theme.spacing
        rowSpacing: Theme.smallSpacing

        Label { text: qsTr("Name") }
        TextField { id: nameField; objectName: "mappingName"; Layout.columnSpan: 3; Layout.fillWidth: true }

        Label { text: qsTr("Source") }
        ComboBox {
            id: sourceChoice
            objectName: "mappingSource"
            model: root.outputs.sourceNames
            Layout.fillWidth: true
            onActivated: {
                // A new source: its natural range, and its name where the default address had the old one.
                const info = root.outputs.sourceInfo(currentText)
                inMin.text = info.min
                inMax.text = info.max
                if (info.roomLevel)
                    address.text = "/grouploop/room/" + currentText
                else if (address.text.startsWith("/grouploop/{id}/"))
                    address.text = "/grouploop/{id}/" + currentText
            }
        }
        Label {
            text: root.outputs.sourceInfo(sourceChoice.currentText).unit || ""
            color: Theme.subtleText
        }
        Item { Layout.fillWidth: true }

        Label { text: qsTr("Scope") }
        ComboBox {
            id: scopeChoice
            objectName: "mappingScope"
            model: ["all", "selection", "device"]
            Layout.fillWidth: true
        }
        // Always laid out (a hidden cell would shift the grid); used with the "device" scope.
        Label { text: qsTr("Device"); enabled: scopeChoice.currentText === "device" }
        TextField {
            id: deviceField
            objectName: "mappingDevice"
            enabled: scopeChoice.currentText === "device"
            placeholderText: "00ab"
            Layout.fillWidth: true
        }

        Label { text: qsTr("Input") }
        TextField { id: inMin; objectName: "mappingInMin"; Layout.fillWidth: true }
        Label { text: qsTr("to") }
        TextField { id: inMax; objectName: "mappingInMax"; Layout.fillWidth: true }

        Label { text: qsTr("Output") }
        TextField { id: outMin; objectName: "mappingOutMin"; Layout.fillWidth: true }
        Label { text: qsTr("to") }
        TextField { id: outMax; objectName: "mappingOutMax"; Layout.fillWidth: true }

        Label { text: qsTr("Curve") }
        ComboBox { id: curveChoice; model: ["linear", "exponential"]; Layout.fillWidth: true }
        Label { text: qsTr("Amount"); enabled: curveChoice.currentText === "exponential" }
        TextField { id: curveAmount; enabled: curveChoice.currentText === "exponential"; Layout.fillWidth: true }

        Label { text: qsTr("Smoothing") }
        TextField { id: smoothing; objectName: "mappingSmoothing"; Layout.fillWidth: true }
        Label { text: qsTr("Deadband") }
        TextField { id: deadband; Layout.fillWidth: true }

        Label { text: qsTr("Max rate (Hz)") }
        TextField { id: maxRate; Layout.fillWidth: true }
        CheckBox { id: invertBox; text: qsTr("Invert"); Layout.columnSpan: 2 }

        Label { text: qsTr("Target") }
        ComboBox {
            id: kindChoice
            objectName: "mappingKind"
            model: ["osc", "midi-cc", "midi-note"]
            Layout.fillWidth: true
        }
        Label { text: qsTr("OSC type"); visible: kindChoice.currentText === "osc" }
        ComboBox {
            id: typeChoice
            visible: kindChoice.currentText === "osc"
            model: ["f", "i"]
            Layout.fillWidth: true
        }
        Label { text: qsTr("Channel"); visible: kindChoice.currentText !== "osc" }
        TextField {
            id: channel
            objectName: "mappingChannel"
            visible: kindChoice.currentText !== "osc"
            Layout.fillWidth: true
        }

        Label { text: qsTr("Address"); visible: kindChoice.currentText === "osc" }
        TextField {
            id: address
            objectName: "mappingAddress"
            visible: kindChoice.currentText === "osc"
            font.family: Theme.monoFont
            Layout.columnSpan: 3
            Layout.fillWidth: true
        }
        Label {
            text: kindChoice.currentText === "midi-note" ? qsTr("Note") : qsTr("CC number")
            visible: kindChoice.currentText !== "osc"
        }
        TextField {
            id: number
            objectName: "mappingNumber"
            visible: kindChoice.currentText !== "osc"
            placeholderText: "{index}+20"
            Layout.columnSpan: 3
            Layout.fillWidth: true
        }
        Label { text: qsTr("Velocity"); visible: kindChoice.currentText === "midi-note" }
        TextField { id: velocity; visible: kindChoice.currentText === "midi-note"; Layout.fillWidth: true }
        Label { text: qsTr("Length (ms)"); visible: kindChoice.currentText === "midi-note" }
        TextField { id: duration; visible: kindChoice.currentText === "midi-note"; Layout.fillWidth: true }

        Label {
            text: qsTr("{id}: the device id, {index}: its slot in this mapping (0, 1, 2… in the order devices were heard)")
            color: Theme.subtleText
            font.pixelSize: Theme.smallFontSize
            wrapMode: Text.Wrap
            Layout.columnSpan: 4
            Layout.fillWidth: true
        }
        Label {
            objectName: "mappingProblem"
            visible: root.problem.length > 0
            text: root.problem
            color: Theme.stateError
            wrapMode: Text.Wrap
            Layout.columnSpan: 4
            Layout.fillWidth: true
        }
    }

    footer: DialogButtonBox {
        Button {
            objectName: "mappingSave"
            text: root.row < 0 ? qsTr("Add") : qsTr("Save")
            highlighted: true
            DialogButtonBox.buttonRole: DialogButtonBox.ActionRole
            onClicked: root.commit()
        }
        Button {
            objectName: "mappingCancel"
            text: qsTr("Cancel")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }
}
