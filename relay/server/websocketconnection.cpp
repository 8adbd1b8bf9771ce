#include "websocketconnection.h"

#include <QTcpSocket>
#include <QTimerEvent>

#include <cstring>
#include <vector>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace GroupLoop {

namespace {
constexpr int OpText = 0x1;
constexpr int OpClose = 0x8;
constexpr int OpPing = 0x9;
constexpr int OpPong = 0xa;
constexpr qint64 ReadChunkBytes = 64 * 1024; // one read per readiness: a flood cannot hold the loop
constexpr int MaxCloseReasonBytes = 123; // a control frame's 125 bytes minus the code
} // namespace

WebSocketConnection::WebSocketConnection(QTcpSocket *socket, qint64 maxFrameBytes, qint64 maxMessageBytes,
                                         QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_parser(maxFrameBytes, maxMessageBytes)
    , m_peerAddress(socket->peerAddress())
    , m_peerPort(socket->peerPort())
    , m_unbuffered(socket->openMode().testFlag(QIODevice::Unbuffered))
{
    socket->setParent(this);
}

WebSocketConnection::~WebSocketConnection()
{
    m_socket->disconnect(this);
}

QByteArray WebSocketConnection::upgradeResponse(QByteArrayView key)
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: "
        + WebSocketFrameParser::acceptKey(key) + "\r\n\r\n";
}

void WebSocketConnection::start(QByteArray received)
{
    connect(m_socket, &QTcpSocket::readyRead, this, &WebSocketConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &WebSocketConnection::finish);
    if (!received.isEmpty())
        m_parser.feed(received.data(), received.size(), *this);
    if (m_finished)
        return;
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        finish(); // the peer went away right after its request
    else if (!m_unbuffered && m_socket->bytesAvailable() > 0)
        onReadyRead();
}

void WebSocketConnection::onReadyRead()
{
    char buffer[ReadChunkBytes];
    qint64 n = 0;
    do {
        n = m_socket->read(buffer, sizeof buffer);
        if (n > 0)
            m_parser.feed(buffer, n, *this); // ignores what comes after a close or an error
    } while (n > 0 && !m_finished && !m_unbuffered && m_socket->bytesAvailable() > 0);
    // An unbuffered QTcpSocket that reads end-of-stream drops to unconnected without emitting
    // disconnected(): that is where a vanished peer shows up.
    if (!m_finished && m_socket->state() == QAbstractSocket::UnconnectedState)
        finish();
}

qint64 WebSocketConnection::writeFrame(int opcode, QByteArrayView payload)
{
    if (m_finished || m_socket->state() != QAbstractSocket::ConnectedState)
        return -1;
    // Header and payload in one buffer, so the frame is one write(): one syscall, one segment.
    // The buffer is the thread's, reused: nothing is allocated per frame or kept per connection.
    thread_local std::vector<char> frame;
    const auto size = quint64(payload.size());
    frame.resize(10 + size_t(size));
    char *out = frame.data();
    *out++ = char(0x80 | opcode);
    if (size < 126) {
        *out++ = char(size);
    } else if (size < 65536) {
        *out++ = char(126);
        *out++ = char(size >> 8);
        *out++ = char(size & 0xff);
    } else {
        *out++ = char(127);
        for (int shift = 56; shift >= 0; shift -= 8)
            *out++ = char((size >> shift) & 0xff);
    }
    if (size > 0)
        std::memcpy(out, payload.data(), size_t(size));
    out += size;
    if (m_socket->write(frame.data(), out - frame.data()) < 0) {
        // Unbuffered writes report a dead connection only here; end it from the event loop,
        // not from inside the caller's loop over connections.
        QMetaObject::invokeMethod(this, &WebSocketConnection::abort, Qt::QueuedConnection);
        return -1;
    }
    if (!m_unbuffered)
        m_socket->flush(); // to the kernel in this pass, not at the next write notification
    if (!m_watchingWrites && m_socket->bytesToWrite() > 0) {
        // The kernel did not take it all (a slow reader): report when the rest goes. Only then:
        // QTcpSocket signals every direct write too, which would cost a call per frame.
        m_watchingWrites = true;
        connect(m_socket, &QTcpSocket::bytesWritten, this, &WebSocketConnection::onBytesWritten);
    }
    return payload.size();
}

