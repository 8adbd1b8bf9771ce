// LightWebSocket over wss:// (its TlsSession) and with a bearer token: against Qt's own TLS
// WebSocket server (QWebSocketServer in secure mode, so interoperation is proven), with trust
// from a CA file, from nobody (--insecure), and from the system's CAs (a self-signed relay is
// refused with the reason); wrong host, a plain ws:// server behind a wss:// URL, the close
// handshake both ways over TLS, the upgrade request's Authorization header, and the pure
// handshake helpers.
#include "lightwebsocket.h"
#include "testcerts.h"
#include "tlscontext.h"
#include "websocketclienthandshake.h"

#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

// A QWebSocketServer that keeps its connections, what they received and their requests.
struct Server
{
    QWebSocketServer server;
    QList<QWebSocket *> clients;
    QStringList received;
    QList<QNetworkRequest> requests;

    explicit Server(const TestCertificate *cert)
        : server(u"test"_qs, cert ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode)
    {
        if (cert) {
            QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
            tls.setLocalCertificate(QSslCertificate(cert->certPem, QSsl::Pem));
            tls.setPrivateKey(QSslKey(cert->keyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey));
            tls.setPeerVerifyMode(QSslSocket::VerifyNone);
            server.setSslConfiguration(tls);
        }
        QObject::connect(&server, &QWebSocketServer::newConnection, &server, [this] {
            while (QWebSocket *socket = server.nextPendingConnection()) {
                socket->setParent(&server);
                clients << socket;
                requests << socket->request();
                QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                                 [this](const QString &text) { received << text; });
            }
        });
    }
    bool listen() { return server.listen(QHostAddress::LocalHost, 0); }
    QUrl url(const QString &scheme, const QString &host = u"127.0.0.1"_qs,
             const QString &pathAndQuery = u"/"_qs) const
    {
        return QUrl(scheme + u"://"_qs + host + u':' + QString::number(server.serverPort()) + pathAndQuery);
    }
};

std::shared_ptr<const TlsContext> clientContext(const QString &caFile, bool insecure = false)
{
    QString error;
    auto context = TlsContext::client({caFile, insecure}, &error);
    if (!context)
        qWarning("%s", qPrintable(error));
    return context;
}

} // namespace

class TestLightWebSocketTls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void textBothWaysOverTls_data();
    void textBothWaysOverTls();
    void trust_data();
    void trust();
    void plainServerBehindWssUrl();
    void closeHandshakesOverTls();
    void bearerTokenTravelsInTheUpgrade();
    void badTokenIsRefusedBeforeConnecting();
    void handshakeHelpers();

private:
    QTemporaryDir m_dir;
    TestCertificate m_cert; // localhost and 127.0.0.1
    QString m_caFile;
};

void TestLightWebSocketTls::initTestCase()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt has no TLS backend here, so the test server cannot speak TLS");
    QVERIFY(m_dir.isValid());
    m_cert = makeSelfSigned();
    QVERIFY(m_cert.isValid());
    m_caFile = m_dir.filePath(u"cert.pem"_qs);
    QVERIFY(m_cert.writeFiles(m_caFile, m_dir.filePath(u"key.pem"_qs)));
}

void TestLightWebSocketTls::textBothWaysOverTls_data()
{
    QTest::addColumn<int>("size");
    for (int size : {1, 125, 126, 16384, 70000}) // up to several TLS records per frame
        QTest::addRow("%d bytes", size) << size;
}

