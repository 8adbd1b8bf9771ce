// The HTTP side door: every TCP connection starts here. Its request head is read into a
// buffer kept only until the head is complete; a WebSocket upgrade is answered here and the
// socket (with any bytes that came after the head) handed to a WebSocketConnection, any other
// request gets a small HTTP answer and the connection is closed.
#include "httprequesthead.h"
#include "relaylogging.h"
#include "relayserver_p.h"
#include "websocketconnection.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

namespace GroupLoop {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

void writeResponse(QTcpSocket *socket, int status, const QByteArray &contentType, const QByteArray &body,
                   bool withBody = true, const QByteArray &extraHeaders = {})
{
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    response += "Server: grouploop-relay/" GROUPLOOP_VERSION "\r\n";
    response += extraHeaders;
    response += "Content-Type: " + contentType + "\r\n";
    response += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    response += "Access-Control-Allow-Origin: *\r\n";
    response += "Cache-Control: no-store\r\n";
    response += "Connection: close\r\n\r\n";
    if (withBody)
        response += body;
    socket->write(response);
    socket->disconnectFromHost();
}

} // namespace

void writeHttpError(QTcpSocket *socket, int status, const QByteArray &message, const QByteArray &extraHeaders)
{
    writeResponse(socket, status, "text/plain; charset=utf-8", message + '\n', true, extraHeaders);
}

namespace {

void writeError(QTcpSocket *socket, int status, const QByteArray &message)
{
    writeHttpError(socket, status, message);
}

// The built-in /phone page (resources/phone, docs/phone.md); /phone and /phone/ are its index.
void writePhoneAsset(QTcpSocket *socket, const QByteArray &path, bool withBody)
{
    const QByteArray name = path.size() > 7 ? path.mid(7) : QByteArray("index.html");
    QFile file(QStringLiteral(":/grouploop/phone/") + QString::fromLatin1(name));
    if (name.contains('/') || name.startsWith('.') || !file.open(QIODevice::ReadOnly))
        return writeError(socket, 404, "no such file in /phone");
    const QByteArray type = name.endsWith(".html") ? "text/html; charset=utf-8"
        : name.endsWith(".css")                    ? "text/css; charset=utf-8"
                                                   : "text/javascript; charset=utf-8";
    writeResponse(socket, 200, type, file.readAll(), withBody);
}

QString isoTime(const QDateTime &time)
{
    return time.toString(Qt::ISODateWithMs);
}

} // namespace

void RelayServerPrivate::onTcpConnection(QTcpSocket *socket)
{
    if (connectionCount() >= config.maxConnections) {
        ++stats.rejectedConnectionLimit;
        qCWarning(lcRelayLimits).noquote()
            << QStringLiteral("[LIMIT] connection limit %1 reached, refusing %2")
                   .arg(config.maxConnections)
                   .arg(socket->peerAddress().toString());
        writeError(socket, 503, "connection limit reached");
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    if (auto *tls = qobject_cast<QSslSocket *>(socket)) {
        QObject::connect(
            tls, &QAbstractSocket::errorOccurred, q, [this, tls](QAbstractSocket::SocketError error) {
                if (error != QAbstractSocket::SslHandshakeFailedError)
                    return;
                ++stats.tlsHandshakeFailures;
                qCInfo(lcRelayAuth).noquote() << QStringLiteral("[TLS] handshake with %1 failed: %2")
                                                     .arg(tls->peerAddress().toString(), tls->errorString());
            });
    }
    m_pendingHeads.insert(socket, PendingHead {nowMs(), {}});
    QObject::connect(socket, &QTcpSocket::readyRead, q, [this, socket] { readRequestHead(socket); });
    QObject::connect(socket, &QTcpSocket::disconnected, q, [this, socket] {
        if (m_pendingHeads.remove(socket))
            socket->deleteLater();
    });
    if (socket->bytesAvailable() > 0)
        readRequestHead(socket);
}

void RelayServerPrivate::readRequestHead(QTcpSocket *socket)
{
    const auto pending = m_pendingHeads.find(socket);
    if (pending == m_pendingHeads.end())
        return;
    QByteArray &buffer = pending->received;
    buffer += socket->read(config.maxRequestHeadBytes + 1 - buffer.size()); // the rest stays in the socket
    HttpRequestHead head;
    qsizetype headLength = 0;
    const auto status = HttpRequestHead::parse(buffer, &head, &headLength);
    if (status == HttpRequestHead::Status::Incomplete && buffer.size() <= config.maxRequestHeadBytes) {
        return; // wait for more
    }
    const QByteArray received = std::exchange(buffer, QByteArray());
    m_pendingHeads.erase(pending);
    QObject::disconnect(socket, nullptr, q, nullptr);
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);

    if (status == HttpRequestHead::Status::Complete && head.isWebSocketUpgrade()) {
        upgrade(socket, head, received.mid(headLength));
        return;
    }
    if (status == HttpRequestHead::Status::Incomplete) {
        ++stats.rejectedHandshake;
        qCWarning(lcRelayLimits).noquote() << QStringLiteral("[LIMIT] %1 sent a request head over %2 bytes")
                                                  .arg(socket->peerAddress().toString())
                                                  .arg(config.maxRequestHeadBytes);
        writeError(socket, 431, "request head too large");
        return;
    }
    if (status == HttpRequestHead::Status::Malformed) {
        ++stats.rejectedHandshake;
        qCInfo(lcRelayHttp).noquote()
            << QStringLiteral("[HTTP] malformed request from %1").arg(socket->peerAddress().toString());
        writeError(socket, 400, "malformed HTTP request");
        return;
    }
    answerHttp(socket, head);
}

