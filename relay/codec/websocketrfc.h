// RFC 6455 constants, the close codes GroupLoop sends and checks, and the handshake's accept
// key: defined here once for the relay's server side (WebSocketConnection), the shared frame
// parser (relay/websocket/) and the simulator's client (LightWebSocket).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCryptographicHash>

namespace GroupLoop::WebSocketRfc {

// Frame opcodes (section 5.2).
constexpr int OpContinuation = 0x0;
constexpr int OpText = 0x1;
constexpr int OpBinary = 0x2;
constexpr int OpClose = 0x8;
constexpr int OpPing = 0x9;
constexpr int OpPong = 0xa;

constexpr int MaxControlPayload = 125; // control frames (section 5.5)
constexpr int MaxCloseReasonBytes = MaxControlPayload - 2; // after the 2-byte code

// Close codes (section 7.4.1 and the IANA registry).
constexpr quint16 CloseNormal = 1000;
constexpr quint16 CloseGoingAway = 1001;
constexpr quint16 CloseProtocolError = 1002;
constexpr quint16 CloseNoStatus = 1005; // reported for a close frame without a code; never sent
constexpr quint16 CloseInvalidPayload = 1007;
constexpr quint16 ClosePolicyViolated = 1008;
constexpr quint16 CloseTooBig = 1009;
constexpr quint16 CloseInternalError = 1011;
constexpr quint16 CloseTryAgainLater = 1013;
// GroupLoop's own: a connection that lacks the token an action needs (private-use range,
// 4000 + the HTTP status).
constexpr quint16 CloseUnauthorized = 4401;

// The close codes a peer may send: 1000-1003 and 1007-1011 are defined for that, 1012-2999
// are reserved or unassigned (Qt WebSockets accepts up to 1011 too), 3000-4999 are for
// libraries and applications.
constexpr bool isValidCloseCode(int code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
}

// The Sec-WebSocket-Accept value for a client's Sec-WebSocket-Key (section 4.2.2).
inline QByteArray acceptKey(QByteArrayView key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData(QByteArrayView("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    return sha1.result().toBase64();
}

} // namespace GroupLoop::WebSocketRfc
