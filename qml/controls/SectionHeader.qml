import QtQuick
import QtQuick.Controls
import GroupLoop.Ui

// The small capitals above a group of settings or values ("ROTATION", "LAST FRAME SENT").
Label {
    color: Theme.subtleText
    font.pixelSize: Theme.smallFontSize
    font.capitalization: Font.AllUppercase
}
