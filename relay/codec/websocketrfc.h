// RFC 6455 constants and the handshake's accept key, shared by the relay's server side
// (WebSocketFrameParser, WebSocketConnection) and the simulator's client (LightWebSocket).
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

// The Sec-WebSocket-Accept value for a client's Sec-WebSocket-Key (section 4.2.2).
inline QByteArray acceptKey(QByteArrayView key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData(QByteArrayView("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    return sha1.result().toBase64();
}

} // namespace GroupLoop::WebSocketRfc
