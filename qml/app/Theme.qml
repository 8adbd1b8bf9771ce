pragma Singleton
import QtQuick

// One place for the console's colours and sizes, light and dark.
QtObject {
    property bool dark: false

    readonly property color window: dark ? "#1c1f24" : "#eef0f3"
    readonly property color panel: dark ? "#252930" : "#ffffff"
    readonly property color panelAlt: dark ? "#2c3139" : "#f6f7f9"
    readonly property color button: dark ? "#323842" : "#f4f5f7"
    readonly property color border: dark ? "#3b424c" : "#d6dae0"
    readonly property color text: dark ? "#e4e7eb" : "#1d2127"
    readonly property color subtleText: dark ? "#98a0ab" : "#5b636e"
    readonly property color accent: dark ? "#5b95f9" : "#2f6fe4"
    readonly property color selection: "#ffaa00"
    readonly property color selectionRow: dark ? "#4a3b17" : "#fff1d0"
    readonly property color good: "#2e9e5b"
    readonly property color warning: "#d08a00"
    readonly property color bad: "#d64545"
    readonly property color barFill: dark ? "#5b95f9" : "#7ba6f2"
    readonly property color barTrack: dark ? "#333a44" : "#e7eaef"

    readonly property color fieldFloor: dark ? "#2a2f37" : "#f7f8fa"
    readonly property color fieldGrid: dark ? "#343a43" : "#e4e7ec"
    readonly property color fieldWall: dark ? "#77808c" : "#8f97a3"
    readonly property color fieldBeacon: "#3478f6"
    readonly property color fieldHover: dark ? "#ffffff" : "#1d2127"
    readonly property color fieldUnknown: dark ? "#8c96a3" : "#6f7a89"
    readonly property color fieldStale: dark ? "#4a505a" : "#c5c9cf"
    readonly property color fieldFlash: dark ? "#ffffff" : "#ffcf33"
    // Simulator overlay: true-position hexagons (outline, unlit LED) and estimate links.
    readonly property color swarmOutline: dark ? "#e4e7eb" : "#2a2f37"
    readonly property color swarmLedOff: dark ? "#3a3f47" : "#4a505a"
    readonly property color swarmLink: dark ? "#80a0a8b4" : "#80505a66"

    readonly property var accelColors: ["#e0533d", "#2e9e5b", "#3478f6"]
    readonly property var beaconColors: ["#8e5bd9", "#d08a00", "#17a2b8", "#d6457d"]

    readonly property int spacing: 8
    readonly property int smallSpacing: 4
    readonly property int largeSpacing: 16
    readonly property int radius: 6
    readonly property int fontSize: 13
    readonly property int smallFontSize: 11
    readonly property int titleFontSize: 16
    readonly property int navigationWidth: 150
    readonly property int sidePanelWidth: 370
    readonly property string monoFont: "monospace"
    readonly property string uiFont: "sans-serif" // plain Text items; Controls use the style font

    function stateColor(state) {
        // RelayClient.State: Disconnected, Connecting, Connected, Subscribed, Reconnecting, Failed
        switch (state) {
        case 3: return good
        case 1:
        case 2:
        case 4: return warning
        case 5: return bad
        default: return subtleText
        }
    }
}
