import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Window
import GroupLoop.Console
import GroupLoop.Ui

// The console window: views on the left, the current view in the middle, commands on the
// right. To add a view, add an entry to `views` (its shortcut comes with it) and a child at the
// same position in the StackLayout.
ApplicationWindow {
    id: window

    property string currentView: "field"
    property bool commandsShown: true
    readonly property var views: [
        { key: "field", title: qsTr("Field"), hint: qsTr("The room from above"), shortcut: "Ctrl+1" },
        { key: "devices", title: qsTr("Devices"), hint: qsTr("All devices as a table"), shortcut: "Ctrl+2" },
        { key: "detail", title: qsTr("Detail"), hint: qsTr("One device: live plots, raw frame, commands"), shortcut: "Ctrl+3" },
        { key: "log", title: qsTr("Log"), hint: qsTr("Connection events, replies and errors"), shortcut: "Ctrl+4" },
        { key: "simulator", title: qsTr("Simulator"), hint: qsTr("Spawn a swarm of virtual devices"), shortcut: "Ctrl+5" },
        { key: "emulator", title: qsTr("Emulator"), hint: qsTr("One virtual device you handle by hand"), shortcut: "Ctrl+6" },
        { key: "sessions", title: qsTr("Record & replay"), hint: qsTr("Record a session to a file, replay one as if live, export CSV"), shortcut: "Ctrl+7" },
        { key: "firmware", title: qsTr("Firmware"), hint: qsTr("Roll firmware out to devices in batches and watch each one"), shortcut: "Ctrl+8" },
        { key: "outputs", title: qsTr("Outputs"), hint: qsTr("OSC and MIDI to sound and visual tools, OSC in for show control"), shortcut: "Ctrl+9" }
    ]

    function showView(key) {
        for (let i = 0; i < views.length; ++i) {
            if (views[i].key === key) {
                currentView = key
                return true
            }
        }
        return false
    }

    function viewIndex(key) {
        for (let i = 0; i < views.length; ++i)
            if (views[i].key === key)
                return i
        return 0
    }

    function textInputHasFocus() {
        const item = window.activeFocusItem
        return item !== null && typeof item.selectAll === "function"
    }

    objectName: "mainWindow"
    // Wanted sizes: Component.onCompleted fits them (and a remembered geometry) to the screen.
    width: 1440
    height: 900
    minimumWidth: 1000
    minimumHeight: 600
    visible: true
    title: qsTr("GroupLoop console")
    color: Theme.window

    palette.window: Theme.window
    palette.active.windowText: Theme.text
    palette.inactive.windowText: Theme.text
    palette.base: Theme.panel
    palette.alternateBase: Theme.panelAlt
    palette.active.text: Theme.text
    palette.inactive.text: Theme.text
    palette.button: Theme.button
    palette.active.buttonText: Theme.text
    palette.inactive.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.textOnColor
    palette.placeholderText: Theme.subtleText
    palette.toolTipBase: Theme.panel
    palette.toolTipText: Theme.text
    palette.light: Theme.panel
    palette.midlight: Theme.panelAlt
    palette.mid: Theme.border
    palette.dark: Theme.border
    palette.shadow: Theme.border
    // Text roles are set per group (a plain palette.x sets every group): disabled controls must look it.
    palette.disabled.buttonText: Theme.subtleText
    palette.disabled.windowText: Theme.subtleText
    palette.disabled.text: Theme.subtleText

    header: ColumnLayout {
        spacing: 0
        ConnectionBar {
            objectName: "connectionBar"
            Layout.fillWidth: true
            relay: Console.relay
            relayNote: Console.relayNote
            commandsShown: window.commandsShown
            tokenStore: Console.tokens
            onToggleTheme: Theme.dark = !Theme.dark
            onToggleCommands: window.commandsShown = !window.commandsShown
        }
        RelayNotice {
            objectName: "relayNotice"
            Layout.fillWidth: true
            notice: Console.builtInRelay.notice
            canStartOwn: Console.builtInRelay.canStartOwn
            onStartOwn: Console.builtInRelay.startOnOtherPort()
            onDismissed: Console.builtInRelay.dismiss()
        }
    }

    footer: ToolBar {
        background: Rectangle {
            color: Theme.panel
            Divider { edge: Qt.TopEdge }
        }

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacing
            anchors.rightMargin: Theme.spacing
            spacing: Theme.largeSpacing

            Label {
                objectName: "statusDevices"
                color: Theme.text
                text: Console.store.count === 1 ? qsTr("1 device") : qsTr("%1 devices").arg(Console.store.count)
            }
            Label {
                color: Theme.subtleText
                text: qsTr("%1 selected").arg(Console.store.selectedCount)
            }
            Label {
                objectName: "statusRate"
                color: Theme.subtleText
                text: qsTr("%1 frames/s").arg(Math.round(Console.store.framesPerSecond))
            }
            Label {
                objectName: "statusRecording"
                visible: Console.recorder.recording
                color: Theme.stateError
                text: qsTr("● Recording %1").arg(Console.recorder.statusText)
            }
            Label {
                objectName: "statusReplay"
                visible: Console.player.loaded
                color: Theme.accent
                text: (Console.player.playing ? qsTr("▶ Replaying %1") : qsTr("❚❚ Replay paused: %1")).arg(Console.player.fileName)
            }
            Item { Layout.fillWidth: true }
            ToolButton {
                objectName: "joinButton"
                text: qsTr("Join with a phone…")
                onClicked: joinDialog.open()
                Hint { text: qsTr("The address and QR code phones open to join as devices (Ctrl+J)") }
            }
            Label {
                color: Theme.subtleText
                text: qsTr("GroupLoop console %1").arg(Console.version)
                font.pixelSize: Theme.smallFontSize
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        NavigationList {
            objectName: "navigation"
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.navigationWidth
            views: window.views
            currentKey: window.currentView
            onActivated: key => window.showView(key)
        }

        StackLayout {
            objectName: "views"
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: window.viewIndex(window.currentView)

            FieldView {
                objectName: "fieldView"
                store: Console.store
                swarm: Console.swarm
                onOpenDetail: id => {
                    Console.store.currentId = id
                    window.showView("detail")
                }
            }
            DeviceTableView {
                id: devicesView
                objectName: "devicesView"
                store: Console.store
                onOpenDetail: id => {
                    Console.store.currentId = id
                    window.showView("detail")
                }
            }
            DeviceDetailView {
                objectName: "detailView"
                store: Console.store
                commands: Console.commands
            }
            LogView {
                objectName: "logView"
                log: Console.log
            }
            SimulatorPanel {
                objectName: "simulatorView"
                swarm: Console.swarm
                store: Console.store
            }
            EmulatorPanel {
                objectName: "emulatorView"
                emulator: Console.emulator
            }
            SessionsView {
                id: sessionsView
                objectName: "sessionsView"
                recorder: Console.recorder
                player: Console.player
                store: Console.store
                onOpenDetail: id => {
                    Console.store.currentId = id
                    window.showView("detail")
                }
            }
            FirmwareView {
                objectName: "firmwareView"
                firmware: Console.firmware
                store: Console.store
            }
            OutputsView {
                objectName: "outputsView"
                outputs: Console.outputs
            }
        }

        CommandPanel {
            objectName: "commandPanel"
            visible: window.commandsShown
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.sidePanelWidth
            commands: Console.commands
            store: Console.store
            registry: Console.registry
        }
    }

    JoinDialog {
        id: joinDialog
        objectName: "joinDialog"
        anchors.centerIn: parent
        relayUrl: Console.relay.url
        settings: Console.settings
        webRoot: Console.webRoot
    }

    Instantiator {
        model: window.views

        delegate: Shortcut {
            required property var modelData

            sequence: modelData.shortcut
            onActivated: window.showView(modelData.key)
        }
    }
    Shortcut {
        sequence: "Ctrl+R"
        onActivated: Console.recorder.recording ? Console.recorder.stop() : Console.recorder.start()
    }
    Shortcut {
        sequence: StandardKey.SelectAll
        enabled: !window.textInputHasFocus()
        onActivated: Console.store.selectAll()
    }
    Shortcut {
        sequence: "Esc"
        enabled: !window.textInputHasFocus()
        onActivated: Console.store.clearSelection()
    }
    Shortcut {
        sequence: StandardKey.Open
        onActivated: {
            window.showView("sessions")
            sessionsView.openSession()
        }
    }
    Shortcut {
        sequence: "Ctrl+E"
        enabled: Console.player.loaded
        onActivated: {
            window.showView("sessions")
            sessionsView.exportCsv()
        }
    }
    Shortcut {
        sequence: "Ctrl+D"
        onActivated: Theme.dark = !Theme.dark
    }
    Timer {
        id: placement
        property bool hasPosition: false
        interval: 300
        onTriggered: Console.fitWindow(window, true)
    }
    Shortcut {
        sequence: "Ctrl+K"
        onActivated: window.commandsShown = !window.commandsShown
    }
    Shortcut {
        sequence: "Ctrl+J"
        onActivated: joinDialog.open()
    }
    Shortcut {
        sequence: "F5"
        onActivated: Console.relay.reconnectNow()
    }

    onClosing: {
        const s = Console.settings
        s.setValue("window/visibility", window.visibility === Window.Maximized ? "maximized" : "normal")
        if (window.visibility !== Window.Maximized) {
            s.setValue("window/x", window.x)
            s.setValue("window/y", window.y)
            s.setValue("window/width", window.width)
            s.setValue("window/height", window.height)
        }
        s.setValue("ui/view", window.currentView)
        s.setValue("ui/commandsShown", window.commandsShown)
        s.setValue("ui/dark", Theme.dark)
        s.sync()
    }

    Component.onCompleted: {
        const s = Console.settings
        // Default and remembered sizes are clamped to the screen, and a position left on a
        // screen that is gone comes back onto this one; again once the window has its frame.
        width = Number(s.value("window/width", width))
        height = Number(s.value("window/height", height))
        placement.hasPosition = s.value("window/x", undefined) !== undefined
        if (placement.hasPosition) {
            x = Number(s.value("window/x"))
            y = Number(s.value("window/y"))
        }
        Console.fitWindow(window, placement.hasPosition)
        placement.start()
        commandsShown = String(s.value("ui/commandsShown", true)) === "true"
        if (s.value("window/visibility", "normal") === "maximized")
            window.showMaximized()
        Theme.dark = Console.themeOverride.length > 0 ? Console.themeOverride === "dark"
                                                      : String(s.value("ui/dark", false)) === "true"
        if (!showView(Console.initialView))
            showView(String(s.value("ui/view", "field")))
    }
}
