#include "websocketframeparser.h"

#include "websocketframe.h"
#include "websocketrfc.h"

#include <QUtf8StringView>

#include <utility>

namespace GroupLoop {

using namespace WebSocketRfc;

namespace {

// Bytes of header before the payload: 2, the extended length, the 4-byte mask if the frame has
// one. 0 when the bytes at hand do not yet say how long the payload is.
int headerLength(const char *data, qsizetype size)
{
    if (size < 2)
        return 0;
    const int len7 = quint8(data[1]) & 0x7f;
    const int lengthBytes = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
    const int mask = (quint8(data[1]) & 0x80) ? 4 : 0;
    return size >= lengthBytes ? lengthBytes + mask : 0; // the mask need not be there to know the length
}

quint64 payloadLength(const char *data)
{
    const int len7 = quint8(data[1]) & 0x7f;
    if (len7 < 126)
        return quint64(len7);
    quint64 n = 0;
    const int bytes = len7 == 126 ? 2 : 8;
    for (int i = 0; i < bytes; ++i)
        n = (n << 8) | quint8(data[2 + i]);
    return n;
}

// Qt's validator (RFC 3629: no overlongs, surrogates or code points over U+10FFFF) skips
// ASCII in wide steps: bench_utf8 measured it 8 to 18 times faster than a byte-at-a-time one
// on a gateway's batch of frame lines, which is what the relay carries; only text dense in
// 4-byte characters is slower (1.5x), and GroupLoop never carries that in bulk.
bool isValidUtf8(QByteArrayView bytes)
{
    return QUtf8StringView(bytes).isValidUtf8();
}

} // namespace

void WebSocketFrameParser::reset()
{
    m_state = State::Open;
    m_messageOpcode = -1;
    m_partial = QByteArray();
    m_message = QByteArray();
}

void WebSocketFrameParser::feed(char *data, qsizetype size, Handler &handler)
{
    if (m_state != State::Open || size <= 0)
        return;
    if (m_partial.isEmpty()) {
        const qsizetype used = parseFrames(data, size, handler);
        if (m_state == State::Open && used < size)
            m_partial = QByteArray(data + used, size - used);
        return;
    }
    m_partial.append(data, size);
    const qsizetype used = parseFrames(m_partial.data(), m_partial.size(), handler);
    if (m_state != State::Open || used == m_partial.size())
        m_partial = QByteArray(); // frees it
    else if (used > 0)
        m_partial.remove(0, used);
}

qsizetype WebSocketFrameParser::parseFrames(char *data, qsizetype size, Handler &handler)
{
    qsizetype at = 0;
    while (m_state == State::Open) {
        char *frame = data + at;
        const qsizetype available = size - at;
        const int header = headerLength(frame, available);
        if (header == 0)
            break;
        const quint64 length = payloadLength(frame);
        if (!checkHeader(quint8(frame[0]), quint8(frame[1]), length, handler))
            break;
        if (quint64(available) < quint64(header) + length)
            break; // checkHeader bounded length, so waiting for it is bounded too
        char *payload = frame + header;
        if (m_role == Role::Server)
            WebSocketFrame::applyMask(payload, qsizetype(length), payload - 4);
        at += header + qsizetype(length);
        dispatch(quint8(frame[0]) & 0x0f, quint8(frame[0]) & 0x80, payload, qsizetype(length), handler);
    }
    return at;
}

bool WebSocketFrameParser::checkHeader(quint8 b0, quint8 b1, quint64 length, Handler &handler)
{
    const int opcode = b0 & 0x0f;
    const bool fin = b0 & 0x80;
    if (b0 & 0x70) {
        fail(CloseProtocolError, QStringLiteral("reserved bits set without an extension"), handler);
    } else if (m_role == Role::Server && !(b1 & 0x80)) {
        fail(CloseProtocolError, QStringLiteral("client frames must be masked"), handler);
    } else if (m_role == Role::Client && (b1 & 0x80)) {
        fail(CloseProtocolError, QStringLiteral("server frames must not be masked"), handler);
    } else if (opcode >= OpClose) {
        if (opcode > OpPong)
            fail(CloseProtocolError, QStringLiteral("reserved control opcode %1").arg(opcode), handler);
        else if (!fin)
            fail(CloseProtocolError, QStringLiteral("fragmented control frame"), handler);
        else if (length > MaxControlPayload)
            fail(CloseProtocolError, QStringLiteral("control frame over 125 bytes"), handler);
    } else if (opcode > OpBinary) {
        fail(CloseProtocolError, QStringLiteral("reserved opcode %1").arg(opcode), handler);
    } else if (opcode == OpContinuation && m_messageOpcode < 0) {
        fail(CloseProtocolError, QStringLiteral("continuation frame without a message to continue"), handler);
    } else if (opcode != OpContinuation && m_messageOpcode >= 0) {
        fail(CloseProtocolError, QStringLiteral("new message before the last fragment of the previous one"),
             handler);
    } else if (length > quint64(m_maxFrameBytes)) {
        fail(CloseTooBig, QStringLiteral("frame over %1 bytes").arg(m_maxFrameBytes), handler);
    } else if (quint64(m_message.size()) + length > quint64(m_maxMessageBytes)) {
        fail(CloseTooBig, QStringLiteral("message over %1 bytes").arg(m_maxMessageBytes), handler);
    }
    return m_state == State::Open;
}

void WebSocketFrameParser::dispatch(int opcode, bool fin, char *payload, qsizetype length, Handler &handler)
{
    const QByteArrayView bytes(payload, length);
    switch (opcode) {
    case OpPing:
        handler.onPing(bytes);
        return;
    case OpPong:
        handler.onPong(bytes);
        return;
    case OpClose: {
        if (length == 1)
            return fail(CloseProtocolError, QStringLiteral("close frame with a 1-byte payload"), handler);
        quint16 code = CloseNoStatus;
        if (length >= 2) {
            code = quint16(quint8(payload[0]) << 8 | quint8(payload[1]));
            if (!isValidCloseCode(code))
                return fail(CloseProtocolError, QStringLiteral("invalid close code %1").arg(code), handler);
            if (!isValidUtf8(bytes.sliced(2)))
                return fail(CloseInvalidPayload, QStringLiteral("close reason is not valid UTF-8"), handler);
        }
        m_state = State::Closed; // feed() frees the buffers; `bytes` may point into one
        m_message = QByteArray();
        handler.onClose(code, length >= 2 ? bytes.sliced(2) : QByteArrayView());
        return;
    }
    default:
        break;
    }
    if (fin && m_messageOpcode < 0) { // a whole message in one frame: no copy
        if (opcode == OpText && !isValidUtf8(bytes))
            return fail(CloseInvalidPayload, QStringLiteral("text message is not valid UTF-8"), handler);
        handler.onMessage(bytes, opcode == OpText);
        return;
    }
    if (m_messageOpcode < 0)
        m_messageOpcode = opcode;
    m_message.append(payload, length);
    if (!fin)
        return;
    const bool text = m_messageOpcode == OpText;
    const QByteArray message = std::exchange(m_message, QByteArray());
    m_messageOpcode = -1;
    if (text && !isValidUtf8(message))
        return fail(CloseInvalidPayload, QStringLiteral("text message is not valid UTF-8"), handler);
    handler.onMessage(message, text);
}

void WebSocketFrameParser::fail(quint16 code, const QString &reason, Handler &handler)
{
    m_state = State::Failed; // feed() frees the unfinished frame
    m_message = QByteArray();
    m_messageOpcode = -1;
    handler.onError(code, reason);
}

} // namespace GroupLoop
