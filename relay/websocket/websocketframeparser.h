// WebSocketFrameParser: RFC 6455 framing as pure code (no sockets; also a fuzz target), for
// either end of a connection. Fed the bytes the peer sends, in pieces of any size, it reports
// whole messages, pings, pongs and the close frame, and refuses what the role must refuse:
// the server takes only masked frames, the client only unmasked ones; both refuse reserved
// bits and opcodes, fragmented or oversized control frames, broken fragmentation, invalid
// UTF-8 in text and close reasons, invalid close codes, frames and messages over the limits.
// It keeps only the unfinished frame and the unfinished fragmented message, and frees both as
// soon as they are done, so an idle connection holds no buffer at all.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace GroupLoop {

class WebSocketFrameParser
{
public:
    // Whose frames are parsed: a server parses a client's (masked), a client a server's.
    enum class Role { Server, Client };

    // What the parser found; the handler's answer to each. Views are valid during the call only.
    class Handler
    {
    public:
        virtual ~Handler() = default;
        virtual void onMessage(QByteArrayView payload, bool text) = 0; // text is valid UTF-8
        virtual void onPing(QByteArrayView payload) = 0;
        virtual void onPong(QByteArrayView payload) = 0;
        // A valid close frame; code 1005 (WebSocketRfc::CloseNoStatus) when it had no payload.
        virtual void onClose(quint16 code, QByteArrayView reason) = 0;
        // The peer broke the protocol or a limit: close with this code and reason.
        virtual void onError(quint16 code, const QString &reason) = 0;
    };

    enum class State { Open, Closed, Failed };

    WebSocketFrameParser(Role role, qint64 maxFrameBytes, qint64 maxMessageBytes)
        : m_maxFrameBytes(maxFrameBytes)
        , m_maxMessageBytes(maxMessageBytes)
        , m_role(role)
    {
    }

    // Parses `data` after what earlier calls left unfinished. The server role unmasks `data`
    // in place. Stops at the close frame or the first error (state() says which); later calls
    // are ignored. The handler may call stop() to ignore the rest.
    void feed(char *data, qsizetype size, Handler &handler);
    void stop() { m_state = State::Closed; }
    // Back to a fresh connection's state, buffers freed (a client that connects again).
    void reset();

    Role role() const { return m_role; }
    State state() const { return m_state; }
    qsizetype bufferedBytes() const { return m_partial.size() + m_message.size(); }

private:
    // Parses whole frames from data; returns how many bytes were consumed.
    qsizetype parseFrames(char *data, qsizetype size, Handler &handler);
    // Checks a frame header before its payload is there. False: reported and failed.
    bool checkHeader(quint8 b0, quint8 b1, quint64 length, Handler &handler);
    void dispatch(int opcode, bool fin, char *payload, qsizetype length, Handler &handler);
    void fail(quint16 code, const QString &reason, Handler &handler);

    qint64 m_maxFrameBytes;
    qint64 m_maxMessageBytes;
    Role m_role;
    State m_state = State::Open;
    int m_messageOpcode = -1; // of the fragmented message being assembled; -1: none
    QByteArray m_partial; // an unfinished frame
    QByteArray m_message; // the fragments so far
};

} // namespace GroupLoop