qint64 WebSocketConnection::sendText(QByteArrayView utf8)
{
    return m_closeSent ? -1 : writeFrame(OpText, utf8);
}

void WebSocketConnection::ping()
{
    if (!m_closeSent)
        writeFrame(OpPing, {});
}

void WebSocketConnection::close(quint16 code, const QString &reason)
{
    if (m_finished)
        return;
    if (!m_closeSent) {
        m_closeSent = true;
        m_closeCode = code;
        m_closeReason = reason;
        QByteArray payload = reason.toUtf8();
        if (payload.size() > MaxCloseReasonBytes)
            payload.truncate(MaxCloseReasonBytes);
        payload.prepend(char(code & 0xff));
        payload.prepend(char(code >> 8));
        writeFrame(OpClose, payload);
    }
    if (m_parser.state() == WebSocketFrameParser::State::Closed) {
        m_socket->disconnectFromHost(); // the handshake is complete: the server closes TCP
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            finish();
    } else {
        endOfStreamAfterClose();
    }
    if (!m_finished && !m_closeTimer.isActive())
        m_closeTimer.start(CloseGraceMs, this); // queued bytes that never drain, a peer that never answers
}

void WebSocketConnection::endOfStreamAfterClose()
{
    // Wait for the peer's close frame, reading (and ignoring) what it still sends, so the
    // socket is not closed with unread input (the kernel would answer with a reset that can
    // destroy the close frame on its way). Plain sockets say end-of-stream at once, like the
    // close Qt WebSockets did, unless a slow reader still has frames queued before it.
#ifdef Q_OS_UNIX
    if (m_unbuffered && m_socket->bytesToWrite() == 0)
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
#endif
    if (!m_unbuffered)
        m_socket->disconnectFromHost(); // TLS: Qt closes after the buffered bytes
}

void WebSocketConnection::abort()
{
    if (m_finished)
        return;
    m_socket->abort();
    finish();
}

void WebSocketConnection::onBytesWritten()
{
    if (m_socket->bytesToWrite() == 0) {
        m_watchingWrites = false;
        disconnect(m_socket, &QTcpSocket::bytesWritten, this, &WebSocketConnection::onBytesWritten);
    }
    Q_EMIT bytesWritten();
}

qint64 WebSocketConnection::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

void WebSocketConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_closeTimer.timerId())
        abort(); // a peer that neither answers the close nor lets the socket drain
    else
        QObject::timerEvent(event);
}

void WebSocketConnection::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_closeTimer.stop();
    m_parser.stop();
    Q_EMIT disconnected();
}

void WebSocketConnection::onMessage(QByteArrayView payload, bool text)
{
    if (m_closeSent)
        return; // after our close frame, only the peer's close matters
    if (text)
        Q_EMIT textReceived(payload);
    else
        Q_EMIT binaryReceived(payload.size());
}

void WebSocketConnection::onPing(QByteArrayView payload)
{
    if (!m_closeSent)
        writeFrame(OpPong, payload);
}

void WebSocketConnection::onPong(QByteArrayView)
{
    Q_EMIT pongReceived();
}

void WebSocketConnection::onClose(quint16 code, QByteArrayView reason)
{
    // Echo the peer's code (1000 for a close without one), then close TCP.
    if (code == WebSocketFrameParser::CloseNoStatus)
        code = WebSocketFrameParser::CloseNormal;
    close(code, QString::fromUtf8(reason));
}

void WebSocketConnection::onError(quint16 code, const QString &reason)
{
    close(code, reason);
}

} // namespace GroupLoop
