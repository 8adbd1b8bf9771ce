// Writing RFC 6455 frames, for either end: the server's frames go unmasked, the client's
// masked with a fresh key each. A frame is written whole into one buffer, so it can leave in
// one send() (or one TLS record).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QtGlobal>

#include <optional>

namespace GroupLoop::WebSocketFrame {

// Bytes a frame with this payload size takes in all: 2, 4 or 10 bytes of header, 4 more with
// a mask, then the payload.
constexpr qsizetype size(qsizetype payload, bool masked)
{
    return (payload < 126 ? 2 : payload <= 0xffff ? 4 : 10) + (masked ? 4 : 0) + payload;
}

// Writes one final frame (FIN set) at `out`, which has room for size(payload.size(), mask)
// bytes; with a mask, the payload is masked as it is copied. Returns the bytes written.
qsizetype write(char *out, int opcode, QByteArrayView payload, std::optional<quint32> mask);

// A close frame's payload: the code, then as much of the UTF-8 reason as fits in a control
// frame (123 bytes), cut before a character rather than through one, so the peer's UTF-8 check
// still passes.
QByteArray closePayload(quint16 code, QByteArrayView utf8Reason);

// XORs `data` with the 4-byte key at `key` (section 5.3); masking and unmasking are the same.
void applyMask(char *data, qsizetype length, const char *key);

} // namespace GroupLoop::WebSocketFrame
