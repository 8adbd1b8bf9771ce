// LightWebSocket against real servers: QWebSocketServer for the happy paths (it insists on
// masked client frames, so delivery proves the masking), a raw QTcpServer for the bytes.
#include "lightwebsocket.h"

#include <QCryptographicHash>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace GroupLoop;

namespace {

QUrl urlFor(quint16 port, const QString &path = u"/"_qs)
{
    return QUrl(QStringLiteral("ws://127.0.0.1:") + QString::number(port) + path);
}

// A QWebSocketServer that keeps its connections and what they received.
struct EchoServer
{
    QWebSocketServer server {u"test"_qs, QWebSocketServer::NonSecureMode};
    QList<QWebSocket *> clients;
    QStringList received;
    QList<QUrl> requestUrls;

    EchoServer()
    {
        QObject::connect(&server, &QWebSocketServer::newConnection, &server, [this] {
            while (QWebSocket *socket = server.nextPendingConnection()) {
                socket->setParent(&server); // ours to delete: LeakSanitizer found them leaked
                clients << socket;
                requestUrls << socket->requestUrl();
                QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                                 [this](const QString &text) { received << text; });
            }
        });
    }
    bool listen() { return server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return server.serverPort(); }
};

QByteArray acceptFor(const QByteArray &key)
{
    const QByteArray input = key + QByteArrayLiteral("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    return QCryptographicHash::hash(input, QCryptographicHash::Sha1).toBase64();
}

// A raw TCP peer that reads the handshake and answers what the test tells it to.
struct RawServer
{
    QTcpServer server;
    QTcpSocket *peer = nullptr;
    QByteArray request;

    bool listen() { return server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return server.serverPort(); }
    // Event-driven waits: the client under test lives in this same thread.
    bool waitForRequest()
    {
        if (!QTest::qWaitFor([this] { return server.hasPendingConnections(); }, 5000))
            return false;
        peer = server.nextPendingConnection();
        return QTest::qWaitFor(
            [this] {
                request += peer->readAll();
                return request.contains("\r\n\r\n");
            },
            5000);
    }
    QByteArray key() const
    {
        for (const QByteArray &line : request.split('\n')) {
            if (line.toLower().startsWith("sec-websocket-key:"))
                return line.mid(18).trimmed();
        }
        return {};
    }
    void accept(const QByteArray &extra = {})
    {
        peer->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Accept: "
                    + acceptFor(key()) + "\r\n\r\n" + extra);
        peer->flush();
    }
    QByteArray readBytes(int count)
    {
        QByteArray out;
        // A timeout returns what came; callers compare it with what they expected.
        [[maybe_unused]] const bool complete = QTest::qWaitFor(
            [&] {
                out += peer->read(count - out.size());
                return out.size() >= count;
            },
            5000);
        return out;
    }
};

QByteArray serverFrame(int opcode, const QByteArray &payload, bool fin = true)
{
    QByteArray frame;
    frame.append(char((fin ? 0x80 : 0) | opcode));
    frame.append(char(payload.size())); // tests keep payloads under 126 bytes
    return frame + payload;
}

} // namespace

class TestLightWebSocket : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rejectsUnsupportedUrls_data();
    void rejectsUnsupportedUrls();
    void textBothWays_data();
    void textBothWays();
    void requestCarriesPathAndQuery();
    void answersPings();
    void sendsPings();
    void clientCloseHandshake();
    void serverCloseHandshake();
    void detectsDroppedConnection();
    void connectionRefused();
    void handshakeBytesAndMasking();
    void badHandshakes_data();
    void badHandshakes();
    void handshakeTimeout();
    void greetingInSamePacketAndFragments();
    void maskedServerFrameIsProtocolError();
    void reopenAfterDisconnect();
};

void TestLightWebSocket::rejectsUnsupportedUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("ok");
    QTest::newRow("ws") << u"ws://127.0.0.1:5003"_qs << true;
    QTest::newRow("ws path") << u"ws://relay.example/devices?x=1"_qs << true;
    QTest::newRow("wss") << u"wss://relay.example"_qs << true;
    QTest::newRow("wss path and port") << u"wss://127.0.0.1:5443/x?token=t"_qs << true;
    QTest::newRow("http") << u"http://relay.example"_qs << false;
    QTest::newRow("no host") << u"ws://"_qs << false;
    QTest::newRow("empty") << QString() << false;
}

