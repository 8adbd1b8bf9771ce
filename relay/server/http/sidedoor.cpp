#include "sidedoor.h"

#include "relaylogging.h"

#include <QSslSocket>
#include <QTcpSocket>

namespace GroupLoop {

SideDoor::SideDoor(SideDoorLimits limits, Host *host, QObject *context)
    : m_limits(limits)
    , m_host(host)
    , m_context(context)
{
    m_clock.start();
}

SideDoor::~SideDoor() = default;

void SideDoor::respond(QTcpSocket *socket, const HttpResponse &response)
{
    socket->write(response.toBytes());
    if (response.stream && !response.headOnly) {
        response.stream(socket);
        return;
    }
    socket->disconnectFromHost();
}

void SideDoor::accept(QTcpSocket *socket)
{
    if (pendingCount() + m_host->clientCount() >= m_limits.maxConnections) {
        ++m_stats.rejectedConnectionLimit;
        qCWarning(lcRelayLimits).noquote()
            << QStringLiteral("[LIMIT] connection limit %1 reached, refusing %2")
                   .arg(m_limits.maxConnections)
                   .arg(socket->peerAddress().toString());
        respond(socket, HttpResponse::text(503, "connection limit reached"));
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    if (auto *tls = qobject_cast<QSslSocket *>(socket)) {
        QObject::connect(
            tls, &QAbstractSocket::errorOccurred, m_context, [this, tls](QAbstractSocket::SocketError error) {
                if (error != QAbstractSocket::SslHandshakeFailedError)
                    return;
                ++m_stats.tlsHandshakeFailures;
                qCInfo(lcRelayAuth).noquote() << QStringLiteral("[TLS] handshake with %1 failed: %2")
                                                     .arg(tls->peerAddress().toString(), tls->errorString());
            });
    }
    m_pending.insert(socket, Pending {m_clock.elapsed(), {}, std::nullopt, 0});
    QObject::connect(socket, &QTcpSocket::readyRead, m_context, [this, socket] { read(socket); });
    QObject::connect(socket, &QTcpSocket::disconnected, m_context, [this, socket] {
        if (m_pending.remove(socket))
            socket->deleteLater();
    });
    if (socket->bytesAvailable() > 0)
        read(socket);
}

void SideDoor::read(QTcpSocket *socket)
{
    const auto pending = m_pending.find(socket);
    if (pending == m_pending.end())
        return;
    if (pending->request) { // the head is in; the route's body is coming
        HttpRequest &request = *pending->request;
        request.body += socket->read(pending->bodyBytes - request.body.size());
        if (request.body.size() < pending->bodyBytes)
            return;
        const HttpRequest complete = std::move(request);
        finish(socket);
        answer(socket, complete);
        return;
    }
    QByteArray &buffer = pending->received;
    buffer += socket->read(m_limits.maxRequestHeadBytes + 1 - buffer.size()); // the rest stays in the socket
    HttpRequestHead head;
    qsizetype headLength = 0;
    const auto status = HttpRequestHead::parse(buffer, &head, &headLength);
    if (status == HttpRequestHead::Status::Incomplete && buffer.size() <= m_limits.maxRequestHeadBytes)
        return; // wait for more
    if (status == HttpRequestHead::Status::Complete && !head.isWebSocketUpgrade()) {
        const HttpRouter::Route *route = m_router.find(head.method, head.path());
        if (route && route->maxBodyBytes > 0) {
            const std::optional<qint64> length = bodyLength(socket, head, *route);
            if (!length)
                return;
            pending->request
                = HttpRequest {head, buffer.mid(headLength, *length), socket->peerAddress().toString()};
            pending->bodyBytes = *length;
            buffer.clear();
            read(socket); // what already came, as readyRead will not say it again
            return;
        }
    }
    const QByteArray received = std::exchange(buffer, QByteArray());
    finish(socket);

    if (status == HttpRequestHead::Status::Complete && head.isWebSocketUpgrade()) {
        upgrade(socket, head, received.mid(headLength));
        return;
    }
    if (status == HttpRequestHead::Status::Incomplete) {
        ++m_stats.rejectedHandshake;
        qCWarning(lcRelayLimits).noquote() << QStringLiteral("[LIMIT] %1 sent a request head over %2 bytes")
                                                  .arg(socket->peerAddress().toString())
                                                  .arg(m_limits.maxRequestHeadBytes);
        respond(socket, HttpResponse::text(431, "request head too large"));
        return;
    }
    if (status == HttpRequestHead::Status::Malformed) {
        ++m_stats.rejectedHandshake;
        qCInfo(lcRelayHttp).noquote()
            << QStringLiteral("[HTTP] malformed request from %1").arg(socket->peerAddress().toString());
        respond(socket, HttpResponse::text(400, "malformed HTTP request"));
        return;
    }
    answer(socket, HttpRequest {head, {}, socket->peerAddress().toString()});
}

std::optional<qint64> SideDoor::bodyLength(QTcpSocket *socket, const HttpRequestHead &head,
                                           const HttpRouter::Route &route)
{
    auto refuse = [&](int status, const QByteArray &message) -> std::optional<qint64> {
        finish(socket);
        respond(socket, HttpResponse::text(status, message));
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

void SideDoor::finish(QTcpSocket *socket)
{
    m_pending.remove(socket);
    QObject::disconnect(socket, nullptr, m_context, nullptr);
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
}

void SideDoor::upgrade(QTcpSocket *socket, const HttpRequestHead &head, QByteArray received)
{
    const std::optional<QByteArray> key = head.header("sec-websocket-key");
    if (!key || key->isEmpty() || head.header("sec-websocket-version") != "13") {
        ++m_stats.rejectedHandshake;
        respond(socket,
                HttpResponse::text(
                    400, "WebSocket upgrade needs Sec-WebSocket-Key and Sec-WebSocket-Version: 13"));
        return;
    }
    QObject::disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    if (const std::optional<HttpResponse> refusal = m_host->upgrade(socket, head, std::move(received))) {
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        respond(socket, *refusal);
    }
}

void SideDoor::answer(QTcpSocket *socket, const HttpRequest &request)
{
    qCDebug(lcRelayHttp).noquote() << QStringLiteral("[HTTP] %1 %2 from %3")
                                          .arg(QString::fromLatin1(request.head.method),
                                               QString::fromLatin1(request.head.path()), request.peer);
    respond(socket, m_router.answer(request));
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
            lastPeer = it.key()->peerAddress().toString();
            QTcpSocket *socket = it.key();
            it = m_pending.erase(it);
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
                   .arg(m_limits.handshakeTimeoutMs);
    }
}

void SideDoor::abortAll()
{
    const QList<QTcpSocket *> sockets = m_pending.keys(); // aborting removes them from m_pending
    for (QTcpSocket *socket : sockets)
        socket->abort();
}

} // namespace GroupLoop
