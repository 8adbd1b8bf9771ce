// The client's half of the RFC 6455 opening handshake (section 4.1) as pure code: the upgrade
// request, and the check of the server's answer. LightWebSocket sends and reads the bytes.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QUrl>

namespace GroupLoop::WebSocketClientHandshake {

constexpr int MaxResponseHeadBytes = 8 * 1024;

// A fresh Sec-WebSocket-Key: 16 random bytes in base64.
QByteArray newKey();

// True when `token` can travel in an Authorization header: printable ASCII, no spaces.
bool isValidBearerToken(QByteArrayView token);

// The GET request for `url` (path and query as given, "/" when empty; Host with the port when
// the URL names one). A non-empty `bearerToken` (isValidBearerToken) is sent as
// "Authorization: Bearer <token>", which the relay reads like ?token= in the URL.
QByteArray request(const QUrl &url, QByteArrayView key, QByteArrayView bearerToken = {});

// Checks the server's answer head (without the blank line that ends it): 101, the Upgrade and
// Connection headers and the Sec-WebSocket-Accept for `key`. Empty when the upgrade is
// accepted, else one line: "server answered \"HTTP/1.1 401 Unauthorized\"".
QString checkResponse(QByteArrayView head, QByteArrayView key);

} // namespace GroupLoop::WebSocketClientHandshake
