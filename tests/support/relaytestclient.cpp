#include "relaytestclient.h"

#include "testcerts.h"

#include <QSslKey>

namespace GroupLoop::Testing {

bool overTls()
{
    return qEnvironmentVariableIntValue("GROUPLOOP_TEST_TLS") == 1;
}

bool connectSocket(QSslSocket &socket, quint16 port)
{
    // Event-loop waits, not waitFor*(): the relay under test runs in this thread.
    if (!overTls()) {
        socket.connectToHost(QHostAddress::LocalHost, port);
        return QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 3000);
    }
    socket.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    return QTest::qWaitFor([&] { return socket.isEncrypted(); }, 5000);
}

namespace {

// One certificate for the whole test program: making a key costs a few milliseconds.
QSslConfiguration testTlsConfiguration()
{
    static const QSslConfiguration configuration = [] {
        const TestCertificate certificate = makeSelfSigned();
        if (!certificate.isValid())
            qFatal("cannot make a test certificate");
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain({QSslCertificate(certificate.certPem)});
        tls.setPrivateKey(QSslKey(certificate.keyPem, QSsl::Ec));
        return tls;
    }();
    return configuration;
}

} // namespace

std::unique_ptr<RelayServer> startRelay(RelayConfig config, quint16 port)
{
    config.host = QHostAddress::LocalHost;
    config.port = port;
    if (overTls() && !config.tlsEnabled) {
        config.tlsEnabled = true;
        config.tlsPort = -1; // TLS instead of plain on the port
        config.tls = testTlsConfiguration();
    }
    auto relay = std::make_unique<RelayServer>(config);
    QString error;
    if (!relay->listen(&error))
        qFatal("relay did not start: %s", qPrintable(error));
    return relay;
}

QUrl relayUrl(const RelayServer &relay, const QString &path)
{
    const bool tls = relay.config().tlsEnabled && relay.tlsServerPort() == relay.serverPort();
    return QUrl(QStringLiteral("%1://127.0.0.1:%2%3")
                    .arg(tls ? QStringLiteral("wss") : QStringLiteral("ws"))
                    .arg(relay.serverPort())
                    .arg(path)); // path may hold ?query
}

TestClient::TestClient(QObject *parent)
    : QObject(parent)
{
    QSslConfiguration tls = socket.sslConfiguration(); // wss:// to a test certificate
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket.setSslConfiguration(tls);
    connect(&socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &m) { received.append(m); });
    connect(&socket, &QWebSocket::disconnected, this, [this] { closed = true; });
}

bool TestClient::open(const RelayServer &relay, const QString &path)
{
    return open(relayUrl(relay, path));
}

bool TestClient::open(const QUrl &url)
{
    socket.open(url);
    if (!QTest::qWaitFor([this] { return !received.isEmpty() || closed; }, 5000))
        return false;
    return !received.isEmpty() && received.takeFirst() == u"Connected to GroupLoop WebSocket server";
}

QString TestClient::next(int timeoutMs)
{
    if (!QTest::qWaitFor([this] { return !received.isEmpty(); }, timeoutMs))
        return QString();
    return received.takeFirst();
}

QString TestClient::request(const QString &text)
{
    send(text);
    return next();
}

void TestClient::sendAndSync(const QString &text)
{
    send(text);
    sync();
}

void TestClient::sync()
{
    const qsizetype before = received.size();
    send(QStringLiteral("ping"));
    if (QTest::qWaitFor([&] { return received.size() > before && received.constLast() == u"pong"; }, 3000))
        received.removeLast();
}

QStringList TestClient::frameLines()
{
    QStringList lines;
    for (const QString &m : std::as_const(received))
        lines += m.split(u'\n', Qt::SkipEmptyParts);
    return lines;
}

bool RawPeer::handshake(quint16 port, int receiveBuffer)
{
    if (receiveBuffer > 0) {
        // Stop reading once this much is buffered: the peer stalls like a frozen browser.
        socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, receiveBuffer);
        socket.setReadBufferSize(receiveBuffer);
    }
    if (!connectSocket(socket, port))
        return false;
    socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray head;
    if (!QTest::qWaitFor(
            [&] {
                head += socket.read(4096);
                return head.contains("\r\n\r\n");
            },
            3000))
        return false;
    m_in = head.mid(head.indexOf("\r\n\r\n") + 4); // the greeting may have come along
    return head.startsWith("HTTP/1.1 101");
}

QByteArray RawPeer::textFrame(const QByteArray &payload, bool fin, quint8 opcode)
{
    QByteArray frame;
    frame.append(char((fin ? 0x80 : 0x00) | opcode));
    const quint64 n = quint64(payload.size());
    if (n < 126) {
        frame.append(char(0x80 | n));
    } else if (n < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(n >> 8));
        frame.append(char(n & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((n >> shift) & 0xff));
    }
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    frame.append(mask, 4);
    for (quint64 i = 0; i < n; ++i)
        frame.append(char(payload[qsizetype(i)] ^ mask[i % 4]));
    return frame;
}

QByteArray RawPeer::frame(quint8 firstByte, const QByteArray &payload, bool masked)
{
    QByteArray out = textFrame(payload);
    out[0] = char(firstByte);
    if (!masked) {
        // Rebuild without the mask bit and key.
        QByteArray plain;
        plain.append(char(firstByte));
        const qsizetype headerLength = payload.size() < 126 ? 2 : (payload.size() < 65536 ? 4 : 10);
        QByteArray lengthBytes = out.mid(1, headerLength - 1);
        lengthBytes[0] = char(quint8(lengthBytes[0]) & 0x7f);
        plain.append(lengthBytes);
        plain.append(payload);
        return plain;
    }
    return out;
}

bool RawPeer::readFrame(ServerFrame *frame, int timeoutMs)
{
    return QTest::qWaitFor(
        [&] {
            m_in += socket.readAll();
            if (m_in.size() < 2)
                return false;
            const quint8 b0 = quint8(m_in[0]);
            const quint8 b1 = quint8(m_in[1]);
            qsizetype header = 2;
            quint64 length = b1 & 0x7f;
            if (length == 126) {
                if (m_in.size() < 4)
                    return false;
                length = quint64(quint8(m_in[2])) << 8 | quint8(m_in[3]);
                header = 4;
            } else if (length == 127) {
                if (m_in.size() < 10)
                    return false;
                length = 0;
                for (int i = 2; i < 10; ++i)
                    length = length << 8 | quint8(m_in[i]);
                header = 10;
            }
            if (quint64(m_in.size()) < header + length)
                return false;
            frame->fin = b0 & 0x80;
            frame->opcode = b0 & 0x0f;
            frame->payload = m_in.mid(header, qsizetype(length));
            m_in.remove(0, header + qsizetype(length));
            return true;
        },
        timeoutMs);
}

int RawPeer::readUntilClose(QStringList *texts, int timeoutMs)
{
    ServerFrame frame;
    while (readFrame(&frame, timeoutMs)) {
        if (frame.opcode == 0x8)
            return frame.payload.size() >= 2 ? (quint8(frame.payload[0]) << 8 | quint8(frame.payload[1]))
                                             : 1005;
        if (frame.opcode == 0x1 && texts)
            texts->append(QString::fromUtf8(frame.payload));
    }
    return socket.state() == QAbstractSocket::UnconnectedState ? -1 : 0;
}

} // namespace GroupLoop::Testing
