import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Ui

// One group of the command panel: a bold title, an optional hint, then its controls.
ColumnLayout {
    id: section

    property string title
    property string hint

    Layout.fillWidth: true
    spacing: Theme.smallSpacing

    Label {
        text: section.title
        font.bold: true
        color: Theme.text
        Layout.topMargin: Theme.spacing
    }
    Label {
        visible: section.hint.length > 0
        text: section.hint
        color: Theme.subtleText
        font.pixelSize: Theme.smallFontSize
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
}
