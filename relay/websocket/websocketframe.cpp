#include "websocketframe.h"

#include "websocketrfc.h"

#include <algorithm>
#include <cstring>

namespace GroupLoop::WebSocketFrame {

qsizetype write(char *out, int opcode, QByteArrayView payload, std::optional<quint32> mask)
{
    char *at = out;
    const auto length = quint64(payload.size());
    const char maskBit = mask ? char(0x80) : char(0);
    *at++ = char(0x80 | opcode);
    if (length < 126) {
        *at++ = char(maskBit | char(length));
    } else if (length <= 0xffff) {
        *at++ = char(maskBit | 126);
        *at++ = char(length >> 8);
        *at++ = char(length & 0xff);
    } else {
        *at++ = char(maskBit | 127);
        for (int shift = 56; shift >= 0; shift -= 8)
            *at++ = char((length >> shift) & 0xff);
    }
    const char *key = at;
    if (mask) {
        std::memcpy(at, &*mask, 4);
        at += 4;
    }
    if (length > 0) {
        std::memcpy(at, payload.data(), size_t(length));
        if (mask)
            applyMask(at, qsizetype(length), key);
    }
    return (at - out) + qsizetype(length);
}

QByteArray closePayload(quint16 code, QByteArrayView utf8Reason)
{
    qsizetype keep = std::min<qsizetype>(utf8Reason.size(), WebSocketRfc::MaxCloseReasonBytes);
    if (keep < utf8Reason.size()) {
        while (keep > 0 && (quint8(utf8Reason[keep]) & 0xc0) == 0x80)
            --keep; // utf8Reason[keep] continues a character: cut before that character
    }
    QByteArray payload;
    payload.reserve(2 + keep);
    payload.append(char(code >> 8)).append(char(code & 0xff));
    payload.append(utf8Reason.first(keep));
    return payload;
}

void applyMask(char *data, qsizetype length, const char *key)
{
    qsizetype i = 0;
    if (length >= 8) {
        // Eight bytes at a time: the key repeats every four.
        char pattern[8];
        for (int k = 0; k < 8; ++k)
            pattern[k] = key[k % 4];
        quint64 wide;
        std::memcpy(&wide, pattern, 8);
        for (; i + 8 <= length; i += 8) {
            quint64 chunk;
            std::memcpy(&chunk, data + i, 8);
            chunk ^= wide;
            std::memcpy(data + i, &chunk, 8);
        }
    }
    for (; i < length; ++i)
        data[i] = char(data[i] ^ key[i % 4]);
}

} // namespace GroupLoop::WebSocketFrame