void RelayServerPrivate::upgrade(QTcpSocket *socket, const HttpRequestHead &head, QByteArray received)
{
    const std::optional<QByteArray> key = head.header("sec-websocket-key");
    if (!key || key->isEmpty() || head.header("sec-websocket-version") != "13") {
        ++stats.rejectedHandshake;
        writeError(socket, 400, "WebSocket upgrade needs Sec-WebSocket-Key and Sec-WebSocket-Version: 13");
        return;
    }
    AccessRole role = AccessRole::None;
    if (!admitUpgrade(socket, head, &role))
        return;
    QObject::disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->write(WebSocketConnection::upgradeResponse(*key));
    onWebSocket(new WebSocketConnection(socket, config.maxFrameBytes, config.maxMessageBytes, q), role,
                received);
}

void RelayServerPrivate::answerHttp(QTcpSocket *socket, const HttpRequestHead &head)
{
    const QByteArray path = head.path();
    qCDebug(lcRelayHttp).noquote() << QStringLiteral("[HTTP] %1 %2 from %3")
                                          .arg(QString::fromLatin1(head.method), QString::fromLatin1(path),
                                               socket->peerAddress().toString());
    if (head.method == "OPTIONS") {
        QByteArray response = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                              "Access-Control-Allow-Methods: GET, HEAD, OPTIONS\r\n"
                              "Access-Control-Allow-Headers: Authorization, Content-Type\r\n"
                              "Connection: close\r\n\r\n";
        socket->write(response);
        socket->disconnectFromHost();
        return;
    }
    const bool isHead = head.method == "HEAD";
    if (head.method != "GET" && !isHead) {
        writeError(socket, 405, "only GET, HEAD and OPTIONS are served here");
        return;
    }
    if ((path == "/devices" || path == "/metrics") && !admitHttp(socket, head))
        return;
    constexpr QByteArrayView Json = "application/json";
    if (path == "/health")
        writeResponse(socket, 200, Json.toByteArray(), healthJson(), !isHead);
    else if (path == "/devices")
        writeResponse(socket, 200, Json.toByteArray(), devicesJson(), !isHead);
    else if (path == "/metrics")
        writeResponse(socket, 200, "text/plain; version=0.0.4; charset=utf-8", metricsText(), !isHead);
    else if (path == "/commands.json" || path == "/static/commands.json")
        writeResponse(socket, 200, Json.toByteArray(), config.registry.toJson(), !isHead);
    else if (path == "/phone" || path.startsWith("/phone/"))
        writePhoneAsset(socket, path, !isHead);
    else
        writeError(socket, 404,
                   "not found; this relay serves WebSocket on any path and GET /health, /metrics, /devices, "
                   "/commands.json, /phone");
}

QByteArray RelayServerPrivate::healthJson() const
{
    const RelayStats s = q->stats();
    QJsonObject health {
        {QStringLiteral("status"),
         m_backplane && !m_backplane->isUp() ? QStringLiteral("degraded") : QStringLiteral("ok")},
        {QStringLiteral("service"), QStringLiteral("grouploop-relay")},
        {QStringLiteral("version"), QStringLiteral(GROUPLOOP_VERSION)},
        {QStringLiteral("uptime_s"), double(s.uptimeMs) / 1000.0},
        {QStringLiteral("connections"), s.connections},
        {QStringLiteral("devices"), s.devices},
        {QStringLiteral("subscribers"), s.subscribers},
        {QStringLiteral("frames_in"), double(s.framesIn)},
        {QStringLiteral("frames_out"), double(s.framesOut)},
        {QStringLiteral("frames_coalesced"), double(s.framesCoalesced)},
        {QStringLiteral("tls"), config.tlsEnabled},
        {QStringLiteral("tokens_required"), !config.access.controllerTokens.isEmpty()},
    };
    if (m_backplane)
        health.insert(QStringLiteral("cluster"), clusterHealth());
    return QJsonDocument(health).toJson(QJsonDocument::Compact);
}

QByteArray RelayServerPrivate::devicesJson() const
{
    QJsonArray devices;
    for (const DeviceInfo &device : q->devices()) {
        devices.append(QJsonObject {
            {QStringLiteral("id"), device.id},
            {QStringLiteral("label"), device.label},
            {QStringLiteral("remote_address"), device.remoteAddress},
            {QStringLiteral("first_seen"), isoTime(device.firstSeen)},
            {QStringLiteral("last_seen"), isoTime(device.lastSeen)},
            {QStringLiteral("frames"), double(device.frames)},
            {QStringLiteral("rate_hz"), device.rate},
        });
    }
    if (m_backplane)
        appendRemoteDevices(&devices);
    return QJsonDocument(
               QJsonObject {{QStringLiteral("count"), devices.size()}, {QStringLiteral("devices"), devices}})
        .toJson(QJsonDocument::Compact);
}

} // namespace GroupLoop
