#include "lightwebsocket.h"

#include "scratchbuffer.h"
#include "tlscontext.h"
#include "tlssession.h"
#include "websocketclienthandshake.h"
#include "websocketframe.h"

#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimerEvent>

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

constexpr int CloseTimeoutMs = 2000;
constexpr qint64 DefaultMaxMessageBytes = 1024 * 1024;

// ScratchBuffer slots: what a read decrypts to, what TLS answers, what a send encrypts to.
enum ScratchSlot { PlainSlot, ReplySlot, SendSlot };

// For wss:// sockets that were given no context: the system's CAs, one context per process.
std::shared_ptr<const TlsContext> systemTrust(QString *error)
{
    static const std::pair<std::shared_ptr<const TlsContext>, QString> trust = [] {
        QString why;
        std::shared_ptr<const TlsContext> context = TlsContext::client({}, &why);
        return std::pair {context, why};
    }();
    *error = trust.second;
    return trust.first;
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

void LightWebSocket::setTlsContext(std::shared_ptr<const TlsContext> context)
{
    m_tlsContext = std::move(context);
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
    if (url.scheme() != u"ws" && url.scheme() != u"wss")
        return reject(QStringLiteral("unsupported scheme \"") + url.scheme()
                      + QStringLiteral("\" (ws:// or wss:// only)"));
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
    if (!m_token.isEmpty() && !WebSocketClientHandshake::isValidBearerToken(m_token)) {
        finish(QStringLiteral("the token must be printable ASCII without spaces"));
        return;
    }
    const bool secure = url.scheme() == u"wss";
    if (secure && !m_tlsContext && !(m_tlsContext = systemTrust(&error))) {
        finish(QStringLiteral("TLS: ") + error);
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
    m_socket->connectToHost(url.host(), quint16(url.port(secure ? 443 : 80)),
                            QIODevice::ReadWrite | QIODevice::Unbuffered);
}

void LightWebSocket::onTcpConnected()
{
    m_fd = int(m_socket->socketDescriptor());
    m_qtQueued = false;
    m_parser.reset(); // here, not in open(): open() may be called from inside the parser's handler
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, m_noDelay ? 1 : 0);
    m_state = State::Handshaking;
    if (m_url.scheme() != u"wss") {
        sendUpgradeRequest();
        return;
    }
    // TLS first; the upgrade request goes once it is up (decrypt()).
    m_tls = std::make_unique<TlsSession>(*m_tlsContext, m_url.host(QUrl::FullyEncoded));
    ScratchBuffer<ReplySlot> hello;
    const bool started = m_tls->start(hello.bytes());
    if (!writeWire(hello.bytes().constData(), hello.bytes().size()))
        return;
    if (!started)
        abort(m_tls->errorString());
}

void LightWebSocket::sendUpgradeRequest()
{
    m_key = WebSocketClientHandshake::newKey();
    sendBytes(WebSocketClientHandshake::request(m_url, m_key, m_token));
}

void LightWebSocket::onReadyRead()
{
    QByteArray data = m_socket->readAll();
    // An unbuffered QTcpSocket that reads end-of-stream drops to unconnected without
    // emitting disconnected(): that is where a vanished peer shows up. Parse what came first.
    const bool peerGone = m_socket->state() != QAbstractSocket::ConnectedState;
    if (m_tls) {
        ScratchBuffer<PlainSlot> plain;
        if (decrypt(data, plain.bytes()))
            receive(plain.bytes());
    } else {
        receive(data);
    }
    const bool tlsClosed = m_tls && m_tls->peerSentCloseNotify();
    if ((peerGone || tlsClosed) && m_state != State::Unconnected) {
        if (m_closeReason.isEmpty())
            m_closeReason = peerClosedReason();
        finish(m_closeReason);
    }
}

bool LightWebSocket::decrypt(const QByteArray &cipher, QByteArray &plain)
{
    const bool handshaking = m_tls->state() == TlsSession::State::Handshaking;
    ScratchBuffer<ReplySlot> reply; // handshake messages, alerts, the answer to close_notify
    const bool ok = m_tls->feed(cipher, plain, reply.bytes());
    const QString error = m_tls->errorString();
    // A peer that sent close_notify and its end of stream in one go (the relay after an HTTP
    // refusal or a close frame) gets no answer: writing it would fail and hide what it said.
    const bool peerGone = m_socket->state() != QAbstractSocket::ConnectedState;
    if (!peerGone && !writeWire(reply.bytes().constData(), reply.bytes().size()))
        return false; // aborted
    if (!ok) {
        abort(error);
        return false;
    }
    if (handshaking && m_tls->isOpen())
        sendUpgradeRequest();
    return m_state != State::Unconnected;
}

void LightWebSocket::receive(QByteArray &data)
{
    if (m_state == State::Handshaking && !data.isEmpty()) {
        m_in += data;
        data.resize(0);
        if (readHandshake())
            data = std::exchange(m_in, QByteArray()); // frames right behind the answer
    }
    if (!data.isEmpty() && (m_state == State::Open || m_state == State::Closing))
        m_parser.feed(data.data(), data.size(), *this);
}

bool LightWebSocket::readHandshake()
{
    const qsizetype end = m_in.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_in.size() > WebSocketClientHandshake::MaxResponseHeadBytes)
            abort(QStringLiteral("handshake failed: response head too large"));
        return false;
    }
    const QString problem = WebSocketClientHandshake::checkResponse(QByteArrayView(m_in).first(end), m_key);
    if (!problem.isEmpty()) {
        abort(QStringLiteral("handshake failed: ") + problem);
        return false;
    }
    m_in.remove(0, end + 4);
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
    endTls();
    m_socket->disconnectFromHost();
}

