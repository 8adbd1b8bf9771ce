import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import GroupLoop.Console
import GroupLoop.Ui

// A titled live plot (SeriesPlot) with its value axis, grid and legend.
Rectangle {
    id: root

    required property DeviceStore store
    property string deviceId: ""
    property int kind: SeriesPlot.Acceleration
    property string title: ""
    property var seriesNames: []
    property var seriesColors: []
    property string unit: ""

    color: Theme.panel
    border.color: Theme.border
    radius: Theme.radius
    implicitHeight: Theme.plotHeight

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.smallSpacing

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing

            Label {
                text: root.title
                font.bold: true
                color: Theme.text
            }
            Item { Layout.fillWidth: true }
            Repeater {
                model: root.seriesNames

                // A line swatch and the name, both in the series' colour. In a layout the swatch
                // needs Layout sizes: plain width/height are ignored and it would collapse to nothing.
                delegate: RowLayout {
                    required property string modelData
                    required property int index

                    objectName: "legend_" + modelData
                    spacing: 3
                    Rectangle {
                        objectName: "legendSwatch"
                        Layout.preferredWidth: 14
                        Layout.preferredHeight: 4
                        Layout.alignment: Qt.AlignVCenter
                        radius: 1
                        color: root.seriesColors[index]
                    }
                    Label {
                        text: modelData
                        color: root.seriesColors[index]
                        font.bold: true
                        font.pixelSize: Theme.smallFontSize
                    }
                }
            }
            Label {
                text: qsTr("last 30 s")
                color: Theme.subtleText
                font.pixelSize: Theme.smallFontSize
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.smallSpacing

            Item {
                Layout.preferredWidth: Theme.plotAxisWidth
                Layout.fillHeight: true

                Repeater {
                    model: 5

                    delegate: Label {
                        required property int index

                        readonly property real value: plot.maxValue - index * (plot.maxValue - plot.minValue) / 4
                        anchors.right: parent.right
                        y: index * (parent.height - height) / 4
                        text: value.toFixed(root.kind === SeriesPlot.Acceleration ? 1 : 0) + " " + root.unit
                        color: Theme.subtleText
                        font.pixelSize: Theme.smallFontSize - 1
                    }
                }
            }

            Rectangle {
                Layout.fillWidth: true
                Layout.fillHeight: true
                color: Theme.panelAlt
                border.color: Theme.border

                Repeater {
                    model: 3

                    delegate: Rectangle {
                        required property int index

                        width: parent.width
                        height: 1
                        y: (index + 1) * parent.height / 4
                        color: Theme.border
                    }
                }

                SeriesPlot {
                    id: plot
                    objectName: root.objectName + "_plot"
                    anchors.fill: parent
                    anchors.margins: 1
                    store: root.store
                    deviceId: root.deviceId
                    kind: root.kind
                    colors: root.seriesColors
                }
            }
        }
    }
}
