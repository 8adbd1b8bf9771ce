#include "websocketconnection.h"

#include "httpconnection.h"
#include "relaylogging.h"
#include "scratchbuffer.h"
#include "tlssession.h"
#include "websocketframe.h"

#include <QSocketNotifier>
#include <QTcpSocket>
#include <QTimerEvent>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace GroupLoop {

using namespace WebSocketRfc;

namespace {
constexpr qint64 ReadChunkBytes = 64 * 1024; // one read per readiness: a flood cannot hold the loop
// The thread's buffers for TLS (ScratchBuffer): plaintext of one read, records for the peer.
enum ScratchSlot { PlainSlot, WireSlot };
} // namespace

WebSocketConnection::WebSocketConnection(HttpConnection *connection, qint64 maxFrameBytes,
                                         qint64 maxMessageBytes, QObject *parent)
    : QObject(parent)
    , m_parser(WebSocketFrameParser::Role::Server, maxFrameBytes, maxMessageBytes)
    , m_peerAddress(connection->peerAddress())
    , m_peerPort(connection->peerPort())
    , m_localAddress(connection->localAddress())
{
    HttpConnection::Transport transport = connection->takeOver();
    connection->deleteLater();
    QTcpSocket *socket = transport.socket;
    m_tls = std::move(transport.tls);
    m_earlyPlain = std::move(transport.plain);
    // Every frame leaves at once: replies and fan-out batches are whole messages, and Nagle
    // would hold a reply while an earlier one is unacknowledged (40 ms on loopback).
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
#ifdef Q_OS_UNIX
    // Once the upgrade answer has gone out, keep the descriptor and drop QTcpSocket (its own
    // descriptor is closed, the connection stays open on ours), taking along what it has
    // already read.
    socket->flush();
    if (socket->bytesToWrite() == 0 && socket->state() == QAbstractSocket::ConnectedState) {
        m_fd = ::fcntl(int(socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0); // non-blocking like the original
        if (m_fd >= 0) {
            m_early = socket->readAll();
            socket->disconnect();
            socket->abort();
            socket->deleteLater(); // we may be inside its readyRead()
            return;
        }
    }
#endif
    m_socket = socket;
    socket->setParent(this);
}

WebSocketConnection::~WebSocketConnection()
{
    if (m_socket)
        m_socket->disconnect(this);
    releaseDescriptor();
}

void WebSocketConnection::releaseDescriptor()
{
    if (m_fd < 0)
        return;
#ifdef GROUPLOOP_HAVE_EPOLL
    // The watch first, so the event dispatcher forgets the descriptor before it is closed
    // (notifiers deleted later: this may run inside one of their activated() signals).
    if (EpollEventDispatcher *epoll = std::exchange(m_epoll, nullptr))
        epoll->unwatchDescriptor(m_fd);
#endif
    for (QSocketNotifier *notifier :
         {std::exchange(m_readNotifier, nullptr), std::exchange(m_writeNotifier, nullptr)}) {
        if (notifier) {
            notifier->setEnabled(false);
            notifier->deleteLater();
        }
    }
    ::close(m_fd);
    m_fd = -1;
    m_outbox = QByteArray();
}

QByteArray WebSocketConnection::upgradeResponse(QByteArrayView key)
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: "
        + acceptKey(key) + "\r\n\r\n";
}

void WebSocketConnection::start(QByteArray received)
{
    if (m_fd >= 0) {
#ifdef GROUPLOOP_HAVE_EPOLL
        m_epoll = EpollEventDispatcher::of(thread());
#endif
        watchDescriptor(false);
    } else {
        connect(m_socket, &QTcpSocket::readyRead, this, &WebSocketConnection::onReadyRead);
        connect(m_socket, &QTcpSocket::disconnected, this, &WebSocketConnection::finish);
    }
    received += std::exchange(m_earlyPlain, QByteArray());
    if (!received.isEmpty())
        m_parser.feed(received.data(), received.size(), *this);
    QByteArray early = std::exchange(m_early, QByteArray());
    if (!m_finished && !early.isEmpty())
        this->received(early.data(), early.size());
    if (m_finished)
        return;
    if (!isConnected())
        finish(); // the peer went away right after its request
    else if (m_socket && m_socket->bytesAvailable() > 0)
        onReadyRead();
}

bool WebSocketConnection::isConnected() const
{
    return m_fd >= 0 || (m_socket && m_socket->state() == QAbstractSocket::ConnectedState);
}

