#include "sidedoor.h"

#include "relaylogging.h"

#include "httpconnection.h"

#include <QTcpSocket>

namespace GroupLoop {

namespace {

// RFC 6455 4.2.1: a Host, version 13 and a Sec-WebSocket-Key that is 16 bytes in base64 (24
// characters). Empty when the upgrade is complete, else why not.
QByteArray badUpgrade(const HttpRequestHead &head)
{
    if (head.header("sec-websocket-version") != "13")
        return "WebSocket upgrade needs Sec-WebSocket-Version: 13";
    const std::optional<QByteArray> key = head.header("sec-websocket-key");
    if (!key)
        return "WebSocket upgrade needs a Sec-WebSocket-Key";
    const auto decoded = QByteArray::fromBase64Encoding(*key, QByteArray::AbortOnBase64DecodingErrors);
    if (key->size() != 24 || !decoded || decoded.decoded.size() != 16)
        return "Sec-WebSocket-Key must be 16 bytes in base64";
    const std::optional<QByteArray> host = head.header("host");
    if (!host || host->isEmpty())
        return "WebSocket upgrade needs a Host header";
    return {};
}

} // namespace

SideDoor::SideDoor(SideDoorLimits limits, Host *host, QObject *context)
    : m_limits(limits)
    , m_host(host)
    , m_context(context)
{
    m_clock.start();
}

SideDoor::~SideDoor() = default;

void SideDoor::respond(HttpConnection *connection, const HttpResponse &response)
{
    connection->write(response.toBytes());
    connection->disconnectFromHost();
}

void SideDoor::accept(QTcpSocket *socket, const std::shared_ptr<TlsContext> &tls)
{
    if (pendingCount() + m_host->clientCount() >= m_limits.maxConnections) {
        ++m_stats.rejectedConnectionLimit;
        qCWarning(lcRelayLimits).noquote()
            << QStringLiteral("[LIMIT] connection limit %1 reached, refusing %2")
                   .arg(m_limits.maxConnections)
                   .arg(socket->peerAddress().toString());
        if (tls) { // an answer would need a handshake first: not worth its CPU at the limit
            socket->abort();
            socket->deleteLater();
            return;
        }
        auto *connection = new HttpConnection(socket, nullptr, m_context);
        respond(connection, HttpResponse::text(503, "connection limit reached"));
        QObject::connect(connection, &HttpConnection::disconnected, connection, &QObject::deleteLater);
        return;
    }
    auto *connection = new HttpConnection(socket, tls, m_context);
    QObject::connect(connection, &HttpConnection::tlsFailed, m_context,
                     [this, connection](const QString &error) {
                         ++m_stats.tlsHandshakeFailures;
                         qCInfo(lcRelayAuth).noquote()
                             << QStringLiteral("[TLS] %1: %2").arg(connection->peerText(), error);
                     });
    m_pending.insert(connection, Pending {m_clock.elapsed(), {}, std::nullopt, 0});
    QObject::connect(connection, &HttpConnection::readyRead, m_context,
                     [this, connection] { read(connection); });
    QObject::connect(connection, &HttpConnection::disconnected, m_context, [this, connection] {
        if (m_pending.remove(connection))
            connection->deleteLater();
    });
    if (connection->bytesAvailable() > 0)
        read(connection);
}

void SideDoor::read(HttpConnection *connection)
{
    const auto pending = m_pending.find(connection);
    if (pending == m_pending.end())
        return;
    if (pending->request) { // the head is in; the route's body is coming
        HttpRequest &request = *pending->request;
        request.body += connection->read(pending->bodyBytes - request.body.size());
        if (request.body.size() < pending->bodyBytes)
            return;
        const HttpRequest complete = std::move(request);
        finish(connection);
        answer(connection, complete);
        return;
    }
    QByteArray &buffer = pending->received;
    buffer
        += connection->read(m_limits.maxRequestHeadBytes + 1 - buffer.size()); // the rest stays in the socket
    HttpRequestHead head;
    qsizetype headLength = 0;
    const auto status = HttpRequestHead::parse(buffer, &head, &headLength);
    if (status == HttpRequestHead::Status::Incomplete && buffer.size() <= m_limits.maxRequestHeadBytes)
        return; // wait for more
    if (status == HttpRequestHead::Status::Complete && !head.isWebSocketUpgrade()) {
        const HttpRouter::Route *route = m_router.find(head.method, head.path());
        if (route && route->maxBodyBytes > 0) {
            const std::optional<qint64> length = bodyLength(connection, head, *route);
            if (!length)
                return;
            pending->request = HttpRequest {head, buffer.mid(headLength, *length), connection->peerText()};
            pending->bodyBytes = *length;
            buffer.clear();
            read(connection); // what already came, as readyRead will not say it again
            return;
        }
    }
    const QByteArray received = std::exchange(buffer, QByteArray());
    finish(connection);

    if (status == HttpRequestHead::Status::Complete && head.isWebSocketUpgrade()) {
        upgrade(connection, head, received.mid(headLength));
        return;
    }
    if (status == HttpRequestHead::Status::Incomplete) {
        ++m_stats.rejectedHandshake;
        qCWarning(lcRelayLimits).noquote() << QStringLiteral("[LIMIT] %1 sent a request head over %2 bytes")
                                                  .arg(connection->peerText())
                                                  .arg(m_limits.maxRequestHeadBytes);
        respond(connection, HttpResponse::text(431, "request head too large"));
        return;
    }
    if (status == HttpRequestHead::Status::Malformed) {
        ++m_stats.rejectedHandshake;
        qCInfo(lcRelayHttp).noquote()
            << QStringLiteral("[HTTP] malformed request from %1").arg(connection->peerText());
        respond(connection, HttpResponse::text(400, "malformed HTTP request"));
        return;
    }
    answer(connection, HttpRequest {head, {}, connection->peerText()});
}

std::optional<qint64> SideDoor::bodyLength(HttpConnection *connection, const HttpRequestHead &head,
                                           const HttpRouter::Route &route)
{
    auto refuse = [&](int status, const QByteArray &message) -> std::optional<qint64> {
        finish(connection);
        respond(connection, HttpResponse::text(status, message));
        return std::nullopt;
    };
    if (head.header("transfer-encoding"))
        return refuse(411, "send the body with a Content-Length");
    const std::optional<QByteArray> header = head.header("content-length");
    if (!header)
        return 0;
    bool ok = false;
    const qint64 length = header->toLongLong(&ok);
    if (!ok || length < 0)
        return refuse(400, "malformed Content-Length");
    if (length > route.maxBodyBytes)
        return refuse(413, "request body over " + QByteArray::number(route.maxBodyBytes) + " bytes");
    return length;
}

void SideDoor::finish(HttpConnection *connection)
{
    m_pending.remove(connection);
    QObject::disconnect(connection, nullptr, m_context, nullptr);
    QObject::connect(connection, &HttpConnection::disconnected, connection, &QObject::deleteLater);
}

void SideDoor::upgrade(HttpConnection *connection, const HttpRequestHead &head, QByteArray received)
{
    const QByteArray refusal = badUpgrade(head);
    if (!refusal.isEmpty()) {
        ++m_stats.rejectedHandshake;
        qCInfo(lcRelayHttp).noquote() << QStringLiteral("[HTTP] refused a WebSocket upgrade from %1: %2")
                                             .arg(connection->peerText(), QString::fromLatin1(refusal));
        respond(connection, HttpResponse::text(400, refusal));
        return;
    }
    QObject::disconnect(connection, &HttpConnection::disconnected, connection, &QObject::deleteLater);
    if (const std::optional<HttpResponse> refusal = m_host->upgrade(connection, head, std::move(received))) {
        QObject::connect(connection, &HttpConnection::disconnected, connection, &QObject::deleteLater);
        respond(connection, *refusal);
    }
}

void SideDoor::answer(HttpConnection *connection, const HttpRequest &request)
{
    qCDebug(lcRelayHttp).noquote() << QStringLiteral("[HTTP] %1 %2 from %3")
                                          .arg(QString::fromLatin1(request.head.method),
                                               QString::fromLatin1(request.head.path()), request.peer);
    respond(connection, m_router.answer(request));
}

void SideDoor::expireHandshakes()
{
    const qint64 now = m_clock.elapsed();
    // Handshakes that never completed their request: one log line per pass, not one per
    // connection, so a flood of them cannot flood the log as well.
    int timedOut = 0;
    QString lastPeer;
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (now - it->acceptedMs > m_limits.handshakeTimeoutMs) {
            ++m_stats.rejectedHandshake;
            ++timedOut;
            lastPeer = it.key()->peerText();
            HttpConnection *connection = it.key();
            it = m_pending.erase(it);
            connection->abort();
            connection->deleteLater();
        } else {
            ++it;
        }
    }
    if (timedOut > 0) {
        qCWarning(lcRelayLimits).noquote()
            << QStringLiteral("[LIMIT] %1 connection(s), the last from %2, sent no complete request in %3 ms")
                   .arg(timedOut)
                   .arg(lastPeer)
                   .arg(m_limits.handshakeTimeoutMs);
    }
}

void SideDoor::abortAll()
{
    const QList<HttpConnection *> connections = m_pending.keys(); // aborting removes them from m_pending
    for (HttpConnection *connection : connections)
        connection->abort();
}

} // namespace GroupLoop
