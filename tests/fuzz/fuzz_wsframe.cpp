// Fuzz target: the WebSocket frame parser both ends share, in both roles. The first byte picks
// the role (top bit: client, which takes unmasked frames; else server, masked) and the piece
// size; the rest is fed whole and in pieces: both must report the same events, and what the
// parser keeps must stay within one frame and one message.
#include "websocketframeparser.h"
#include "websocketrfc.h"

#include <QList>
#include <QUtf8StringView>

#include <cstdint>
#include <cstdlib>

namespace {

using GroupLoop::WebSocketFrameParser;
namespace Rfc = GroupLoop::WebSocketRfc;

constexpr qint64 MaxFrame = 1024;
constexpr qint64 MaxMessage = 2048;

class Recorder : public WebSocketFrameParser::Handler
{
public:
    void onMessage(QByteArrayView payload, bool text) override
    {
        if (text && !QUtf8StringView(payload).isValidUtf8())
            std::abort();
        if (payload.size() > MaxMessage)
            std::abort();
        events.append((text ? "t" : "b") + payload.toByteArray());
    }
    void onPing(QByteArrayView payload) override { record('i', payload); }
    void onPong(QByteArrayView payload) override { record('o', payload); }
    void onClose(quint16 code, QByteArrayView reason) override
    {
        if (code != Rfc::CloseNoStatus && !Rfc::isValidCloseCode(code))
            std::abort();
        if (!QUtf8StringView(reason).isValidUtf8() || reason.size() > Rfc::MaxCloseReasonBytes)
            std::abort();
        events.append("c" + QByteArray::number(code) + reason.toByteArray());
    }
    void onError(quint16 code, const QString &reason) override
    {
        if (reason.isEmpty())
            std::abort();
        events.append("e" + QByteArray::number(code));
    }
    QList<QByteArray> events;

private:
    void record(char kind, QByteArrayView payload)
    {
        if (payload.size() > Rfc::MaxControlPayload)
            std::abort();
        events.append(kind + payload.toByteArray());
    }
};

QList<QByteArray> run(WebSocketFrameParser::Role role, QByteArray input, qsizetype piece)
{
    WebSocketFrameParser parser(role, MaxFrame, MaxMessage);
    Recorder recorder;
    for (qsizetype at = 0; at < input.size(); at += piece) {
        parser.feed(input.data() + at, std::min(piece, input.size() - at), recorder);
        if (parser.bufferedBytes() > MaxFrame + 14 + MaxMessage)
            std::abort();
    }
    if (parser.state() != WebSocketFrameParser::State::Open && parser.bufferedBytes() != 0)
        std::abort();
    return recorder.events;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const auto role
        = (data[0] & 0x80) ? WebSocketFrameParser::Role::Client : WebSocketFrameParser::Role::Server;
    const qsizetype piece = 1 + data[0] % 32;
    const QByteArray input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    if (run(role, input, std::max<qsizetype>(input.size(), 1)) != run(role, input, piece))
        std::abort();
    return 0;
}
