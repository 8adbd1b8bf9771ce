#include "relayserver.h"

#include "relaylogging.h"
#include "relayserver_p.h"
#include "sensorframe.h"
#include "sessionwriter.h"
#include "tlscontext.h"
#include "webrootroutes.h"
#include "websocketconnection.h"
#include "websocketrfc.h"

#include <QCoreApplication>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>
#include <QThread>

#ifdef GROUPLOOP_HAVE_EPOLL
#include "epolleventdispatcher.h"
#endif

namespace GroupLoop {

RelayServerPrivate::RelayServerPrivate(RelayServer *q, RelayConfig config)
    : q(q)
    , config(std::move(config))
    , m_access(this->config.access, this->config.allowOta)
    , m_sideDoor(
          {this->config.maxRequestHeadBytes, this->config.handshakeTimeoutMs, this->config.maxConnections},
          this, q)
    , m_fanOut({this->config.batchMs, this->config.fanoutMs, this->config.oneFramePerMessage,
                this->config.outboxHighWaterBytes, this->config.busyPerSecond},
               this)
{
    installRoutes();
    m_clock.start();
    m_startedAt = QDateTime::currentDateTimeUtc();
    m_housekeepingTimer.setInterval(HousekeepingIntervalMs);
    QObject::connect(&m_housekeepingTimer, &QTimer::timeout, q, [this] { housekeeping(); });
}

RelayServerPrivate::~RelayServerPrivate()
{
    delete m_ota; // before the clients: a download that ends now must not reach this relay
    m_ota = nullptr;
    qDeleteAll(m_clients);
}

QTcpServer *RelayServerPrivate::openServer(bool tls, quint16 port, QString *error)
{
    // TLS is served on a plain listening socket: each connection gets a TlsSession of its own
    // (HttpConnection, then WebSocketConnection), on the same path as plain ws://.
    auto *server = new QTcpServer(q);
    server->setListenBacklogSize(1024);
    server->setMaxPendingConnections(1024);
    if (!server->listen(config.host, port)) {
        if (error) {
            *error = QStringLiteral("cannot listen on %1:%2: %3")
                         .arg(config.host.toString())
                         .arg(port)
                         .arg(server->errorString());
        }
        delete server;
        return nullptr;
    }
    const std::shared_ptr<TlsContext> context = tls ? m_tlsContext : nullptr;
    QObject::connect(server, &QTcpServer::newConnection, q, [this, server, context] {
        while (QTcpSocket *socket = server->nextPendingConnection())
            m_sideDoor.accept(socket, context);
    });
    return server;
}

bool RelayServerPrivate::listen(QString *error)
{
    if (config.tlsEnabled && !startTls(error))
        return false;
    if (!config.webRoot.dir.isEmpty() && !openWebRoot(error))
        return false;
    const bool tlsOnMainPort = config.tlsEnabled && config.tlsPort < 0;
    m_tcpServer = openServer(tlsOnMainPort, config.port, error);
    if (!m_tcpServer)
        return false;
    if (config.tlsEnabled && !tlsOnMainPort) {
        m_tlsServer = openServer(true, quint16(config.tlsPort), error);
        if (!m_tlsServer) {
            delete m_tcpServer;
            m_tcpServer = nullptr;
            return false;
        }
    }
    if (!config.recordPath.isEmpty() && !startRecording(error)) {
        delete m_tlsServer;
        m_tlsServer = nullptr;
        delete m_tcpServer;
        m_tcpServer = nullptr;
        return false;
    }
    m_housekeepingTimer.start();
#ifdef GROUPLOOP_HAVE_EPOLL
    if (EpollEventDispatcher *epoll = EpollEventDispatcher::of(q->thread())) {
        epoll->setCoalescingInterval(config.coalesceUs);
        epoll->setBusyThreshold(config.busyPerSecond);
    }
#endif
    const QString scheme = tlsOnMainPort ? QStringLiteral("wss") : QStringLiteral("ws");
    QString where = QStringLiteral("%1:%2 (%3)")
                        .arg(m_tcpServer->serverAddress().toString())
                        .arg(m_tcpServer->serverPort())
                        .arg(scheme);
    if (m_tlsServer)
        where += QStringLiteral(" and %1 (wss)").arg(m_tlsServer->serverPort());
    qCInfo(lcRelay).noquote()
        << QStringLiteral("[START] listening on %1 with %2 commands").arg(where).arg(config.registry.size());
    m_access.warnIfOpenToTheNetwork(config.host, m_tcpServer->serverPort());
    startCluster();
    return true;
}

bool RelayServerPrivate::startTls(QString *error)
{
    QByteArray chain;
    for (const QSslCertificate &certificate : config.tls.localCertificateChain())
        chain += certificate.toPem();
    QString why;
    m_tlsContext = TlsContext::server(chain, config.tls.privateKey().toPem(), &why);
    if (!m_tlsContext) {
        if (error)
            *error = QStringLiteral("TLS: ") + why;
        return false;
    }
    // OpenSSL keeps state per thread (its random generators) and frees it only when the
    // thread ends, after QThread::wait() has returned: free it as a relay thread finishes.
    if (QCoreApplication::instance() && q->thread() != QCoreApplication::instance()->thread()) {
        QThread *thread = q->thread();
        QObject::connect(
            thread, &QThread::finished, thread, [] { TlsContext::releaseThreadState(); },
            Qt::DirectConnection);
    }
    return true;
}

bool RelayServerPrivate::openWebRoot(QString *error)
{
    auto webRoot = std::make_shared<WebRoot>();
    QString why;
    if (!webRoot->open(config.webRoot, &why)) {
        if (error)
            *error = why;
        return false;
    }
    const QString commandsFile = webRoot->commandsFile();
    if (!commandsFile.isEmpty()) {
        const std::optional<CommandRegistry> extra = CommandRegistry::fromFile(commandsFile, &why);
        if (!extra) {
            if (error)
                *error = QStringLiteral("--web-root: ") + why;
            return false;
        }
        config.registry.merge(*extra);
    }
    installWebRootRoutes(m_sideDoor.router(), std::move(webRoot));
    m_sideDoor.router().setNotFoundMessage(
        "not found; this relay serves WebSocket on any path and GET /, /apps/<name>/, /static/<path>, "
        "/js/<file>, "
        "/config.js, /api/apps, /health, /metrics, /devices, /commands.json, /phone");
    return true;
}

void RelayServerPrivate::localFrameAdded(const char *record)
{
    if (m_backplane)
        m_backplane->addLocalFrame(record);
}

void RelayServerPrivate::aboutToDeliver(QByteArrayView batch)
{
    if (m_recorder) // once per flush, not per subscriber: a memcpy into the second's buffer
        m_recorder->appendFrameBatch(m_recorder->elapsedMs(), batch);
    if (m_backplane)
        m_backplane->flushFrames(); // one PUBLISH of this flush's local frames
}

bool RelayServerPrivate::startRecording(QString *error)
{
    auto recorder = std::make_unique<SessionWriter>();
    recorder->setRotation(config.recordRotateBytes, config.recordRotateMs);
    recorder->setDeviceCounter([this] { return int(m_routes.size()); });
    SessionHeader header;
    const QHostAddress address = m_tcpServer->serverAddress();
    const QString host = address == QHostAddress::Any || address == QHostAddress::AnyIPv4
        ? QStringLiteral("0.0.0.0")
        : address.toString();
    const bool tlsOnMainPort = config.tlsEnabled && config.tlsPort < 0;
    header.relay = QStringLiteral("%1://%2:%3")
                       .arg(tlsOnMainPort ? QStringLiteral("wss") : QStringLiteral("ws"), host)
                       .arg(m_tcpServer->serverPort());
    header.devices = int(m_routes.size());
    header.source = QStringLiteral("grouploop-relay " GROUPLOOP_VERSION);
    QString why;
    if (!recorder->open(config.recordPath, header, &why)) {
        if (error)
            *error = QStringLiteral("--record: ") + why;
        return false;
    }
    QObject::connect(recorder.get(), &SessionWriter::rotated, q, [](const QString &path) {
        qCInfo(lcRelay).noquote() << QStringLiteral("[RECORD] continuing in %1").arg(path);
    });
    QObject::connect(recorder.get(), &SessionWriter::failed, q, [](const QString &why) {
        qCWarning(lcRelay).noquote() << QStringLiteral("[RECORD] %1").arg(why);
    });
    qCInfo(lcRelay).noquote() << QStringLiteral("[RECORD] recording to %1").arg(config.recordPath);
    m_recorder = std::move(recorder);
    return true;
}

void RelayServerPrivate::shutdown()
{
    if (m_tcpServer)
        m_tcpServer->close();
    if (m_tlsServer)
        m_tlsServer->close();
    m_housekeepingTimer.stop();
    m_fanOut.flush();
    if (m_recorder)
        m_recorder->flush();
    const QList<Client *> clients = m_clients.values(); // closing may remove clients from m_clients
    for (Client *client : clients) {
        if (m_clients.contains(client->socket))
            closeClient(client, WebSocketRfc::CloseGoingAway, QStringLiteral("relay shutting down"));
    }
    m_sideDoor.abortAll();
}

// --- public API ---

void RelayServer::preferScalableEventDispatcher()
{
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
}

RelayServer::RelayServer(RelayConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<RelayServerPrivate>(this, std::move(config)))
{
}

RelayServer::~RelayServer() = default;

bool RelayServer::listen(QString *error)
{
    if (d->m_tcpServer) {
        if (error)
            *error = QStringLiteral("relay is already listening");
        return false;
    }
    return d->listen(error);
}

bool RelayServer::isListening() const
{
    return d->m_tcpServer && d->m_tcpServer->isListening();
}
quint16 RelayServer::serverPort() const
{
    return d->m_tcpServer ? d->m_tcpServer->serverPort() : 0;
}
quint16 RelayServer::tlsServerPort() const
{
    if (d->m_tlsServer)
        return d->m_tlsServer->serverPort();
    return d->config.tlsEnabled ? serverPort() : 0;
}
QHostAddress RelayServer::serverAddress() const
{
    return d->m_tcpServer ? d->m_tcpServer->serverAddress() : QHostAddress();
}
void RelayServer::shutdown()
{
    d->shutdown();
}
const RelayConfig &RelayServer::config() const
{
    return d->config;
}
const CommandRegistry &RelayServer::registry() const
{
    return d->config.registry;
}

void RelayServer::setRegistry(const CommandRegistry &registry)
{
    d->config.registry = registry;
    qCInfo(lcRelayCommands).noquote() << QStringLiteral("[COMMANDS] registry now has %1 commands: %2")
                                             .arg(registry.size())
                                             .arg(registry.names().join(QStringLiteral(", ")));
    Q_EMIT registryChanged();
}

RelayStats RelayServer::stats() const
{
    RelayStats s = d->stats;
    s.uptimeMs = d->nowMs();
    s.connections = d->connectionCount();
    s.devices = int(d->m_routes.size());
    s.subscribers = int(d->m_fanOut.subscriberCount());
    const FanOutStats &fanOut = d->m_fanOut.stats();
    s.framesOut = fanOut.framesOut;
    s.messagesOut += fanOut.messagesOut;
    s.bytesOut += fanOut.bytesOut;
    s.framesCoalesced = fanOut.framesCoalesced;
    s.outboxPeakBytes = fanOut.outboxPeakBytes;
    const SideDoorStats &sideDoor = d->m_sideDoor.stats();
    s.rejectedHandshake += sideDoor.rejectedHandshake;
    s.rejectedConnectionLimit += sideDoor.rejectedConnectionLimit;
    s.tlsHandshakeFailures = sideDoor.tlsHandshakeFailures;
    s.authFailures = d->m_access.refusals();
    return s;
}

QList<DeviceInfo> RelayServer::devices() const
{
    QList<DeviceInfo> out;
    out.reserve(d->m_routes.size());
    for (auto it = d->m_routes.cbegin(); it != d->m_routes.cend(); ++it) {
        const DeviceRoute &route = it.value();
        out.append({SensorFrame::idToText(it.key()), route.owner->label, route.owner->peer,
                    d->wallTime(route.firstSeenMs), d->wallTime(route.lastSeenMs), route.frames, route.rate});
    }
    std::sort(out.begin(), out.end(), [](const DeviceInfo &a, const DeviceInfo &b) { return a.id < b.id; });
    return out;
}

} // namespace GroupLoop
