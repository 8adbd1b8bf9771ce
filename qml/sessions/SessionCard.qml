import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Ui

// A titled card of the Record & replay view; its children stack below the title.
Rectangle {
    id: card

    default property alias content: column.data
    property string title

    Layout.fillWidth: true
    implicitHeight: column.implicitHeight + 2 * Theme.largeSpacing - Theme.spacing
    radius: Theme.radius
    color: Theme.panel
    border.color: Theme.border

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.largeSpacing
        anchors.topMargin: Theme.spacing
        spacing: Theme.spacing

        Label {
            text: card.title
            font.bold: true
            font.pixelSize: Theme.titleFontSize
            color: Theme.text
        }
    }
}
