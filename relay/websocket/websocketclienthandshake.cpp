#include "websocketclienthandshake.h"

#include "websocketrfc.h"

#include <QHostAddress>
#include <QList>
#include <QRandomGenerator>

#include <array>

namespace GroupLoop::WebSocketClientHandshake {

namespace {

// Header value of `name` (case-insensitive) in an HTTP response head, trimmed.
QByteArray headerValue(const QList<QByteArray> &lines, QByteArrayView name)
{
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

} // namespace

QByteArray newKey()
{
    std::array<quint32, 4> nonce;
    QRandomGenerator::global()->fillRange(nonce.data(), nonce.size());
    return QByteArray(reinterpret_cast<const char *>(nonce.data()), 16).toBase64();
}

bool isValidBearerToken(QByteArrayView token)
{
    for (const char c : token) {
        if (c <= ' ' || c > '~')
            return false;
    }
    return !token.isEmpty();
}

QByteArray request(const QUrl &url, QByteArrayView key, QByteArrayView bearerToken)
{
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (QHostAddress(url.host()).protocol() == QAbstractSocket::IPv6Protocol)
        host = '[' + host + ']';
    if (url.port() != -1)
        host += ':' + QByteArray::number(url.port());
    QByteArray path = url.path(QUrl::FullyEncoded).toLatin1();
    if (path.isEmpty())
        path = "/";
    if (url.hasQuery())
        path += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    QByteArray authorization;
    if (!bearerToken.isEmpty())
        authorization = "Authorization: Bearer " + bearerToken.toByteArray() + "\r\n";
    return "GET " + path + " HTTP/1.1\r\nHost: " + host
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
        + "\r\nSec-WebSocket-Version: 13\r\n" + authorization + "\r\n";
}

QString checkResponse(QByteArrayView head, QByteArrayView key)
{
    const QList<QByteArray> lines = head.toByteArray().split('\n');
    const QByteArray statusLine = lines.value(0).trimmed();
    const QList<QByteArray> status = statusLine.split(' ');
    if (status.size() < 2 || !status[0].startsWith("HTTP/1.") || status[1] != "101")
        return QStringLiteral("server answered \"") + QString::fromLatin1(statusLine) + QLatin1Char('"');
    if (headerValue(lines, "Upgrade").compare("websocket", Qt::CaseInsensitive) != 0
        || !headerValue(lines, "Connection").toLower().contains("upgrade"))
        return QStringLiteral("missing Upgrade/Connection headers");
    if (headerValue(lines, "Sec-WebSocket-Accept") != WebSocketRfc::acceptKey(key))
        return QStringLiteral("wrong Sec-WebSocket-Accept");
    return {};
}

} // namespace GroupLoop::WebSocketClientHandshake
