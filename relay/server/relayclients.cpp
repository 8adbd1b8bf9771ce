// The relay's clients: a WebSocket upgrade becomes a Client (or is refused at the connection
// limit), clients close and go, and housekeeping keeps them alive (ping), closes the silent and
// the too slow, and gives freed memory back after a wave of disconnects.
#include "httpconnection.h"
#include "protocol.h"
#include "relaylogging.h"
#include "relayserver_p.h"
#include "sensorframe.h"
#include "websocketconnection.h"
#include "websocketrfc.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace GroupLoop {

namespace {
constexpr int TrimAfterChurn = 64; // connects and disconnects that make a heap trim worth its cost
namespace Ws = WebSocketRfc; // close codes

void releaseFreedMemory()
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

QString peerOf(const WebSocketConnection *socket)
{
    const QHostAddress address = socket->peerAddress();
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol && !address.toIPv4Address()
        ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
        : QHostAddress(address.toIPv4Address()).toString();
    return host + QLatin1Char(':') + QString::number(socket->peerPort());
}
} // namespace

qint64 ClientSubscription::bytesToWrite() const
{
    return m_client->socket->bytesToWrite();
}

qint64 ClientSubscription::sendText(QByteArrayView utf8)
{
    return m_client->socket->sendText(utf8);
}

bool ClientSubscription::isClosing() const
{
    return m_client->closing;
}

QString ClientSubscription::name() const
{
    return QStringLiteral("#%1 %2").arg(m_client->serial).arg(m_client->peer);
}

std::optional<HttpResponse> RelayServerPrivate::upgrade(HttpConnection *connection,
                                                        const HttpRequestHead &head, QByteArray received)
{
    AccessRole role = AccessRole::None;
    if (std::optional<HttpResponse> refusal = m_access.admitUpgrade(head, connection->peerText(), &role))
        return refusal;
    connection->write(
        WebSocketConnection::upgradeResponse(head.header("sec-websocket-key").value_or(QByteArray())));
    onWebSocket(new WebSocketConnection(connection, config.maxFrameBytes, config.maxMessageBytes, q), role,
                received);
    return std::nullopt;
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
    ++m_churnSinceTrim;

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
        if (client->subscription && client->subscription->isCongested())
            m_fanOut.drain(client->subscription.get());
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
    if (client->subscription)
        m_fanOut.unsubscribe(client->subscription.get());
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
            m_ota->deviceGone(id);
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
    ++m_churnSinceTrim;
    if (removed > 0)
        Q_EMIT q->deviceCountChanged(int(m_routes.size()));
    Q_EMIT q->connectionCountChanged(int(m_clients.size()));
}

void RelayServerPrivate::housekeeping()
{
    const qint64 now = nowMs();
    m_sideDoor.expireHandshakes();
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
        const qint64 congestedMs = client->subscription ? m_fanOut.congestedForMs(*client->subscription) : -1;
        if (congestedMs > config.slowConsumerTimeoutMs) {
            ++stats.closedSlowConsumer;
            qCWarning(lcRelayLimits).noquote()
                << QStringLiteral("[LIMIT] #%1 %2 too slow: over %3 bytes queued for %4 ms")
                       .arg(client->serial)
                       .arg(client->peer)
                       .arg(config.outboxHighWaterBytes)
                       .arg(congestedMs);
            m_fanOut.discard(client->subscription.get());
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

    // After a burst of connects or disconnects has settled, hand the freed heap back to the
    // system: glibc keeps the freed chunks otherwise, between the connections that stay. A
    // relay that once held 2,000 connections would never come down, and each TLS handshake
    // leaves tens of KiB of freed handshake state behind (an idle wss:// connection would
    // cost over twice what it holds).
    if (m_churnSinceTrim >= TrimAfterChurn && m_churnSinceTrim == m_churnAtLastTick) {
        releaseFreedMemory();
        m_churnSinceTrim = 0;
    }
    m_churnAtLastTick = m_churnSinceTrim;

    // Per-device rates, about once a second.
    constexpr int TicksPerRate = 1000 / HousekeepingIntervalMs;
    if (++m_housekeepingTicks % TicksPerRate == 0) {
        for (DeviceRoute &route : m_routes) {
            route.rate = double(route.frames - route.framesAtLastTick);
            route.framesAtLastTick = route.frames;
        }
    }
}

} // namespace GroupLoop
