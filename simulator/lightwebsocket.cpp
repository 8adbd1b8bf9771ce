#include "lightwebsocket.h"

#include "websocketframe.h"

#include <QHostAddress>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimerEvent>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace GroupLoop {

using namespace WebSocketRfc;

namespace {

constexpr int MaxHandshakeBytes = 8 * 1024;
constexpr int CloseTimeoutMs = 2000;
constexpr qint64 DefaultMaxMessageBytes = 1024 * 1024;

// Header value of `name` (case-insensitive) in an HTTP response head, trimmed.
QByteArray headerValue(const QList<QByteArray> &lines, QByteArrayView name)
{
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

} // namespace

LightWebSocket::LightWebSocket(QObject *parent)
    : QObject(parent)
    , m_parser(WebSocketFrameParser::Role::Client, DefaultMaxMessageBytes, DefaultMaxMessageBytes)
    , m_maskState(QRandomGenerator::global()->generate64() | 1)
{
}

void LightWebSocket::setMaxMessageBytes(qint64 bytes)
{
    m_parser = WebSocketFrameParser(WebSocketFrameParser::Role::Client, bytes, bytes);
}

LightWebSocket::~LightWebSocket()
{
    if (m_socket)
        m_socket->disconnect(this);
}

bool LightWebSocket::isSupportedUrl(const QUrl &url, QString *error)
{
    auto reject = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!url.isValid())
        return reject(QStringLiteral("invalid URL: ") + url.errorString());
    if (url.scheme() != u"ws")
        return reject(QStringLiteral("unsupported scheme \"") + url.scheme()
                      + QStringLiteral("\" (only ws:// is supported)"));
    if (url.host().isEmpty())
        return reject(QStringLiteral("URL has no host: ") + url.toDisplayString());
    return true;
}

void LightWebSocket::open(const QUrl &url)
{
    if (m_state != State::Unconnected)
        abort();
    m_url = url;
    m_in.clear();
    m_closeReason.clear();
    m_peerCloseCode = 0;
    m_attemptActive = true;
    QString error;
    if (!isSupportedUrl(url, &error)) {
        finish(error);
        return;
    }
    if (!m_socket) {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &LightWebSocket::onTcpConnected);
        connect(m_socket, &QTcpSocket::readyRead, this, &LightWebSocket::onReadyRead);
        connect(m_socket, &QTcpSocket::disconnected, this, &LightWebSocket::onTcpDisconnected);
        connect(m_socket, &QTcpSocket::errorOccurred, this, &LightWebSocket::onTcpError);
    }
    m_state = State::Connecting;
    m_timeout.start(m_handshakeTimeoutMs, this);
    m_socket->connectToHost(url.host(), quint16(url.port(80)), QIODevice::ReadWrite | QIODevice::Unbuffered);
}

void LightWebSocket::onTcpConnected()
{
    m_fd = int(m_socket->socketDescriptor());
    m_qtQueued = false;
    m_parser.reset(); // here, not in open(): open() may be called from inside the parser's handler
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, m_noDelay ? 1 : 0);
    std::array<quint32, 4> nonce;
    QRandomGenerator::global()->fillRange(nonce.data(), nonce.size());
    m_key = QByteArray(reinterpret_cast<const char *>(nonce.data()), 16).toBase64();

    QByteArray host = m_url.host(QUrl::FullyEncoded).toLatin1();
    if (QHostAddress(m_url.host()).protocol() == QAbstractSocket::IPv6Protocol)
        host = '[' + host + ']';
    if (m_url.port() != -1)
        host += ':' + QByteArray::number(m_url.port());
    QByteArray path = m_url.path(QUrl::FullyEncoded).toLatin1();
    if (path.isEmpty())
        path = "/";
    if (m_url.hasQuery())
        path += '?' + m_url.query(QUrl::FullyEncoded).toLatin1();

    const QByteArray request = "GET " + path + " HTTP/1.1\r\nHost: " + host
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + m_key
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    m_state = State::Handshaking;
    m_socket->write(request);
    m_qtQueued = m_socket->bytesToWrite() > 0; // frames must not overtake a queued request tail
}

