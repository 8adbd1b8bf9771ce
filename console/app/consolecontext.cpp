#include "consolecontext.h"

#include "appsettings.h"
#include "builtinrelay.h"
#include "commandcontroller.h"
#include "devicestore.h"
#include "emulatorcontroller.h"
#include "firmwarecontroller.h"
#include "logmodel.h"
#include "outputscontroller.h"
#include "registrymodel.h"
#include "relayclient.h"
#include "sessionplayer.h"
#include "sessionrecorder.h"
#include "swarmcontroller.h"
#include "tokenstore.h"

#include "windowplacement.h"

#include <QFileInfo>
#include <QGuiApplication>
#include <QScreen>
#include <QSslCertificate>
#include <QStandardPaths>
#include <QWindow>

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
    , m_tokens(new TokenStore((settingsFile.isEmpty()
                                   ? QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
                                   : QFileInfo(settingsFile).absolutePath())
                                  + QStringLiteral("/tokens"),
                              QStringLiteral("grouploop-console"), this))
    , m_firmware(new FirmwareController(m_relay, this))
    , m_outputs(new OutputsController(m_store, m_commands, m_registry, m_settings, this))
    , m_builtInRelay(new BuiltInRelay(m_relay, this))
{
    m_store->setAutoRefresh(true);
    connect(m_relay, &RelayClient::logEvent, m_log, &LogModel::append);
    connect(m_commands, &CommandController::logEvent, m_log, &LogModel::append);
    connect(m_swarm, &SwarmController::logEvent, m_log, &LogModel::append);
    connect(m_emulator, &EmulatorController::logEvent, m_log, &LogModel::append);
    connect(m_recorder, &SessionRecorder::logEvent, m_log, &LogModel::append);
    connect(m_player, &SessionPlayer::logEvent, m_log, &LogModel::append);
    connect(m_builtInRelay, &BuiltInRelay::logEvent, m_log, &LogModel::append);
    // The user chose our own relay over the one already on the port: it serves the web root,
    // and a swarm streaming to the old relay (--demo) follows the console to the new one.
    connect(m_builtInRelay, &BuiltInRelay::moved, this,
            [this](const QUrl &from, const QUrl &to, const QString &message) {
                setRelayNote(message);
                setWebRoot(m_builtInRelay->webRoot());
                if (m_swarm->isRunning() && QUrl(m_swarm->targetUrl()) == from) {
                    m_swarm->setUrl(to.toString());
                    m_swarm->start();
                }
            });
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

void ConsoleContext::setWebRoot(const QString &dir)
{
    if (dir == m_webRoot)
        return;
    m_webRoot = dir;
    Q_EMIT webRootChanged();
}

void ConsoleContext::fitWindow(QWindow *window, bool hasPosition) const
{
    if (!window || window->visibility() == QWindow::Maximized || window->visibility() == QWindow::FullScreen)
        return;
    QList<QRect> screens;
    if (QScreen *primary = QGuiApplication::primaryScreen())
        screens << primary->availableGeometry();
    for (QScreen *screen : QGuiApplication::screens()) {
        if (screen != QGuiApplication::primaryScreen())
            screens << screen->availableGeometry();
    }
    const QMargins frame = window->frameMargins();
    const QRect wanted = window->geometry().marginsAdded(frame);
    const QSize minimum = window->minimumSize().grownBy(frame);
    const QRect placed = WindowPlacement::fit(
        wanted, hasPosition, WindowPlacement::screenFor(wanted, hasPosition, screens), minimum);
    const QRect client = placed.marginsRemoved(frame);
    if (client != window->geometry())
        window->setGeometry(client);
}

void ConsoleContext::applySecurity(const QString &token, const QString &caFile, const QUrl &url)
{
    connect(m_relay, &RelayClient::tokenAccepted, m_tokens, &TokenStore::save);
    if (!caFile.isEmpty())
        m_relay->setCaCertificates(QSslCertificate::fromPath(caFile, QSsl::Pem));
    // Pinned certificates: "host:port" -> SHA-256 hex, saved whenever the user trusts one.
    QHash<QString, QByteArray> pins;
    const QVariantMap saved = m_settings->value(QStringLiteral("tls/pinned")).toMap();
    for (auto it = saved.constBegin(); it != saved.constEnd(); ++it)
        pins.insert(it.key(), it.value().toByteArray());
    m_relay->setPinnedCertificates(pins);
    connect(m_relay, &RelayClient::pinnedCertificatesChanged, this, [this] {
        QVariantMap map;
        const QHash<QString, QByteArray> pins = m_relay->pinnedCertificates();
        for (auto it = pins.constBegin(); it != pins.constEnd(); ++it)
            map.insert(it.key(), it.value());
        m_settings->setValue(QStringLiteral("tls/pinned"), map);
        m_settings->sync();
    });
    if (!token.isEmpty()) {
        m_relay->setToken(token);
        return;
    }
    // A remembered token arrives asynchronously; if the relay refused the connection meanwhile,
    // setToken() tries again at once.
    connect(m_tokens, &TokenStore::found, m_relay, [this](const QString &hostKey, const QString &found) {
        if (!m_relay->hasToken() && hostKey == m_relay->hostKey())
            m_relay->setToken(found);
    });
    m_tokens->load(RelayClient::hostKeyFor(url));
}

QString ConsoleContext::version() const
{
    return QStringLiteral(GROUPLOOP_VERSION);
}

} // namespace GroupLoop
