// ConsoleContext: the objects the console's QML works with, as the `Console` singleton.
// main() builds one and registers it with setInstance() before loading QML; the views get
// their dependencies as properties from Main.qml, so panels can be tested with fakes.
#pragma once

#include <QObject>
#include <QQmlApplicationEngine>
#include <QQmlEngine>
#include <QtQml/qqmlregistration.h>

Q_MOC_INCLUDE("appsettings.h")
Q_MOC_INCLUDE("commandcontroller.h")
Q_MOC_INCLUDE("devicestore.h")
Q_MOC_INCLUDE("logmodel.h")
Q_MOC_INCLUDE("outputscontroller.h")
Q_MOC_INCLUDE("registrymodel.h")
Q_MOC_INCLUDE("relayclient.h")
Q_MOC_INCLUDE("swarmcontroller.h")
Q_MOC_INCLUDE("emulatorcontroller.h")
Q_MOC_INCLUDE("sessionplayer.h")
Q_MOC_INCLUDE("sessionrecorder.h")
Q_MOC_INCLUDE("tokenstore.h")
Q_MOC_INCLUDE(<QWindow>)
Q_MOC_INCLUDE("firmwarecontroller.h")
Q_MOC_INCLUDE("builtinrelay.h")

namespace GroupLoop {

class AppSettings;
class BuiltInRelay;
class CommandController;
class DeviceStore;
class LogModel;
class OutputsController;
class RegistryModel;
class RelayClient;
class SwarmController;
class EmulatorController;
class SessionPlayer;
class SessionRecorder;
class FirmwareController;
class TokenStore;

} // namespace GroupLoop
QT_FORWARD_DECLARE_CLASS(QWindow)
namespace GroupLoop {

class ConsoleContext : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Console)
    QML_SINGLETON
    Q_PROPERTY(GroupLoop::DeviceStore *store READ store CONSTANT)
    Q_PROPERTY(GroupLoop::RelayClient *relay READ relay CONSTANT)
    Q_PROPERTY(GroupLoop::CommandController *commands READ commands CONSTANT)
    Q_PROPERTY(GroupLoop::RegistryModel *registry READ registry CONSTANT)
    Q_PROPERTY(GroupLoop::LogModel *log READ log CONSTANT)
    Q_PROPERTY(GroupLoop::AppSettings *settings READ settings CONSTANT)
    Q_PROPERTY(GroupLoop::SwarmController *swarm READ swarm CONSTANT)
    Q_PROPERTY(GroupLoop::EmulatorController *emulator READ emulator CONSTANT)
    Q_PROPERTY(GroupLoop::SessionRecorder *recorder READ recorder CONSTANT)
    Q_PROPERTY(GroupLoop::SessionPlayer *player READ player CONSTANT)
    Q_PROPERTY(GroupLoop::TokenStore *tokens READ tokens CONSTANT)
    Q_PROPERTY(GroupLoop::FirmwareController *firmware READ firmware CONSTANT)
    Q_PROPERTY(GroupLoop::OutputsController *outputs READ outputs CONSTANT)
    // The console's own relay, and the choice left when its port was taken (main() starts it).
    Q_PROPERTY(GroupLoop::BuiltInRelay *builtInRelay READ builtInRelay CONSTANT)
    Q_PROPERTY(QString relayNote READ relayNote WRITE setRelayNote NOTIFY relayNoteChanged)
    Q_PROPERTY(QString initialView READ initialView CONSTANT)
    Q_PROPERTY(QString themeOverride READ themeOverride CONSTANT)
    Q_PROPERTY(QString version READ version CONSTANT)
    // The folder the built-in relay serves (--web-root or the setting); empty: none.
    Q_PROPERTY(QString webRoot READ webRoot NOTIFY webRootChanged)

public:
    // Deliberately not default-constructible: Qt 6.4 would build its own singleton instead of
    // calling create().
    explicit ConsoleContext(const QString &settingsFile, QObject *parent = nullptr);
    ~ConsoleContext() override;

    static void setInstance(ConsoleContext *instance);
    static ConsoleContext *create(QQmlEngine *, QJSEngine *);

    // The console window (GroupLoop.Ui's app/Main.qml), the one place that names it: main(),
    // the UI smoke test, the benchmarks and the screenshot tools all load it through here.
    // Adds the static modules' qrc import path first. False if the window failed to load.
    static bool loadMainWindow(QQmlApplicationEngine &engine);

    DeviceStore *store() const { return m_store; }
    RelayClient *relay() const { return m_relay; }
    CommandController *commands() const { return m_commands; }
    RegistryModel *registry() const { return m_registry; }
    LogModel *log() const { return m_log; }
    AppSettings *settings() const { return m_settings; }
    SwarmController *swarm() const { return m_swarm; }
    EmulatorController *emulator() const { return m_emulator; }
    SessionRecorder *recorder() const { return m_recorder; }
    SessionPlayer *player() const { return m_player; }
    TokenStore *tokens() const { return m_tokens; }
    FirmwareController *firmware() const { return m_firmware; }
    OutputsController *outputs() const { return m_outputs; }
    BuiltInRelay *builtInRelay() const { return m_builtInRelay; }

    QString relayNote() const { return m_relayNote; }
    void setRelayNote(const QString &note);
    QString initialView() const { return m_initialView; }
    void setInitialView(const QString &view) { m_initialView = view; }
    QString themeOverride() const { return m_themeOverride; }
    void setThemeOverride(const QString &theme) { m_themeOverride = theme; }
    QString version() const;
    // Moves and sizes `window`, frame included, into the available area of the screen it is
    // (mostly) on, or of the primary screen (windowplacement.h); centred without hasPosition.
    // Called again once the window manager has framed it (the frame's size is known only then).
    Q_INVOKABLE void fitWindow(QWindow *window, bool hasPosition) const;
    // --token and --ca-file, the certificates the user trusted before (settings), and without
    // --token the token remembered for `url` (tokenstore.h). Call before connecting.
    void applySecurity(const QString &token, const QString &caFile, const QUrl &url);
    QString webRoot() const { return m_webRoot; }
    void setWebRoot(const QString &dir);

Q_SIGNALS:
    void relayNoteChanged();
    void webRootChanged();

private:
    DeviceStore *m_store;
    RelayClient *m_relay;
    RegistryModel *m_registry;
    CommandController *m_commands;
    LogModel *m_log;
    AppSettings *m_settings;
    SwarmController *m_swarm;
    EmulatorController *m_emulator;
    SessionRecorder *m_recorder;
    SessionPlayer *m_player;
    TokenStore *m_tokens;
    FirmwareController *m_firmware;
    OutputsController *m_outputs;
    BuiltInRelay *m_builtInRelay;
    QString m_relayNote;
    QString m_initialView;
    QString m_themeOverride;
    QString m_webRoot;
};

} // namespace GroupLoop