void LightWebSocket::onReadyRead()
{
    QByteArray data = m_socket->readAll();
    // An unbuffered QTcpSocket that reads end-of-stream drops to unconnected without
    // emitting disconnected(): that is where a vanished peer shows up. Parse what came first.
    const bool peerGone = m_socket->state() != QAbstractSocket::ConnectedState;
    if (m_state == State::Handshaking) {
        m_in += data;
        data = readHandshake() ? std::exchange(m_in, QByteArray()) : QByteArray();
    }
    if (!data.isEmpty() && (m_state == State::Open || m_state == State::Closing))
        m_parser.feed(data.data(), data.size(), *this);
    if (peerGone && m_state != State::Unconnected) {
        if (m_closeReason.isEmpty())
            m_closeReason = QStringLiteral("connection closed by peer");
        finish(m_closeReason);
    }
}

bool LightWebSocket::readHandshake()
{
    const qsizetype end = m_in.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_in.size() > MaxHandshakeBytes)
            abort(QStringLiteral("handshake failed: response head too large"));
        return false;
    }
    const QList<QByteArray> lines = m_in.left(end).split('\n');
    m_in.remove(0, end + 4);
    const QList<QByteArray> status = lines.value(0).trimmed().split(' ');
    if (status.size() < 2 || !status[0].startsWith("HTTP/1.") || status[1] != "101") {
        abort(QStringLiteral("handshake failed: server answered \"")
              + QString::fromLatin1(lines.value(0).trimmed()) + QLatin1Char('"'));
        return false;
    }
    if (headerValue(lines, "Upgrade").compare("websocket", Qt::CaseInsensitive) != 0
        || !headerValue(lines, "Connection").toLower().contains("upgrade")) {
        abort(QStringLiteral("handshake failed: missing Upgrade/Connection headers"));
        return false;
    }
    if (headerValue(lines, "Sec-WebSocket-Accept") != acceptKey(m_key)) {
        abort(QStringLiteral("handshake failed: wrong Sec-WebSocket-Accept"));
        return false;
    }
    m_timeout.stop();
    m_state = State::Open;
    Q_EMIT connected();
    return m_state == State::Open;
}

void LightWebSocket::onMessage(QByteArrayView payload, bool text)
{
    // Binary messages mean nothing to a GroupLoop device: ignored, like the firmware does.
    if (text && m_state == State::Open)
        Q_EMIT textReceived(payload.toByteArray());
}

void LightWebSocket::onPing(QByteArrayView payload)
{
    if (m_state == State::Open)
        sendFrame(OpPong, payload);
}

void LightWebSocket::onPong(QByteArrayView payload)
{
    Q_EMIT pongReceived(payload.toByteArray());
}

void LightWebSocket::onClose(quint16 code, QByteArrayView reason)
{
    m_peerCloseCode = code == CloseNoStatus ? 0 : code;
    if (m_closeReason.isEmpty()) {
        m_closeReason = QStringLiteral("closed by server (code ") + QString::number(m_peerCloseCode)
            + (reason.isEmpty() ? QString() : QStringLiteral(": ") + QString::fromUtf8(reason))
            + QLatin1Char(')');
    }
    if (m_state == State::Open) // echo the code, as RFC 6455 5.5.1 asks
        sendFrame(OpClose, code == CloseNoStatus ? QByteArray() : WebSocketFrame::closePayload(code, {}));
    m_state = State::Closing;
    m_timeout.start(CloseTimeoutMs, this);
    m_socket->disconnectFromHost();
}

void LightWebSocket::onError(quint16 code, const QString &reason)
{
    fail(code, QStringLiteral("protocol error: ") + reason);
}

bool LightWebSocket::sendText(QByteArrayView utf8)
{
    return m_state == State::Open && sendFrame(OpText, utf8);
}

bool LightWebSocket::sendPing(QByteArrayView payload)
{
    return m_state == State::Open && payload.size() <= MaxControlPayload && sendFrame(OpPing, payload);
}