void WebSocketConnection::onReadyRead()
{
    char buffer[ReadChunkBytes];
    if (m_fd >= 0) {
        // One recv() per readiness: a flood cannot hold the loop (the notifier fires again; on
        // the edge-triggered epoll watch, a full buffer asks to be called again next pass).
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n > 0) {
#ifdef GROUPLOOP_HAVE_EPOLL
            if (n == ssize_t(sizeof buffer) && m_epoll)
                m_epoll->reportAgain(m_fd);
#endif
            received(buffer, n);
        } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            finish(); // end of stream or a reset
        return;
    }
    // QTcpSocket signals its bytes once; take them all.
    while (!m_finished && m_socket->bytesAvailable() > 0) {
        const qint64 n = m_socket->read(buffer, sizeof buffer);
        if (n <= 0)
            break;
        received(buffer, n);
    }
}

void WebSocketConnection::received(char *data, qint64 size)
{
    if (!m_tls) {
        m_parser.feed(data, size, *this); // ignores what comes after a close or an error
        return;
    }
    ScratchBuffer<PlainSlot> plain;
    {
        ScratchBuffer<WireSlot> reply; // alerts, the answer to close_notify
        const bool ok = m_tls->feed(QByteArrayView(data, size), plain.bytes(), reply.bytes());
        if (!reply.bytes().isEmpty())
            writeWire(reply.bytes().constData(), reply.bytes().size());
        if (!ok) {
            qCInfo(lcRelayAuth).noquote()
                << QStringLiteral("[TLS] %1: %2").arg(m_peerAddress.toString(), m_tls->errorString());
            abort();
            return;
        }
    }
    if (!plain.bytes().isEmpty())
        m_parser.feed(plain.bytes().data(), plain.bytes().size(), *this);
    if (!m_finished && m_tls->peerSentCloseNotify())
        finish(); // the peer's end of stream, as TLS says it (answered with ours)
}

bool WebSocketConnection::writeBytes(const char *data, qint64 size)
{
    if (!m_tls)
        return writeWire(data, size);
    // One frame, one record, one send(). After close_notify there is nothing left to send.
    ScratchBuffer<WireSlot> records;
    if (!m_tls->encrypt(QByteArrayView(data, size), records.bytes()))
        return m_tls->state() == TlsSession::State::Closed; // dropped, not dead
    return writeWire(records.bytes().constData(), records.bytes().size());
}

void WebSocketConnection::sendCloseNotify()
{
    if (!m_tls || !m_tls->isOpen())
        return;
    ScratchBuffer<WireSlot> closeNotify;
    m_tls->shutdown(closeNotify.bytes());
    writeWire(closeNotify.bytes().constData(), closeNotify.bytes().size());
}

bool WebSocketConnection::writeWire(const char *data, qint64 size)
{
    if (m_socket) {
        if (m_socket->write(data, size) < 0)
            return false;
        m_socket->flush(); // to the kernel in this pass, not at the next write notification
        if (!m_watchingWrites && m_socket->bytesToWrite() > 0) {
            // A slow reader: report when the rest goes (not on every write: a call per frame).
            m_watchingWrites = true;
            connect(m_socket, &QTcpSocket::bytesWritten, this, &WebSocketConnection::onBytesWritten);
        }
        return true;
    }
    qint64 sent = 0;
    if (m_outbox.isEmpty()) { // else keep the order: behind what is queued
        sent = ::send(m_fd, data, size_t(size), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                return false;
            sent = 0;
        }
    }
    if (sent < size) {
        m_outbox.append(data + sent, size - sent);
        watchDescriptor(true);
    }
    return true;
}

void WebSocketConnection::watchDescriptor(bool write)
{
#ifdef GROUPLOOP_HAVE_EPOLL
    if (m_epoll) {
        m_epoll->watchDescriptor(m_fd, this, true, write);
        return;
    }
#endif
    if (!m_readNotifier) {
        m_readNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
        connect(m_readNotifier, &QSocketNotifier::activated, this, &WebSocketConnection::onReadyRead);
    }
    if (write && !m_writeNotifier) {
        m_writeNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Write, this);
        connect(m_writeNotifier, &QSocketNotifier::activated, this, &WebSocketConnection::flushOutbox);
    } else if (!write && m_writeNotifier) {
        m_writeNotifier->setEnabled(false);
        m_writeNotifier->deleteLater(); // we may be inside its activated()
        m_writeNotifier = nullptr;
    }
}

