pragma Singleton
import QtQuick
import GroupLoop.Console

// One place for the console's colours and sizes, light and dark. Views take every colour by
// what it means (a state, the selection, the field's floor) and every width from here.
QtObject {
    property bool dark: false

    readonly property color window: dark ? "#1c1f24" : "#eef0f3"
    readonly property color panel: dark ? "#252930" : "#ffffff"
    readonly property color panelAlt: dark ? "#2c3139" : "#f6f7f9"
    readonly property color button: dark ? "#323842" : "#f4f5f7"
    readonly property color border: dark ? "#3b424c" : "#d6dae0"
    readonly property color text: dark ? "#e4e7eb" : "#1d2127"
    readonly property color subtleText: dark ? "#98a0ab" : "#5b636e"
    readonly property color textOnColor: "#ffffff" // on the accent and on state badges
    readonly property color accent: dark ? "#5b95f9" : "#2f6fe4"
    readonly property color selection: "#ffaa00"
    readonly property color selectionFill: Qt.rgba(selection.r, selection.g, selection.b, 0.15)
    readonly property color selectionRow: dark ? "#4a3b17" : "#fff1d0"
    readonly property color barFill: dark ? "#5b95f9" : "#7ba6f2"
    readonly property color barTrack: dark ? "#333a44" : "#e7eaef"

    // States: connected, sent, delivered (ok); connecting, retrying, partly done (warning);
    // failed, refused, recording (error); off, not started (idle); a device gone quiet (stale).
    readonly property color stateOk: "#2e9e5b"
    readonly property color stateWarning: "#d08a00"
    readonly property color stateError: "#d64545"
    readonly property color stateIdle: subtleText
    readonly property color stateStale: subtleText

    readonly property color fieldFloor: dark ? "#2a2f37" : "#f7f8fa"
    readonly property color fieldGrid: dark ? "#343a43" : "#e4e7ec"
    readonly property color fieldWall: dark ? "#77808c" : "#8f97a3"
    readonly property color fieldBeacon: "#3478f6"
    readonly property color fieldHover: dark ? "#ffffff" : "#1d2127"
    readonly property color fieldUnknown: dark ? "#8c96a3" : "#6f7a89"
    // Devices the console replays itself (a diamond in the field, a "replay" tag elsewhere).
    readonly property color replay: dark ? "#b68ef0" : "#8a4fd6"
    readonly property color fieldStale: dark ? "#4a505a" : "#c5c9cf"
    readonly property color fieldFlash: dark ? "#ffffff" : "#ffcf33"
    readonly property color fieldSelectionOutline: dark ? "#0d0f12" : "#1d2127"
    readonly property color fieldLabelBacking: Qt.rgba(fieldFloor.r, fieldFloor.g, fieldFloor.b, 0.65)
    // Simulator overlay: true-position hexagons (outline, unlit LED) and estimate links.
    readonly property color swarmOutline: dark ? "#e4e7eb" : "#2a2f37"
    readonly property color swarmLedOff: dark ? "#3a3f47" : "#4a505a"
    readonly property color swarmLink: dark ? "#80a0a8b4" : "#80505a66"
    // A device's LED ring as the emulator draws it.
    readonly property color ledRingBody: dark ? "#15181c" : "#2a2e35"
    readonly property color ledOff: "#3a3f47"
    readonly property color ledOutline: "#111111"
    readonly property color textOnLed: "#000000" // an LED's number on a lit LED

    readonly property var accelColors: ["#e0533d", "#2e9e5b", "#3478f6"]
    readonly property var beaconColors: ["#8e5bd9", "#d08a00", "#17a2b8", "#d6457d"]

    readonly property int spacing: 8
    readonly property int smallSpacing: 4
    readonly property int largeSpacing: 16
    readonly property int radius: 6
    readonly property int smallRadius: 4
    readonly property int fontSize: 13
    readonly property int smallFontSize: 11
    readonly property int titleFontSize: 16
    readonly property string monoFont: "monospace"
    readonly property string uiFont: "sans-serif" // plain Text items; Controls use the style font
    readonly property int hintDelay: 600 // ms before a tool tip shows

    // Widths: panels and columns.
    readonly property int navigationWidth: 150
    readonly property int sidePanelWidth: 370 // the command panel
    readonly property int settingsPanelWidth: 350 // the simulator's settings
    readonly property int deviceColumnWidth: 330 // the emulator's ring, frame and commands
    readonly property int sessionsColumnWidth: 460 // the record and replay cards
    readonly property int dialogWidth: 440
    readonly property int joinDialogWidth: 520
    readonly property int qrCodeSize: 264 // 33 modules of 8 px (a /phone URL) with the quiet zone
    readonly property int labelWidth: 130 // the name in a settings row
    readonly property int valueWidth: 74 // a value with its unit in a settings row
    readonly property int numberWidth: 36 // a short number beside a slider
    readonly property int shortNumberWidth: 28 // up to three digits beside a slider
    // Widths: fields and buttons.
    readonly property int urlFieldWidth: 220
    readonly property int tokenFieldWidth: 110
    readonly property int filterFieldWidth: 220
    readonly property int logFilterWidth: 240
    readonly property int choiceWidth: 190 // a combo box with a phrase in it
    readonly property int deviceChooserWidth: 140
    readonly property int speedChooserWidth: 100
    readonly property int idFieldWidth: 80 // four hex digits
    readonly property int colourFieldWidth: 90 // six hex digits
    readonly property int wideButtonWidth: 150
    readonly property int buttonWidth: 80
    readonly property int statusTextMaxWidth: 360
    readonly property int noteTextMaxWidth: 330
    readonly property int tiltCubeWidth: 240
    readonly property int logLevelWidth: 44
    readonly property int logSourceWidth: 80
    readonly property int plotAxisWidth: 44
    // Heights and small sizes.
    readonly property int rowHeight: 28 // a table row
    readonly property int headerHeight: 30 // a table header
    readonly property int plotHeight: 190
    readonly property int resultsHeight: 170 // the command results list
    readonly property int historyHeight: 120 // the detail view's sent commands
    readonly property int attitudeHeight: 200 // the emulator's tilt box and values
    readonly property int ringViewSize: 170 // the emulator's LED ring
    readonly property int dotSize: 10
    readonly property int smallDotSize: 8
    readonly property int ledDotSize: 16
    readonly property int swatchSize: 26
    readonly property int barHeight: 4 // a table cell's inline bar

    // RelayClient.state as a colour.
    function stateColor(state) {
        switch (state) {
        case RelayClient.Subscribed: return stateOk
        case RelayClient.Connecting:
        case RelayClient.Connected:
        case RelayClient.Reconnecting: return stateWarning
        case RelayClient.Failed:
        case RelayClient.TokenNeeded:
        case RelayClient.TrustNeeded: return stateError
        default: return stateIdle
        }
    }

    // LogModel.Level as a colour.
    function levelColor(level) {
        switch (level) {
        case LogModel.Error: return stateError
        case LogModel.Warning: return stateWarning
        default: return stateOk
        }
    }
}