void LightWebSocket::endTls()
{
    if (!m_tls || !m_tls->isOpen())
        return;
    ScratchBuffer<ReplySlot> closeNotify;
    m_tls->shutdown(closeNotify.bytes());
    writeWire(closeNotify.bytes().constData(), closeNotify.bytes().size());
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
    // Build the whole frame in one buffer so it leaves in one write() (one TLS record).
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
    return sendBytes(QByteArrayView(out, total));
}

bool LightWebSocket::sendBytes(QByteArrayView bytes)
{
    if (!m_tls)
        return writeWire(bytes.data(), bytes.size());
    ScratchBuffer<SendSlot> records;
    if (!m_tls->encrypt(bytes, records.bytes())) {
        const QString error = m_tls->errorString();
        abort(error.isEmpty() ? QStringLiteral("TLS: the connection is closing") : error);
        return false;
    }
    return writeWire(records.bytes().constData(), records.bytes().size());
}

bool LightWebSocket::writeWire(const char *out, qsizetype total)
{
    if (total == 0)
        return true;
#ifdef Q_OS_UNIX
    // Fast path: straight to the kernel when nothing is queued ahead of these bytes. Saves the
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
    if (m_socket->write(out, total) == total) {
        m_qtQueued = m_socket->bytesToWrite() > 0; // later bytes must not overtake these
        return true;
    }
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
        abort(tlsHandshaking() ? QStringLiteral("TLS handshake timed out (is it a plain ws:// port?)")
                               : QStringLiteral("connection timed out"));
}

bool LightWebSocket::tlsHandshaking() const
{
    return m_tls && m_tls->state() == TlsSession::State::Handshaking;
}

QString LightWebSocket::peerClosedReason() const
{
    if (tlsHandshaking()) // a plain server that gave up on the ClientHello
        return QStringLiteral(
            "TLS handshake failed: the server closed the connection (is it a plain ws:// port?)");
    return QStringLiteral("connection closed by peer");
}

void LightWebSocket::onTcpDisconnected()
{
    if (m_state == State::Unconnected)
        return; // we dropped it ourselves in finish()
    if (m_closeReason.isEmpty())
        m_closeReason = peerClosedReason();
    finish(m_closeReason);
}

void LightWebSocket::onTcpError()
{
    m_fd = -1; // after any socket error, writes go through Qt, which knows the socket's state
    if (m_state == State::Unconnected)
        return;
    if (m_socket->error() == QAbstractSocket::RemoteHostClosedError && m_state == State::Closing)
        return; // the expected end of a close handshake; disconnected() follows
    if (m_closeReason.isEmpty()) {
        m_closeReason = m_socket->error() == QAbstractSocket::RemoteHostClosedError ? peerClosedReason()
                                                                                    : m_socket->errorString();
    }
    const auto tcpState = m_socket->state();
    if (tcpState != QAbstractSocket::ConnectedState && tcpState != QAbstractSocket::ClosingState)
        finish(m_closeReason);
}

void LightWebSocket::finish(const QString &reason)
{
    m_fd = -1;
    m_tls.reset(); // a session's memory goes with its connection
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
