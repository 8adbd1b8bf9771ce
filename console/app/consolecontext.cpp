#include "consolecontext.h"

#include "appsettings.h"
#include "commandcontroller.h"
#include "devicestore.h"
#include "emulatorcontroller.h"
#include "logmodel.h"
#include "outputscontroller.h"
#include "registrymodel.h"
#include "relayclient.h"
#include "sessionplayer.h"
#include "sessionrecorder.h"
#include "swarmcontroller.h"

namespace GroupLoop {

namespace {
ConsoleContext *s_instance = nullptr;
}

ConsoleContext::ConsoleContext(const QString &settingsFile, QObject *parent)
    : QObject(parent)
    , m_store(new DeviceStore(this))
    , m_relay(new RelayClient(m_store, this))
    , m_registry(new RegistryModel(this))
    , m_commands(new CommandController(m_store, m_relay, m_registry, this))
    , m_log(new LogModel(this))
    , m_settings(new AppSettings(settingsFile, this))
    , m_swarm(new SwarmController(m_relay, this))
    , m_emulator(new EmulatorController(m_relay, this))
    , m_recorder(new SessionRecorder(m_store, m_relay, m_commands, this))
    , m_player(new SessionPlayer(m_store, this))
    , m_outputs(new OutputsController(m_store, m_commands, m_registry, m_settings, this))
{
    m_store->setAutoRefresh(true);
    connect(m_relay, &RelayClient::logEvent, m_log, &LogModel::append);
    connect(m_commands, &CommandController::logEvent, m_log, &LogModel::append);
    connect(m_swarm, &SwarmController::logEvent, m_log, &LogModel::append);
    connect(m_emulator, &EmulatorController::logEvent, m_log, &LogModel::append);
    connect(m_recorder, &SessionRecorder::logEvent, m_log, &LogModel::append);
    connect(m_player, &SessionPlayer::logEvent, m_log, &LogModel::append);
    connect(m_outputs, &OutputsController::problem, this,
            [this](const QString &category, const QString &text) {
                m_log->append(LogModel::Warning, category, text);
            });
    connect(m_outputs, &OutputsController::info, this, [this](const QString &category, const QString &text) {
        m_log->append(LogModel::Info, category, text);
    });
    connect(m_relay, &RelayClient::registryChanged, this,
            [this] { m_registry->setRegistry(m_relay->registry()); });
}

ConsoleContext::~ConsoleContext()
{
    if (s_instance == this)
        s_instance = nullptr;
}

void ConsoleContext::setInstance(ConsoleContext *instance)
{
    s_instance = instance;
}

ConsoleContext *ConsoleContext::create(QQmlEngine *, QJSEngine *)
{
    Q_ASSERT_X(s_instance, "ConsoleContext::create", "main() must call ConsoleContext::setInstance() first");
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    return s_instance;
}

bool ConsoleContext::loadMainWindow(QQmlApplicationEngine &engine)
{
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/GroupLoop/Ui/app/Main.qml")));
    return !engine.rootObjects().isEmpty();
}

void ConsoleContext::setRelayNote(const QString &note)
{
    if (note == m_relayNote)
        return;
    m_relayNote = note;
    Q_EMIT relayNoteChanged();
}

QString ConsoleContext::version() const
{
    return QStringLiteral(GROUPLOOP_VERSION);
}

} // namespace GroupLoop