#ifdef GROUPLOOP_HAVE_EPOLL
void WebSocketConnection::descriptorReady(int, bool readable, bool writable)
{
    if (readable)
        onReadyRead();
    if (writable && m_fd >= 0 && !m_outbox.isEmpty())
        flushOutbox();
}
#endif

void WebSocketConnection::flushOutbox()
{
    const ssize_t sent
        = ::send(m_fd, m_outbox.constData(), size_t(m_outbox.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            abort();
        return;
    }
    if (sent == m_outbox.size()) {
        m_outbox = QByteArray(); // frees it
        watchDescriptor(false);
    } else {
        m_outbox.remove(0, sent);
    }
    if (m_closeWhenDrained && m_outbox.isEmpty()) {
        closeTransport();
        return;
    }
    Q_EMIT bytesWritten();
}

void WebSocketConnection::onBytesWritten()
{
    if (m_socket->bytesToWrite() == 0) {
        m_watchingWrites = false;
        disconnect(m_socket, &QTcpSocket::bytesWritten, this, &WebSocketConnection::onBytesWritten);
    }
    Q_EMIT bytesWritten();
}

qint64 WebSocketConnection::writeFrame(int opcode, QByteArrayView payload)
{
    if (m_finished || !isConnected())
        return -1;
    // Header and payload in one buffer, so the frame is one write(): one syscall, one segment.
    // The buffer is the thread's, reused: nothing is allocated per frame or kept per connection.
    thread_local std::vector<char> frame;
    frame.resize(size_t(WebSocketFrame::size(payload.size(), false)));
    const qsizetype size = WebSocketFrame::write(frame.data(), opcode, payload, std::nullopt);
    if (!writeBytes(frame.data(), size)) {
        // A dead connection shows here first; end it from the event loop, not from inside the
        // caller's loop over connections.
        QMetaObject::invokeMethod(this, &WebSocketConnection::abort, Qt::QueuedConnection);
        return -1;
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
        writeFrame(OpClose, WebSocketFrame::closePayload(code, reason.toUtf8()));
    }
    if (m_parser.state() == WebSocketFrameParser::State::Closed)
        closeTransport(); // the handshake is complete: the server closes TCP
    else
        endOfStreamAfterClose();
    if (!m_finished && !m_closeTimer.isActive())
        m_closeTimer.start(CloseGraceMs, this); // queued bytes that never drain, a peer that never answers
}

void WebSocketConnection::closeTransport()
{
    sendCloseNotify();
    if (m_socket) {
        m_socket->disconnectFromHost(); // after the buffered bytes; disconnected() follows
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            finish();
    } else if (m_outbox.isEmpty()) {
        finish();
    } else {
        m_closeWhenDrained = true;
    }
}

void WebSocketConnection::endOfStreamAfterClose()
{
    // Wait for the peer's close frame, reading (and ignoring) what it still sends, so the
    // socket is not closed with unread input (the kernel would answer with a reset that can
    // destroy the close frame on its way). A plain socket says end-of-stream at once, as the
    // close of Qt WebSockets did, unless a slow reader still has frames queued before it; TLS
    // says it with close_notify first (the peer's close frame can still come: TLS 1.3 closes
    // each direction on its own, and a TLS 1.2 peer answers the close frame before it).
    sendCloseNotify();
    if (m_socket)
        m_socket->disconnectFromHost(); // Qt closes after the buffered bytes
    else if (m_outbox.isEmpty())
        ::shutdown(m_fd, SHUT_WR);
}

void WebSocketConnection::abort()
{
    if (m_finished)
        return;
    if (m_socket)
        m_socket->abort();
    finish();
}

qint64 WebSocketConnection::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() : m_outbox.size();
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
    releaseDescriptor(); // plain: closes TCP
    Q_EMIT disconnected();
}

void WebSocketConnection::onMessage(QByteArrayView payload, bool text)
{
    if (m_closeSent)
        return; // after our close frame, only the peer's close matters
    if (text) {
        if (m_onText)
            m_onText(payload);
    } else
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
    if (code == CloseNoStatus)
        code = CloseNormal;
    close(code, QString::fromUtf8(reason));
}

void WebSocketConnection::onError(quint16 code, const QString &reason)
{
    close(code, reason);
}

} // namespace GroupLoop
