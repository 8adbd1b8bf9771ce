import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Ui

// The spring pattern's stiffness, damping and mass, encoded as the firmware's 6 hex digits
// KKDDMM (k = KK/10, damping = DD/10, mass = MM/10 + 0.1).
GridLayout {
    id: root

    property alias stiffness: kSlider.value
    property alias damping: dSlider.value
    property alias mass: mSlider.value
    property string encoded: ""

    columns: 3
    columnSpacing: Theme.smallSpacing
    rowSpacing: 0

    Label { text: qsTr("k"); color: Theme.subtleText }
    Slider {
        id: kSlider
        objectName: "springK"
        from: 0
        to: 25.5
        stepSize: 0.1
        value: 20.1
        Layout.fillWidth: true
    }
    Label { text: kSlider.value.toFixed(1); color: Theme.text; Layout.preferredWidth: Theme.numberWidth }

    Label { text: qsTr("damping"); color: Theme.subtleText }
    Slider {
        id: dSlider
        objectName: "springDamping"
        from: 0
        to: 25.5
        stepSize: 0.1
        value: 2.0
        Layout.fillWidth: true
    }
    Label { text: dSlider.value.toFixed(1); color: Theme.text; Layout.preferredWidth: Theme.numberWidth }

    Label { text: qsTr("mass"); color: Theme.subtleText }
    Slider {
        id: mSlider
        objectName: "springMass"
        from: 0.1
        to: 25.6
        stepSize: 0.1
        value: 1.0
        Layout.fillWidth: true
    }
    Label { text: mSlider.value.toFixed(1); color: Theme.text; Layout.preferredWidth: Theme.numberWidth }
}
