#include "sidedoor.h"

#include "filestream.h"
#include "httpconnection.h"
#include "relaylogging.h"

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
    if (pendingCount() + streamingCount() + m_host->clientCount() >= m_limits.maxConnections) {
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
    track(connection, 0, {});
}

void SideDoor::track(HttpConnection *connection, int served, const QByteArray &received)
{
    m_pending.insert(connection, Pending {m_clock.elapsed(), received, std::nullopt, 0, served});
    QObject::connect(connection, &HttpConnection::readyRead, m_context,
                     [this, connection] { read(connection); });
    QObject::connect(connection, &HttpConnection::disconnected, m_context, [this, connection] {
        if (m_pending.remove(connection))
            connection->deleteLater();
    });
    if (connection->bytesAvailable() > 0 || !received.isEmpty())
        read(connection);
}

HttpRequest SideDoor::requestOf(HttpConnection *connection, const HttpRequestHead &head, QByteArray body)
{
    return HttpRequest {head, std::move(body), connection->peerText(), connection->isTls()};
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
            pending->request = requestOf(connection, head, buffer.mid(headLength, *length));
            pending->bodyBytes = *length;
            buffer.clear();
            read(connection); // what already came, as readyRead will not say it again
            return;
        }
    }
    const QByteArray received = std::exchange(buffer, QByteArray());
    const int served = pending->served;
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
    answer(connection, requestOf(connection, head), served, received.mid(headLength));
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

void SideDoor::answer(HttpConnection *connection, const HttpRequest &request, int served,
                      const QByteArray &leftover)
{
    qCDebug(lcRelayHttp).noquote() << QStringLiteral("[HTTP] %1 %2 from %3")
                                          .arg(QString::fromLatin1(request.head.method),
                                               QString::fromLatin1(request.head.path()), request.peer);
    deliver(connection, m_router.answer(request), keepsAlive(request, served), served, leftover);
}

bool SideDoor::keepsAlive(const HttpRequest &request, int served) const
{
    const HttpRequestHead &head = request.head;
    if ((head.method != "GET" && head.method != "HEAD") || served + 1 >= m_limits.maxRequestsPerConnection)
        return false;
    const QByteArray connection = head.header("connection").value_or(QByteArray()).toLower();
    if (head.version == "HTTP/1.1")
        return !connection.contains("close");
    return connection.contains("keep-alive"); // HTTP/1.0 asks for it
}

void SideDoor::deliver(HttpConnection *connection, HttpResponse response, bool keepAlive, int served,
                       const QByteArray &leftover)
{
    response.keepAlive = keepAlive;
    response.keepAliveTimeoutS = qMax(1, m_limits.keepAliveIdleMs / 1000);
    response.keepAliveMax = m_limits.maxRequestsPerConnection - served - 1;
    connection->write(response.toBytes());
    auto next = [this, connection, keepAlive, served, leftover](bool complete) {
        if (!complete) {
            connection->abort(); // the client cannot tell a cut body from a whole one otherwise
            return;
        }
        if (!keepAlive) {
            connection->disconnectFromHost();
            return;
        }
        QObject::disconnect(connection, &HttpConnection::disconnected, connection, &QObject::deleteLater);
        track(connection, served + 1, leftover);
    };
    if (!response.file || response.headOnly || (response.status != 200 && response.status != 206)) {
        next(true);
        return;
    }
    m_streaming.insert(connection);
    auto *stream = new FileStream(connection, response.file);
    QObject::connect(stream, &FileStream::finished, m_context, [this, connection, next](bool complete) {
        m_streaming.remove(connection);
        if (connection->isConnected())
            next(complete);
    });
}

void SideDoor::expireHandshakes()
{
    const qint64 now = m_clock.elapsed();
    // Handshakes that never completed their request: one log line per pass, not one per
    // connection, so a flood of them cannot flood the log as well.
    int timedOut = 0;
    QString lastPeer;
    QList<HttpConnection *> idle;
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        // A kept-alive connection with no new request is simply done; one that began a request
        // and never finished it is a handshake that timed out like any other.
        if (it->served > 0 && it->received.isEmpty() && now - it->acceptedMs > m_limits.keepAliveIdleMs) {
            idle.append(it.key());
            ++it;
            continue;
        }
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
    for (HttpConnection *connection : std::as_const(idle)) {
        finish(connection);
        connection->disconnectFromHost();
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
    // Aborting removes them from m_pending and m_streaming.
    const QList<HttpConnection *> connections = m_pending.keys() + m_streaming.values();
    for (HttpConnection *connection : connections)
        connection->abort();
}

} // namespace GroupLoop