bool LightWebSocket::sendFrame(int opcode, QByteArrayView payload)
{
    // Build the whole frame in one buffer so it leaves in one write().
    constexpr qsizetype Inline = 256;
    std::array<char, Inline> stack;
    QByteArray heap;
    const qsizetype total = WebSocketFrame::size(payload.size(), true);
    char *out = stack.data();
    if (total > Inline) {
        heap.resize(total);
        out = heap.data();
    }
    WebSocketFrame::write(out, opcode, payload, nextMask());
#ifdef Q_OS_UNIX
    // Fast path: straight to the kernel when nothing is queued ahead of this frame. Saves the
    // QIODevice layers on the hot path (100,000 frames per second in the benchmark).
    if (m_qtQueued && m_socket->bytesToWrite() == 0)
        m_qtQueued = false; // Qt has flushed what it held
    // Only while Qt still owns this very descriptor: once it has closed it, the number may
    // already belong to another connection.
    if (!m_qtQueued && m_fd >= 0 && m_socket->socketDescriptor() == m_fd) {
        const ssize_t sent = ::send(m_fd, out, size_t(total), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent == total)
            return true;
        if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            abort(QStringLiteral("write failed: ") + QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
        const qsizetype done = sent > 0 ? qsizetype(sent) : 0; // the rest queues in Qt
        m_qtQueued = true;
        if (m_socket->write(out + done, total - done) == total - done)
            return true;
        abort(QStringLiteral("write failed: ") + m_socket->errorString());
        return false;
    }
#endif
    if (m_socket->write(out, total) == total)
        return true;
    // Unbuffered writes report a dead connection only through the return value.
    abort(QStringLiteral("write failed: ") + m_socket->errorString());
    return false;
}

quint32 LightWebSocket::nextMask()
{
    // xorshift64*: masking only has to defeat proxy cache poisoning, not be cryptographic,
    // and it must stay cheap at 100,000 frames per second.
    m_maskState ^= m_maskState >> 12;
    m_maskState ^= m_maskState << 25;
    m_maskState ^= m_maskState >> 27;
    return quint32((m_maskState * 0x2545F4914F6CDD1DULL) >> 32);
}

void LightWebSocket::close(quint16 code, QByteArrayView reason)
{
    if (m_state != State::Open) {
        if (m_state == State::Connecting || m_state == State::Handshaking)
            abort(QStringLiteral("closed before the handshake completed"));
        return;
    }
    m_closeReason = QStringLiteral("closed (code ") + QString::number(code) + QLatin1Char(')');
    sendFrame(OpClose, WebSocketFrame::closePayload(code, reason));
    m_state = State::Closing;
    m_timeout.start(CloseTimeoutMs, this);
}

void LightWebSocket::fail(quint16 code, const QString &reason)
{
    if (m_state == State::Open)
        sendFrame(OpClose, WebSocketFrame::closePayload(code, {}));
    abort(reason);
}

void LightWebSocket::abort(const QString &reason)
{
    if (m_state == State::Unconnected)
        return;
    if (m_closeReason.isEmpty())
        m_closeReason = reason;
    finish(m_closeReason);
}

qint64 LightWebSocket::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void LightWebSocket::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timeout.timerId())
        return QObject::timerEvent(event);
    m_timeout.stop();
    if (m_state == State::Closing)
        abort(QStringLiteral("close handshake timed out"));
    else if (m_state == State::Connecting || m_state == State::Handshaking)
        abort(QStringLiteral("connection timed out"));
}

void LightWebSocket::onTcpDisconnected()
{
    if (m_state == State::Unconnected)
        return; // we dropped it ourselves in finish()
    if (m_closeReason.isEmpty())
        m_closeReason = QStringLiteral("connection closed by peer");
    finish(m_closeReason);
}

void LightWebSocket::onTcpError()
{
    m_fd = -1; // after any socket error, writes go through Qt, which knows the socket's state
    if (m_state == State::Unconnected)
        return;
    if (m_socket->error() == QAbstractSocket::RemoteHostClosedError && m_state == State::Closing)
        return; // the expected end of a close handshake; disconnected() follows
    if (m_closeReason.isEmpty())
        m_closeReason = m_socket->errorString();
    const auto tcpState = m_socket->state();
    if (tcpState != QAbstractSocket::ConnectedState && tcpState != QAbstractSocket::ClosingState)
        finish(m_closeReason);
}

void LightWebSocket::finish(const QString &reason)
{
    m_fd = -1;
    m_parser.stop(); // a handler that ends the connection ends the parsing too
    m_state = State::Unconnected;
    m_timeout.stop();
    if (m_socket && m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    if (!std::exchange(m_attemptActive, false))
        return; // disconnected() already reported for this attempt
    Q_EMIT disconnected(reason);
}

} // namespace GroupLoop