void TestLightWebSocket::rejectsUnsupportedUrls()
{
    QFETCH(QString, url);
    QFETCH(bool, ok);
    QString error;
    QCOMPARE(LightWebSocket::isSupportedUrl(QUrl(url), &error), ok);
    QCOMPARE(error.isEmpty(), ok);
    if (!ok) { // open() on such a URL reports it through disconnected()
        LightWebSocket socket;
        QSignalSpy disconnected(&socket, &LightWebSocket::disconnected);
        socket.open(QUrl(url));
        QCOMPARE(disconnected.count(), 1);
        QCOMPARE(socket.state(), LightWebSocket::State::Unconnected);
    }
}

void TestLightWebSocket::textBothWays_data()
{
    QTest::addColumn<int>("size");
    // Every payload length encoding: 7-bit, 16-bit and 64-bit.
    for (int size : {0, 1, 21, 125, 126, 1000, 65535, 65536, 200000})
        QTest::addRow("%d bytes", size) << size;
}

void TestLightWebSocket::textBothWays()
{
    QFETCH(int, size);
    EchoServer server;
    QVERIFY(server.listen());
    LightWebSocket socket;
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    QSignalSpy received(&socket, &LightWebSocket::textReceived);
    socket.open(urlFor(server.port()));
    QVERIFY(connected.wait(5000));
    QVERIFY(socket.isOpen());

    QByteArray text(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        text[i] = "0123456789abcdef\n"[i % 17];
    QVERIFY(socket.sendText(text));
    QTRY_COMPARE(server.received.size(), 1);
    QCOMPARE(server.received.constFirst().toUtf8(), text);

    QTRY_COMPARE(server.clients.size(), 1);
    server.clients.constFirst()->sendTextMessage(QString::fromUtf8(text));
    QTRY_COMPARE(received.count(), 1);
    QCOMPARE(received.constFirst().constFirst().toByteArray(), text);
}

void TestLightWebSocket::requestCarriesPathAndQuery()
{
    EchoServer server;
    QVERIFY(server.listen());
    LightWebSocket socket;
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    socket.open(urlFor(server.port(), u"/devices/x?token=abc"_qs));
    QVERIFY(connected.wait(5000));
    QTRY_COMPARE(server.requestUrls.size(), 1);
    QCOMPARE(server.requestUrls.constFirst().path(), u"/devices/x"_qs);
    QCOMPARE(server.requestUrls.constFirst().query(), u"token=abc"_qs);
}

void TestLightWebSocket::answersPings()
{
    EchoServer server;
    QVERIFY(server.listen());
    LightWebSocket socket;
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    socket.open(urlFor(server.port()));
    QVERIFY(connected.wait(5000));
    QTRY_COMPARE(server.clients.size(), 1);
    QSignalSpy pong(server.clients.constFirst(), &QWebSocket::pong);
    server.clients.constFirst()->ping("are you there");
    QVERIFY(pong.wait(5000));
    QCOMPARE(pong.constFirst().at(1).toByteArray(), QByteArray("are you there"));
}

void TestLightWebSocket::sendsPings()
{
    EchoServer server;
    QVERIFY(server.listen());
    LightWebSocket socket;
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    QSignalSpy pong(&socket, &LightWebSocket::pongReceived);
    socket.open(urlFor(server.port()));
    QVERIFY(connected.wait(5000));
    QVERIFY(socket.sendPing("abc"));
    QVERIFY(pong.wait(5000));
    QCOMPARE(pong.constFirst().constFirst().toByteArray(), QByteArray("abc"));
    QVERIFY(!socket.sendPing(QByteArray(126, 'x'))); // control frames carry at most 125 bytes
}

void TestLightWebSocket::clientCloseHandshake()
{
    EchoServer server;
    QVERIFY(server.listen());
    LightWebSocket socket;
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    QSignalSpy disconnected(&socket, &LightWebSocket::disconnected);
    socket.open(urlFor(server.port()));
    QVERIFY(connected.wait(5000));
    QTRY_COMPARE(server.clients.size(), 1);
    QWebSocket *peer = server.clients.constFirst();
    QSignalSpy peerGone(peer, &QWebSocket::disconnected);
    socket.close(WebSocketRfc::CloseGoingAway, "bye now");
    QCOMPARE(socket.state(), LightWebSocket::State::Closing);
    QVERIFY(!socket.sendText("late")); // nothing goes out after close
    QVERIFY(peerGone.wait(5000));
    QCOMPARE(peer->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QCOMPARE(peer->closeReason(), u"bye now"_qs);
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(socket.state(), LightWebSocket::State::Unconnected);
    QTest::qWait(50);
    QCOMPARE(disconnected.count(), 1); // exactly once
}

void TestLightWebSocket::serverCloseHandshake()
{
    EchoServer server;
    QVERIFY(server.listen());
    LightWebSocket socket;
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    QSignalSpy disconnected(&socket, &LightWebSocket::disconnected);
    socket.open(urlFor(server.port()));
    QVERIFY(connected.wait(5000));
    QTRY_COMPARE(server.clients.size(), 1);
    QWebSocket *peer = server.clients.constFirst();
    QSignalSpy peerGone(peer, &QWebSocket::disconnected);
    peer->close(QWebSocketProtocol::CloseCodeGoingAway, u"restarting"_qs);
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(socket.peerCloseCode(), quint16(1001));
    const QString reason = disconnected.constFirst().constFirst().toString();
    QVERIFY2(reason.contains(u"1001") && reason.contains(u"restarting"), qPrintable(reason));
    QVERIFY(peerGone.count() == 1 || peerGone.wait(5000)); // our echo completed its handshake
}

void TestLightWebSocket::detectsDroppedConnection()
{
    EchoServer server;
    QVERIFY(server.listen());
    LightWebSocket socket;
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    QSignalSpy disconnected(&socket, &LightWebSocket::disconnected);
    socket.open(urlFor(server.port()));
    QVERIFY(connected.wait(5000));
    QTRY_COMPARE(server.clients.size(), 1);
    server.clients.constFirst()->abort(); // no close frame: the TCP connection just ends
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(socket.state(), LightWebSocket::State::Unconnected);
    QVERIFY(!socket.sendText("x"));
}

void TestLightWebSocket::connectionRefused()
{
    quint16 port;
    {
        QTcpServer probe; // find a port nobody listens on
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    LightWebSocket socket;
    QSignalSpy disconnected(&socket, &LightWebSocket::disconnected);
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    socket.open(urlFor(port));
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(connected.count(), 0);
    QVERIFY(!disconnected.constFirst().constFirst().toString().isEmpty());
    QTest::qWait(50);
    QCOMPARE(disconnected.count(), 1);
}

void TestLightWebSocket::handshakeBytesAndMasking()
{
    RawServer server;
    QVERIFY(server.listen());
    LightWebSocket socket;
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    socket.open(urlFor(server.port(), u"/room"_qs));
    QVERIFY(server.waitForRequest());
    QVERIFY(server.request.startsWith("GET /room HTTP/1.1\r\n"));
    const QByteArray host = "Host: 127.0.0.1:" + QByteArray::number(server.port()) + "\r\n";
    QVERIFY(server.request.contains(host));
    QVERIFY(server.request.contains("Upgrade: websocket\r\n"));
    QVERIFY(server.request.contains("Sec-WebSocket-Version: 13\r\n"));
    QCOMPARE(QByteArray::fromBase64(server.key()).size(), 16);
    server.accept();
    QVERIFY(connected.wait(5000));

    const QByteArray frame("a1b28080bf0000000000\n");
    QVERIFY(socket.sendText(frame));
    QVERIFY(socket.sendText(frame));
    QByteArray masks;
    for (int n = 0; n < 2; ++n) {
        const QByteArray bytes = server.readBytes(2 + 4 + frame.size());
        QCOMPARE(bytes.size(), 2 + 4 + frame.size());
        QCOMPARE(uchar(bytes[0]), uchar(0x81)); // FIN + text
        QCOMPARE(uchar(bytes[1]), uchar(0x80 | frame.size())); // MASK bit set
        const QByteArray mask = bytes.mid(2, 4);
        QByteArray payload = bytes.mid(6);
        QVERIFY(payload != frame);
        for (int i = 0; i < payload.size(); ++i)
            payload[i] = char(payload[i] ^ mask[i % 4]);
        QCOMPARE(payload, frame);
        masks += mask;
    }
    QVERIFY(masks.left(4) != masks.mid(4)); // a fresh key per frame
}

void TestLightWebSocket::badHandshakes_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<QString>("reason");
    QTest::newRow("404") << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n") << u"404"_qs;
    QTest::newRow("426 from a plain HTTP server")
        << QByteArray("HTTP/1.1 426 Upgrade Required\r\n\r\n") << u"handshake failed"_qs;
    QTest::newRow("wrong accept") << QByteArray(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Accept: bm9wZQ==\r\n\r\n")
                                  << u"Sec-WebSocket-Accept"_qs;
    QTest::newRow("no upgrade header")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n\r\n") << u"Upgrade"_qs;
    QTest::newRow("endless head") << QByteArray(9000, 'x') << u"too large"_qs;
}

void TestLightWebSocket::badHandshakes()
{
    QFETCH(QByteArray, response);
    QFETCH(QString, reason);
    RawServer server;
    QVERIFY(server.listen());
    LightWebSocket socket;
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    QSignalSpy disconnected(&socket, &LightWebSocket::disconnected);
    socket.open(urlFor(server.port()));
    QVERIFY(server.waitForRequest());
    server.peer->write(response);
    server.peer->flush();
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(connected.count(), 0);
    const QString actual = disconnected.constFirst().constFirst().toString();
    QVERIFY2(actual.contains(reason), qPrintable(actual));
}

void TestLightWebSocket::handshakeTimeout()
{
    RawServer server;
    QVERIFY(server.listen());
    LightWebSocket socket;
    socket.setHandshakeTimeoutMs(300);
    QSignalSpy disconnected(&socket, &LightWebSocket::disconnected);
    socket.open(urlFor(server.port()));
    QVERIFY(server.waitForRequest()); // and never answer
    QVERIFY(disconnected.wait(5000));
    QVERIFY(disconnected.constFirst().constFirst().toString().contains(u"timed out"));
}

void TestLightWebSocket::greetingInSamePacketAndFragments()
{
    RawServer server;
    QVERIFY(server.listen());
    LightWebSocket socket;
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    QSignalSpy received(&socket, &LightWebSocket::textReceived);
    socket.open(urlFor(server.port()));
    QVERIFY(server.waitForRequest());
    // The relay greets right after the 101, often in the same TCP segment.
    server.accept(serverFrame(0x1, "Connected to GroupLoop WebSocket server"));
    QVERIFY(connected.wait(5000));
    QTRY_COMPARE(received.count(), 1);
    QCOMPARE(received.constFirst().constFirst().toByteArray(),
             QByteArray("Connected to GroupLoop WebSocket server"));

    // A message in three fragments with a ping in between, and a binary message (ignored).
    server.peer->write(serverFrame(0x1, "led_", false) + serverFrame(0x9, "p")
                       + serverFrame(0x0, "set:2:", false) + serverFrame(0x0, "00ff00")
                       + serverFrame(0x2, "\x01\x02") + serverFrame(0x1, "status:"));
    QTRY_COMPARE(received.count(), 3);
    QCOMPARE(received.at(1).constFirst().toByteArray(), QByteArray("led_set:2:00ff00"));
    QCOMPARE(received.at(2).constFirst().toByteArray(), QByteArray("status:"));
    const QByteArray pong = server.readBytes(2 + 4 + 1);
    QCOMPARE(uchar(pong[0]), uchar(0x8a)); // FIN + pong
    QCOMPARE(uchar(pong[1]), uchar(0x81)); // masked, 1 byte
    QCOMPARE(char(pong[6] ^ pong[2]), 'p');
}

void TestLightWebSocket::maskedServerFrameIsProtocolError()
{
    RawServer server;
    QVERIFY(server.listen());
    LightWebSocket socket;
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    QSignalSpy disconnected(&socket, &LightWebSocket::disconnected);
    socket.open(urlFor(server.port()));
    QVERIFY(server.waitForRequest());
    server.accept();
    QVERIFY(connected.wait(5000));
    server.peer->write(QByteArray("\x81\x81\x00\x00\x00\x00x", 7)); // servers must not mask
    QVERIFY(disconnected.wait(5000));
    QVERIFY(disconnected.constFirst().constFirst().toString().contains(u"masked"));
    const QByteArray close = server.readBytes(2 + 4 + 2);
    QCOMPARE(uchar(close[0]), uchar(0x88));
    QCOMPARE((uchar(close[6] ^ close[2]) << 8) | uchar(close[7] ^ close[3]), 1002);
}

void TestLightWebSocket::reopenAfterDisconnect()
{
    EchoServer server;
    QVERIFY(server.listen());
    LightWebSocket socket;
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    QSignalSpy disconnected(&socket, &LightWebSocket::disconnected);
    for (int round = 1; round <= 3; ++round) {
        socket.open(urlFor(server.port()));
        QTRY_COMPARE(connected.count(), round);
        QVERIFY(socket.sendText("round"));
        QTRY_COMPARE(server.received.size(), round);
        socket.abort();
        QCOMPARE(disconnected.count(), round);
    }
}

#ifdef GROUPLOOP_TEST_EPOLL
// The same cases with the swarm thread's EpollEventDispatcher driving this thread, servers
// and test waits included: the dispatcher must carry timers, sockets and posted events.
#include "epolleventdispatcher.h"

int main(int argc, char *argv[])
{
    QCoreApplication::setEventDispatcher(new GroupLoop::EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    if (!qobject_cast<GroupLoop::EpollEventDispatcher *>(QAbstractEventDispatcher::instance()))
        qFatal("the epoll dispatcher is not installed");
    TestLightWebSocket test;
    return QTest::qExec(&test, argc, argv);
}
#else
QTEST_MAIN(TestLightWebSocket)
#endif
#include "tst_lightwebsocket.moc"
