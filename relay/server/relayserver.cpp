#include "relayserver.h"

#include "protocol.h"
#include "relaylogging.h"
#include "relayserver_p.h"
#include "sensorframe.h"
#include "sessionfile.h"
#include "websocketconnection.h"

#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

#ifdef GROUPLOOP_HAVE_EPOLL
#include "epolleventdispatcher.h"
#endif

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace GroupLoop {

namespace {
constexpr int HousekeepingIntervalMs = 250;
constexpr int TrimAfterDisconnects = 64; // disconnects that make a heap trim worth its cost
namespace Ws = WebSocketRfc; // close codes

void releaseFreedMemory()
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

// Serves TLS: each accepted socket starts its server handshake at once and goes through the
// same request-head reading (and handshake timeout) as a plain one; readyRead only ever
// reports decrypted bytes, so the HTTP side door and WebSocketConnection see plain text.
class TlsServer : public QTcpServer
{
public:
    TlsServer(const QSslConfiguration &tls, QObject *parent)
        : QTcpServer(parent)
        , m_tls(tls)
    {
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QSslSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        socket->setSslConfiguration(m_tls);
        socket->startServerEncryption();
        addPendingConnection(socket);
    }

private:
    QSslConfiguration m_tls;
};

QString peerOf(const WebSocketConnection *socket)
{
    const QHostAddress address = socket->peerAddress();
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol && !address.toIPv4Address()
        ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
        : QHostAddress(address.toIPv4Address()).toString();
    return host + QLatin1Char(':') + QString::number(socket->peerPort());
}
} // namespace

RelayServerPrivate::RelayServerPrivate(RelayServer *q, RelayConfig config)
    : q(q)
    , config(std::move(config))
{
    m_clock.start();
    m_startedAt = QDateTime::currentDateTimeUtc();
    m_flushTimer.setSingleShot(true);
    QObject::connect(&m_flushTimer, &QTimer::timeout, q, [this] { flushFrames(); });
    m_housekeepingTimer.setInterval(HousekeepingIntervalMs);
    QObject::connect(&m_housekeepingTimer, &QTimer::timeout, q, [this] { housekeeping(); });
}

RelayServerPrivate::~RelayServerPrivate()
{
    qDeleteAll(m_clients);
}

QTcpServer *RelayServerPrivate::openServer(bool tls, quint16 port, QString *error)
{
    QTcpServer *server = tls ? new TlsServer(config.tls, q) : new QTcpServer(q);
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
    QObject::connect(server, &QTcpServer::newConnection, q, [this, server] {
        while (QTcpSocket *socket = server->nextPendingConnection())
            onTcpConnection(socket);
    });
    return server;
}

bool RelayServerPrivate::listen(QString *error)
{
    if (config.tlsEnabled && !QSslSocket::supportsSsl()) {
        if (error)
            *error = QStringLiteral("TLS is not available: Qt found no TLS backend (%1)")
                         .arg(QSslSocket::activeBackend());
        return false;
    }
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
    if (EpollEventDispatcher *epoll = EpollEventDispatcher::of(q->thread()))
        epoll->setCoalescingInterval(config.coalesceUs);
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
    warnIfOpenToTheNetwork();
    startCluster();
    return true;
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
    flushFrames();
    if (m_recorder)
        m_recorder->flush();
    const QList<Client *> clients = m_clients.values(); // closing may remove clients from m_clients
    for (Client *client : clients) {
        if (m_clients.contains(client->socket))
            closeClient(client, Ws::CloseGoingAway, QStringLiteral("relay shutting down"));
    }
    for (auto it = m_pendingHeads.cbegin(); it != m_pendingHeads.cend(); ++it)
        it.key()->abort();
}

void RelayServerPrivate::onWebSocket(WebSocketConnection *socket, AccessRole role, const QByteArray &received)
{
    socket->setParent(q);
    if (int(m_clients.size()) >= config.maxConnections) {
        ++stats.rejectedConnectionLimit;
        qCWarning(lcRelayLimits).noquote()
            << QStringLiteral("[LIMIT] connection limit %1 reached, refusing %2")
                   .arg(config.maxConnections)
                   .arg(peerOf(socket));
        QObject::connect(socket, &WebSocketConnection::disconnected, socket, &QObject::deleteLater);
        socket->start({});
        socket->close(Ws::CloseTryAgainLater, QStringLiteral("connection limit reached"));
        return;
    }
    auto *client = new Client;
    client->socket = socket;
    client->serial = m_nextSerial++;
    client->peer = peerOf(socket);
    client->lastHeardMs = nowMs();
    client->tokens = config.maxFramesPerSecond;
    client->tokensAtMs = client->lastHeardMs;
    client->role = role;
    m_clients.insert(socket, client);

    socket->setTextHandler([this, client](QByteArrayView utf8) { onText(client, utf8); });
    QObject::connect(socket, &WebSocketConnection::binaryReceived, q, [this, client](qsizetype bytes) {
        // The protocol is text only; binary messages are ignored (but count as life).
        client->lastHeardMs = nowMs();
        stats.bytesIn += quint64(bytes);
    });
    QObject::connect(socket, &WebSocketConnection::pongReceived, q, [this, client] {
        client->lastHeardMs = nowMs();
        client->pingSentMs = -1;
    });
    QObject::connect(socket, &WebSocketConnection::bytesWritten, q, [this, client] {
        if (client->congested)
            drainCoalesced(client);
    });
    // Queued: close() may report the disconnect at once, from deep inside onText() (a bad token,
    // a frame without a device token), which then went on using the deleted client (found by ASan).
    QObject::connect(
        socket, &WebSocketConnection::disconnected, q, [this, client] { removeClient(client); },
        Qt::QueuedConnection);

    qCInfo(lcRelay).noquote() << QStringLiteral("[CONNECT] #%1 %2 (%3 connections)")
                                     .arg(client->serial)
                                     .arg(client->peer)
                                     .arg(m_clients.size());
    send(client, Protocol::greeting());
    Q_EMIT q->connectionCountChanged(int(m_clients.size()));
    socket->start(received); // may remove the client at once
}

void RelayServerPrivate::closeClient(Client *client, int code, const QString &reason)
{
    if (client->closing)
        return;
    client->closing = true;
    // May emit disconnected() at once, and removeClient() then deletes `client`. A peer that
    // neither answers nor lets the socket drain is aborted WebSocketConnection::CloseGraceMs later.
    client->socket->close(quint16(code), reason);
}

void RelayServerPrivate::removeClient(Client *client)
{
    WebSocketConnection *socket = client->socket;
    if (!m_clients.remove(socket))
        return;
    if (client->subscriber)
        m_subscribers.removeOne(client);
    int removed = 0;
    for (quint16 id : std::as_const(client->ownedIds)) {
        auto route = m_routes.find(id);
        if (route != m_routes.end() && route->owner == client) {
            m_routes.erase(route);
            ++removed;
            if (m_backplane)
                m_backplane->deviceRemoved(id);
            qCInfo(lcRelay).noquote() << QStringLiteral("[DEVICE_DISCONNECT] %1 (#%2)")
                                             .arg(SensorFrame::idToText(id))
                                             .arg(client->serial);
        }
    }
    const QString label = client->label.isEmpty() ? QString() : QStringLiteral(" label=") + client->label;
    qCInfo(lcRelay).noquote() << QStringLiteral("[DISCONNECT] #%1 %2%3 code=%4%5 (%6 connections)")
                                     .arg(client->serial)
                                     .arg(client->peer, label)
                                     .arg(int(socket->closeCode()))
                                     .arg(socket->closeReason().isEmpty() ? QString()
                                                                          : QStringLiteral(" reason=\"")
                                                  + socket->closeReason() + QLatin1Char('"'))
                                     .arg(m_clients.size());
    if (socket->closeCode() == Ws::CloseTooBig) {
        ++stats.closedOversize;
        qCWarning(lcRelayLimits).noquote() << QStringLiteral("[LIMIT] #%1 %2 sent a message over %3 bytes")
                                                  .arg(client->serial)
                                                  .arg(client->peer)
                                                  .arg(config.maxMessageBytes);
    }
    delete client;
    socket->deleteLater();
    ++m_removedSinceTrim;
    if (removed > 0)
        Q_EMIT q->deviceCountChanged(int(m_routes.size()));
    Q_EMIT q->connectionCountChanged(int(m_clients.size()));
}

void RelayServerPrivate::housekeeping()
{
    const qint64 now = nowMs();
    // Handshakes that never completed their request head: one log line per pass, not one per
    // connection, so a flood of them cannot flood the log as well.
    int timedOut = 0;
    QString lastPeer;
    for (auto it = m_pendingHeads.begin(); it != m_pendingHeads.end();) {
        if (now - it->acceptedMs > config.handshakeTimeoutMs) {
            ++stats.rejectedHandshake;
            ++timedOut;
            lastPeer = it.key()->peerAddress().toString();
            QTcpSocket *socket = it.key();
            it = m_pendingHeads.erase(it);
            socket->abort();
            socket->deleteLater();
        } else {
            ++it;
        }
    }
    if (timedOut > 0) {
        qCWarning(lcRelayLimits).noquote()
            << QStringLiteral("[LIMIT] %1 connection(s), the last from %2, sent no complete request in %3 ms")
                   .arg(timedOut)
                   .arg(lastPeer)
                   .arg(config.handshakeTimeoutMs);
    }
    // Closing may remove clients from m_clients: decide first, close after the loop.
    QList<QPair<Client *, bool>> toClose; // client, slow consumer (else ping timeout)
    for (Client *client : std::as_const(m_clients)) {
        if (client->closing)
            continue;
        if (client->pingSentMs >= 0 && now - client->pingSentMs > config.pongTimeoutMs
            && now - client->lastHeardMs > config.pongTimeoutMs) {
            ++stats.closedPingTimeout;
            qCWarning(lcRelayLimits).noquote()
                << QStringLiteral("[LIMIT] #%1 %2 silent for %3 ms after a ping")
                       .arg(client->serial)
                       .arg(client->peer)
                       .arg(now - client->lastHeardMs);
            toClose.append({client, false});
            continue;
        }
        if (client->pingSentMs < 0 && now - client->lastHeardMs >= config.pingIntervalMs) {
            client->pingSentMs = now;
            client->socket->ping();
        }
        if (client->congested && now - client->congestedSinceMs > config.slowConsumerTimeoutMs) {
            ++stats.closedSlowConsumer;
            qCWarning(lcRelayLimits).noquote()
                << QStringLiteral("[LIMIT] #%1 %2 too slow: over %3 bytes queued for %4 ms")
                       .arg(client->serial)
                       .arg(client->peer)
                       .arg(config.outboxHighWaterBytes)
                       .arg(now - client->congestedSinceMs);
            client->coalesced.clear();
            toClose.append({client, true});
        }
    }
    for (const auto &[client, slow] : std::as_const(toClose)) {
        if (!m_clients.contains(client->socket))
            continue;
        if (slow)
            closeClient(client, Ws::ClosePolicyViolated, QStringLiteral("subscriber too slow"));
        else
            closeClient(client, Ws::CloseInternalError, QStringLiteral("keepalive ping timeout"));
    }

    // After a burst of disconnects has settled, hand the freed heap back to the system: glibc
    // keeps the freed per-connection chunks otherwise, and the RSS of a relay that once held
    // 2,000 connections would never come down.
    if (m_removedSinceTrim >= TrimAfterDisconnects && m_removedSinceTrim == m_removedAtLastTick) {
        releaseFreedMemory();
        m_removedSinceTrim = 0;
    }
    m_removedAtLastTick = m_removedSinceTrim;

    // Per-device rates, about once a second.
    constexpr int TicksPerRate = 1000 / HousekeepingIntervalMs;
    if (++m_housekeepingTicks % TicksPerRate == 0) {
        for (DeviceRoute &route : m_routes) {
            route.rate = double(route.frames - route.framesAtLastTick);
            route.framesAtLastTick = route.frames;
        }
    }
}

// --- public API ---

void RelayServer::preferScalableEventDispatcher()
{
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
}

QAbstractEventDispatcher *RelayServer::createEventDispatcher()
{
#ifdef GROUPLOOP_HAVE_EPOLL
    if (qEnvironmentVariable("GROUPLOOP_RELAY_DISPATCHER") == u"qt")
        return nullptr;
    auto dispatcher = std::make_unique<EpollEventDispatcher>();
    if (dispatcher->isValid())
        return dispatcher.release();
#endif
    return nullptr;
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
    s.subscribers = int(d->m_subscribers.size());
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