void TestLightWebSocketTls::textBothWaysOverTls()
{
    QFETCH(int, size);
    Server server(&m_cert);
    QVERIFY(server.listen());
    LightWebSocket socket;
    socket.setTlsContext(clientContext(m_caFile));
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    QSignalSpy received(&socket, &LightWebSocket::textReceived);
    socket.open(server.url(u"wss"_qs, u"localhost"_qs, u"/devices?x=1"_qs));
    QVERIFY(connected.wait(10000));
    QByteArray text(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        text[i] = "0123456789abcdef\n"[i % 17];
    QVERIFY(socket.sendText(text));
    QTRY_COMPARE_WITH_TIMEOUT(server.received.size(), 1, 10000);
    QCOMPARE(server.received.constFirst().toUtf8(), text);
    QCOMPARE(server.requests.constFirst().url().path(), u"/devices"_qs);
    QCOMPARE(server.requests.constFirst().url().query(), u"x=1"_qs);
    server.clients.constFirst()->sendTextMessage(QString::fromUtf8(text));
    QTRY_COMPARE_WITH_TIMEOUT(received.count(), 1, 10000);
    QCOMPARE(received.constFirst().constFirst().toByteArray(), text);
    // Pings are answered through TLS too.
    QSignalSpy pong(server.clients.constFirst(), &QWebSocket::pong);
    server.clients.constFirst()->ping("tls?");
    QVERIFY(pong.wait(10000));
}

void TestLightWebSocketTls::trust_data()
{
    QTest::addColumn<QString>("trust"); // "ca", "insecure", "system"; "other": a relay.test certificate
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("reason"); // empty: connects
    QTest::newRow("CA file, name") << u"ca"_qs << u"localhost"_qs << QString();
    QTest::newRow("CA file, address") << u"ca"_qs << u"127.0.0.1"_qs << QString();
    QTest::newRow("insecure") << u"insecure"_qs << u"127.0.0.1"_qs << QString();
    QTest::newRow("system CAs: self-signed is refused")
        << u"system"_qs << u"localhost"_qs
        << u"TLS handshake failed: certificate verify failed: self-signed certificate"_qs;
    QTest::newRow("CA file, certificate for another name")
        << u"other"_qs << u"localhost"_qs
        << u"certificate verify failed: hostname mismatch (the certificate is not for localhost)"_qs;
}

void TestLightWebSocketTls::trust()
{
    QFETCH(QString, trust);
    QFETCH(QString, host);
    QFETCH(QString, reason);
    const TestCertificate other = makeSelfSigned({u"relay.test"_qs}, {});
    const QString otherCa = m_dir.filePath(u"other.pem"_qs);
    QVERIFY(other.writeFiles(otherCa, m_dir.filePath(u"other.key"_qs)));
    Server server(trust == u"other" ? &other : &m_cert);
    QVERIFY(server.listen());
    LightWebSocket socket;
    if (trust != u"system") {
        socket.setTlsContext(clientContext(trust == u"ca"          ? m_caFile
                                               : trust == u"other" ? otherCa
                                                                   : QString(),
                                           trust == u"insecure"));
    }
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    QSignalSpy disconnected(&socket, &LightWebSocket::disconnected);
    socket.open(server.url(u"wss"_qs, host));
    if (reason.isEmpty()) {
        QVERIFY(connected.wait(10000));
        QVERIFY(socket.sendText("a1b28080bf0000000000\n"));
        QTRY_COMPARE_WITH_TIMEOUT(server.received.size(), 1, 10000);
        return;
    }
    QVERIFY(disconnected.wait(10000));
    QCOMPARE(connected.count(), 0);
    const QString actual = disconnected.constFirst().constFirst().toString();
    QVERIFY2(actual.contains(reason), qPrintable(actual));
    QCOMPARE(socket.state(), LightWebSocket::State::Unconnected);
}

void TestLightWebSocketTls::plainServerBehindWssUrl()
{
    // However a plain server takes a ClientHello (an HTTP error, closing, or waiting for a
    // request head that never comes), the reason points at the likely mistake.
    for (const QByteArray &answer : {QByteArray("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"),
                                     QByteArray("close"), QByteArray()}) {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        LightWebSocket socket;
        socket.setTlsContext(clientContext(m_caFile));
        socket.setHandshakeTimeoutMs(1000);
        QSignalSpy disconnected(&socket, &LightWebSocket::disconnected);
        socket.open(QUrl(u"wss://localhost:"_qs + QString::number(server.serverPort())));
        QVERIFY(QTest::qWaitFor([&] { return server.hasPendingConnections(); }, 10000));
        QTcpSocket *peer = server.nextPendingConnection();
        QVERIFY(QTest::qWaitFor([&] { return peer->bytesAvailable() > 0; }, 10000)); // the ClientHello
        if (answer == "close")
            peer->close();
        else if (!answer.isEmpty())
            peer->write(answer);
        QVERIFY(disconnected.wait(10000));
        const QString reason = disconnected.constFirst().constFirst().toString();
        QVERIFY2(reason.startsWith(u"TLS handshake ") && reason.contains(u"ws:// port"), qPrintable(reason));
    }
}

void TestLightWebSocketTls::closeHandshakesOverTls()
{
    Server server(&m_cert);
    QVERIFY(server.listen());
    LightWebSocket socket;
    socket.setTlsContext(clientContext(m_caFile));
    QSignalSpy connected(&socket, &LightWebSocket::connected);
    QSignalSpy disconnected(&socket, &LightWebSocket::disconnected);
    // We close: the server sees our code and reason.
    socket.open(server.url(u"wss"_qs, u"localhost"_qs));
    QVERIFY(connected.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(server.clients.size(), 1, 10000);
    QWebSocket *first = server.clients.constFirst();
    QSignalSpy firstGone(first, &QWebSocket::disconnected);
    socket.close(WebSocketRfc::CloseGoingAway, "bye over tls");
    QVERIFY(firstGone.wait(10000));
    QCOMPARE(first->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QCOMPARE(first->closeReason(), u"bye over tls"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, 10000);
    // The server closes: we report its code and reason, once.
    socket.open(server.url(u"wss"_qs, u"localhost"_qs));
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(server.clients.size(), 2, 10000);
    server.clients.at(1)->close(QWebSocketProtocol::CloseCodePolicyViolated, u"unknown token"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 2, 10000);
    QCOMPARE(socket.peerCloseCode(), quint16(1008));
    const QString reason = disconnected.at(1).constFirst().toString();
    QVERIFY2(reason.contains(u"1008") && reason.contains(u"unknown token"), qPrintable(reason));
    QTest::qWait(100);
    QCOMPARE(disconnected.count(), 2);
}

void TestLightWebSocketTls::bearerTokenTravelsInTheUpgrade()
{
    for (const bool tls : {false, true}) {
        Server server(tls ? &m_cert : nullptr);
        QVERIFY(server.listen());
        LightWebSocket socket;
        socket.setTlsContext(clientContext(m_caFile));
        socket.setBearerToken("s3cr3t-T0ken");
        QSignalSpy connected(&socket, &LightWebSocket::connected);
        socket.open(server.url(tls ? u"wss"_qs : u"ws"_qs, u"localhost"_qs));
        QVERIFY(connected.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 1, 10000);
        QCOMPARE(server.requests.constFirst().rawHeader("Authorization"), QByteArray("Bearer s3cr3t-T0ken"));
        QVERIFY(!server.requests.constFirst().url().hasQuery()); // not in the URL, not in logs
    }
}

void TestLightWebSocketTls::badTokenIsRefusedBeforeConnecting()
{
    QTcpServer listener; // nothing may reach it
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    LightWebSocket socket;
    socket.setBearerToken("two words\r\nX-Injected: 1");
    QSignalSpy disconnected(&socket, &LightWebSocket::disconnected);
    socket.open(QUrl(u"ws://127.0.0.1:"_qs + QString::number(listener.serverPort())));
    QCOMPARE(disconnected.count(), 1);
    QVERIFY(disconnected.constFirst().constFirst().toString().contains(u"token"));
    QTest::qWait(50);
    QVERIFY(!listener.hasPendingConnections());
}

void TestLightWebSocketTls::handshakeHelpers()
{
    namespace Handshake = WebSocketClientHandshake;
    QVERIFY(Handshake::isValidBearerToken("abc-DEF_123.~+/="));
    for (const char *bad : {"", "a b", "a\tb", "a\r\nb", "caf\xc3\xa9"})
        QVERIFY2(!Handshake::isValidBearerToken(bad), bad);
    const QByteArray key = Handshake::newKey();
    QCOMPARE(QByteArray::fromBase64(key).size(), 16);
    QVERIFY(key != Handshake::newKey());
    QCOMPARE(
        Handshake::request(QUrl(u"wss://[::1]:5443"_qs), "k", "t"),
        QByteArray("GET / HTTP/1.1\r\nHost: [::1]:5443\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: k\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer t\r\n\r\n"));
    QVERIFY(Handshake::request(QUrl(u"ws://relay/room?token=a%20b"_qs), "k")
                .startsWith("GET /room?token=a%20b HTTP/1.1\r\nHost: relay\r\n"));
    const QByteArray accept
        = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    QCOMPARE(Handshake::checkResponse(accept, "dGhlIHNhbXBsZSBub25jZQ=="), QString());
    QCOMPARE(Handshake::checkResponse(accept, "b3RoZXIga2V5IGF0IGFsbCE="), u"wrong Sec-WebSocket-Accept"_qs);
    QCOMPARE(Handshake::checkResponse("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer", "k"),
             u"server answered \"HTTP/1.1 401 Unauthorized\""_qs);
}

QTEST_MAIN(TestLightWebSocketTls)
#include "tst_lightwebsocket_tls.moc"
