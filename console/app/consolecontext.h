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

namespace GroupLoop {

class AppSettings;
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
    Q_PROPERTY(GroupLoop::OutputsController *outputs READ outputs CONSTANT)
    Q_PROPERTY(QString relayNote READ relayNote WRITE setRelayNote NOTIFY relayNoteChanged)
    Q_PROPERTY(QString initialView READ initialView CONSTANT)
    Q_PROPERTY(QString themeOverride READ themeOverride CONSTANT)
    Q_PROPERTY(QString version READ version CONSTANT)

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
    OutputsController *outputs() const { return m_outputs; }

    QString relayNote() const { return m_relayNote; }
    void setRelayNote(const QString &note);
    QString initialView() const { return m_initialView; }
    void setInitialView(const QString &view) { m_initialView = view; }
    QString themeOverride() const { return m_themeOverride; }
    void setThemeOverride(const QString &theme) { m_themeOverride = theme; }
    QString version() const;

Q_SIGNALS:
    void relayNoteChanged();

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
    OutputsController *m_outputs;
    QString m_relayNote;
    QString m_initialView;
    QString m_themeOverride;
};

} // namespace GroupLoop
