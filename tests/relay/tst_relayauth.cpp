// Tokens and TLS: who may subscribe, command and send frames; how each way of presenting a
// token works and how each rejection looks to the client; wss:// and HTTPS beside ws://, and
// the address /config.js gives the apps on each.
#include "httprequesthead.h"
#include "relayauth.h"
#include "relayoptions.h"
#include "relaytestclient.h"

#include <QDir>
#include <QNetworkRequest>
#include <QProcess>
#include <QSslKey>
#include <QSslSocket>
#include <QTemporaryDir>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

const QString Frame = u"a1b28080bf1020304000"_qs;

RelayConfig guardedConfig()
{
    RelayConfig config;
    config.access.controllerTokens.add("ctl-secret");
    config.access.deviceTokens.add("dev-secret");
    return config;
}

HttpRequestHead headOf(const QByteArray &request)
{
    HttpRequestHead head;
    qsizetype length = 0;
    HttpRequestHead::parse(request, &head, &length);
    return head;
}

// Sends one HTTP/1.1 request (plain or TLS) and returns the whole answer.
QByteArray httpExchange(QTcpSocket &socket, const QByteArray &request)
{
    socket.write(request);
    QByteArray answer;
    const bool closed = QTest::qWaitFor(
        [&] {
            answer += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        5000);
    return closed ? answer + socket.readAll() : QByteArray("(no complete answer within 5 s)");
}

// The body of an answer (after the head), empty when the status is not 200.
QByteArray okBody(const QByteArray &answer)
{
    return answer.startsWith("HTTP/1.1 200 ") ? answer.mid(answer.indexOf("\r\n\r\n") + 4) : QByteArray();
}

QByteArray plainGet(quint16 port, const QByteArray &path, const QByteArray &headers = {})
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 3000))
        return {};
    // Plain requests ask to close after the answer (keep-alive would hold the socket open).
    const QByteArray close = headers.contains("Upgrade") ? QByteArray() : QByteArray("Connection: close\r\n");
    return httpExchange(socket,
                        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + close + headers + "\r\n");
}

} // namespace

class TestRelayAuth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    void tokenSet();
    void tokenFile();
    void requestTokenForms();

    void openRelayAnswersAuth();
    void noTokenMayConnectButNotSubscribe();
    void commandsNeedAControllerToken();
    void tokenInQuery();
    void tokenInBearerHeader();
    void tokenInFirstMessage();
    void unknownTokenAtUpgradeIs401();
    void unknownTokenInMessageCloses();
    void framesNeedADeviceToken();
    void deviceTokenMayNotSubscribe();
    void sideDoorNeedsControllerToken();

    void tlsBesidePlain();
    void tlsOnlyOnMainPort();
    void tlsOptionErrors();
    void configJsSchemeFollowsThePort();

private:
    bool makeCertificate(const QString &dir);
    QString writeFile(const QString &name, const QByteArray &content)
    {
        QFile file(m_dir.path() + u'/' + name);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(file.fileName()));
        return file.fileName();
    }
    QTemporaryDir m_dir;
    QString m_cert, m_key;
};

void TestRelayAuth::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(makeCertificate(m_dir.path()),
             "openssl could not make a test certificate (is openssl installed?)");
}

bool TestRelayAuth::makeCertificate(const QString &dir)
{
    m_cert = dir + u"/cert.pem"_qs;
    m_key = dir + u"/key.pem"_qs;
    QProcess openssl;
    openssl.start(u"openssl"_qs,
                  {u"req"_qs, u"-x509"_qs, u"-newkey"_qs, u"ec"_qs, u"-pkeyopt"_qs,
                   u"ec_paramgen_curve:prime256v1"_qs, u"-nodes"_qs, u"-days"_qs, u"2"_qs, u"-subj"_qs,
                   u"/CN=localhost"_qs, u"-addext"_qs, u"subjectAltName=IP:127.0.0.1,DNS:localhost"_qs,
                   u"-keyout"_qs, m_key, u"-out"_qs, m_cert});
    return openssl.waitForFinished(20000) && openssl.exitStatus() == QProcess::NormalExit
        && openssl.exitCode() == 0;
}

void TestRelayAuth::tokenSet()
{
    TokenSet set;
    QVERIFY(set.isEmpty());
    set.add("");
    QVERIFY2(set.isEmpty(), "an empty token must not open the door");
    set.add("alpha");
    set.add("beta");
    QCOMPARE(set.size(), 2);
    QVERIFY(set.contains("alpha"));
    QVERIFY(set.contains("beta"));
    QVERIFY(!set.contains("alph"));
    QVERIFY(!set.contains("alphaa"));
    QVERIFY(!set.contains(""));
    QVERIFY(constantTimeEquals("same", "same"));
    QVERIFY(!constantTimeEquals("same", "sane"));
    QVERIFY(!constantTimeEquals("same", "same!"));
}

void TestRelayAuth::tokenFile()
{
    const QString path = writeFile(u"tokens.txt"_qs, "# controllers\n\n  first-token  \nsecond-token\n");
    TokenSet set;
    QString error;
    QVERIFY2(set.addFile(path, &error), qPrintable(error));
    QCOMPARE(set.size(), 2);
    QVERIFY(set.contains("first-token"));
    QVERIFY(!set.contains("# controllers"));

    QVERIFY(!set.addFile(m_dir.path() + u"/missing.txt"_qs, &error));
    QVERIFY2(error.contains(u"missing.txt"), qPrintable(error));
    QVERIFY(!set.addFile(writeFile(u"empty.txt"_qs, "# nothing here\n"), &error));
    QVERIFY2(error.contains(u"no token"), qPrintable(error));
}

void TestRelayAuth::requestTokenForms()
{
    QCOMPARE(requestToken(headOf("GET /?token=a%20b HTTP/1.1\r\nHost: x\r\n\r\n")), QByteArray("a b"));
    QCOMPARE(requestToken(headOf("GET / HTTP/1.1\r\nAuthorization: Bearer xyz \r\n\r\n")), QByteArray("xyz"));
    QCOMPARE(requestToken(headOf("GET / HTTP/1.1\r\nauthorization: bearer xyz\r\n\r\n")), QByteArray("xyz"));
    // Another scheme is a token that matches nothing, not "no token".
    QCOMPARE(requestToken(headOf("GET / HTTP/1.1\r\nAuthorization: Basic eDp5\r\n\r\n")), QByteArray());
    QVERIFY(!requestToken(headOf("GET /?other=1 HTTP/1.1\r\nHost: x\r\n\r\n")));
}

void TestRelayAuth::openRelayAnswersAuth()
{
    auto relay = startRelay();
    TestClient client;
    QVERIFY(client.open(*relay));
    QCOMPARE(client.request(u"auth:anything"_qs), u"auth:ok"_qs);
    QCOMPARE(client.request(u"s"_qs), u"stream:on"_qs);
}

void TestRelayAuth::noTokenMayConnectButNotSubscribe()
{
    auto relay = startRelay(guardedConfig());
    TestClient client;
    QVERIFY(client.open(*relay));
    QCOMPARE(client.request(u"ping"_qs), u"pong"_qs);
    client.send(u"s"_qs);
    QTRY_VERIFY(client.closed);
    QCOMPARE(int(client.socket.closeCode()), 4401);
    QCOMPARE(client.socket.closeReason(), u"subscribing needs a controller token"_qs);
    QVERIFY(client.received.isEmpty());
    QCOMPARE(relay->stats().subscribers, 0);
    QVERIFY(relay->stats().authFailures >= 1);
}

void TestRelayAuth::commandsNeedAControllerToken()
{
    auto relay = startRelay(guardedConfig());
    TestClient device, stranger;
    QVERIFY(device.open(*relay, u"/?token=dev-secret"_qs) && stranger.open(*relay));
    device.sendAndSync(Frame);
    stranger.send(u"cmd:a1b2:vibrate:100"_qs);
    QTRY_VERIFY(stranger.closed);
    QCOMPARE(int(stranger.socket.closeCode()), 4401);
    QCOMPARE(stranger.socket.closeReason(), u"commands need a controller token"_qs);
    device.sync();
    QVERIFY2(device.received.isEmpty(), "the command must not reach the device");
}

void TestRelayAuth::tokenInQuery()
{
    auto relay = startRelay(guardedConfig());
    TestClient device, controller;
    QVERIFY(device.open(*relay, u"/?token=dev-secret"_qs));
    QVERIFY(controller.open(*relay, u"/?token=ctl-secret"_qs));
    QCOMPARE(controller.request(u"s"_qs), u"stream:on"_qs);
    device.send(Frame);
    QCOMPARE(controller.next(), Frame + u'\n');
    QCOMPARE(controller.request(u"cmd:a1b2:vibrate:100"_qs), u"cmd:result:success"_qs);
    QCOMPARE(device.next(), u"vibrate:100"_qs);
}

void TestRelayAuth::tokenInBearerHeader()
{
    auto relay = startRelay(guardedConfig());
    TestClient controller;
    QNetworkRequest request(relayUrl(*relay));
    request.setRawHeader("Authorization", "Bearer ctl-secret");
    controller.socket.open(request);
    QCOMPARE(controller.next(), u"Connected to GroupLoop WebSocket server"_qs);
    QCOMPARE(controller.request(u"s"_qs), u"stream:on"_qs);
    QCOMPARE(relay->stats().subscribers, 1);
}

void TestRelayAuth::tokenInFirstMessage()
{
    auto relay = startRelay(guardedConfig());
    TestClient device, controller;
    QVERIFY(device.open(*relay) && controller.open(*relay));
    QCOMPARE(device.request(u"auth:dev-secret"_qs), u"auth:ok"_qs);
    QCOMPARE(controller.request(u"auth:ctl-secret"_qs), u"auth:ok"_qs);
    // A weaker token afterwards does not take the controller's rights away.
    QCOMPARE(controller.request(u"auth:dev-secret"_qs), u"auth:ok"_qs);
    QCOMPARE(controller.request(u"s"_qs), u"stream:on"_qs);
    device.send(Frame);
    QCOMPARE(controller.next(), Frame + u'\n');
}

void TestRelayAuth::unknownTokenAtUpgradeIs401()
{
    auto relay = startRelay(guardedConfig());
    const QByteArray upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    const QByteArray byQuery = plainGet(relay->serverPort(), "/?token=guess", upgrade);
    QVERIFY2(byQuery.startsWith("HTTP/1.1 401 "), byQuery.constData());
    QVERIFY(byQuery.contains("WWW-Authenticate: Bearer"));
    const QByteArray byHeader
        = plainGet(relay->serverPort(), "/", upgrade + "Authorization: Bearer guess\r\n");
    QVERIFY2(byHeader.startsWith("HTTP/1.1 401 "), byHeader.constData());
    QCOMPARE(relay->stats().connections, 0);
    QCOMPARE(relay->stats().authFailures, 2u);

    // A QWebSocket client sees the failed handshake as an error, never as a connection.
    TestClient client;
    QVERIFY(!client.open(*relay, u"/?token=guess"_qs));
}

void TestRelayAuth::unknownTokenInMessageCloses()
{
    auto relay = startRelay(guardedConfig());
    TestClient client;
    QVERIFY(client.open(*relay));
    client.send(u"auth:guess"_qs);
    QTRY_VERIFY(client.closed);
    QCOMPARE(int(client.socket.closeCode()), 4401);
    QCOMPARE(client.socket.closeReason(), u"unknown token"_qs);
}

void TestRelayAuth::framesNeedADeviceToken()
{
    auto relay = startRelay(guardedConfig());
    TestClient controller, rogue;
    QVERIFY(controller.open(*relay, u"/?token=ctl-secret"_qs) && rogue.open(*relay));
    QCOMPARE(controller.request(u"s"_qs), u"stream:on"_qs);
    rogue.send(Frame);
    QTRY_VERIFY(rogue.closed);
    QCOMPARE(int(rogue.socket.closeCode()), 4401);
    QCOMPARE(rogue.socket.closeReason(), u"sending frames needs a device token"_qs);
    controller.sync();
    QVERIFY2(controller.received.isEmpty(), "a frame without a token must not be relayed");
    QCOMPARE(relay->stats().devices, 0);

    // Only controller tokens set: devices stay free to send, as firmware cannot hold tokens.
    RelayConfig config;
    config.access.controllerTokens.add("ctl-secret");
    auto open = startRelay(config);
    TestClient device, sub;
    QVERIFY(device.open(*open) && sub.open(*open, u"/?token=ctl-secret"_qs));
    QCOMPARE(sub.request(u"s"_qs), u"stream:on"_qs);
    device.send(Frame);
    QCOMPARE(sub.next(), Frame + u'\n');
}

void TestRelayAuth::deviceTokenMayNotSubscribe()
{
    auto relay = startRelay(guardedConfig());
    TestClient device;
    QVERIFY(device.open(*relay, u"/?token=dev-secret"_qs));
    device.send(u"s"_qs);
    QTRY_VERIFY(device.closed);
    QCOMPARE(int(device.socket.closeCode()), 4401);
}

void TestRelayAuth::sideDoorNeedsControllerToken()
{
    auto relay = startRelay(guardedConfig());
    const quint16 port = relay->serverPort();
    QVERIFY(plainGet(port, "/health").startsWith("HTTP/1.1 200 "));
    QVERIFY(plainGet(port, "/commands.json").startsWith("HTTP/1.1 200 "));
    for (const QByteArray &path : {QByteArray("/metrics"), QByteArray("/devices")}) {
        const QByteArray denied = plainGet(port, path);
        QVERIFY2(denied.startsWith("HTTP/1.1 401 "), denied.constData());
        QVERIFY(denied.contains("WWW-Authenticate: Bearer"));
        QVERIFY(plainGet(port, path, "Authorization: Bearer dev-secret\r\n").startsWith("HTTP/1.1 401 "));
        QVERIFY(plainGet(port, path, "Authorization: Bearer ctl-secret\r\n").startsWith("HTTP/1.1 200 "));
        QVERIFY(plainGet(port, path + "?token=ctl-secret").startsWith("HTTP/1.1 200 "));
    }
    const QByteArray metrics = plainGet(port, "/metrics?token=ctl-secret");
    QVERIFY2(metrics.contains("\ngrouploop_relay_auth_failures_total 4\n"), metrics.constData());
}

void TestRelayAuth::tlsBesidePlain()
{
    RelayOptions options;
    QString error;
    QCOMPARE(
        options.parse({u"relay"_qs, u"--tls-cert"_qs, m_cert, u"--tls-key"_qs, m_key, u"--tls-port=0"_qs}, {},
                      &error),
        RelayOptions::Outcome::Run);
    QVERIFY(options.config.tlsEnabled);
    auto relay = startRelay(options.config);
    QVERIFY(relay->tlsServerPort() != 0);
    QVERIFY(relay->tlsServerPort() != relay->serverPort());

    // A wss:// client that trusts only the test certificate.
    QSslConfiguration trust = QSslConfiguration::defaultConfiguration();
    trust.setCaCertificates(QSslCertificate::fromPath(m_cert));
    TestClient secure;
    secure.socket.setSslConfiguration(trust);
    secure.socket.open(QUrl(u"wss://127.0.0.1:%1/"_qs.arg(relay->tlsServerPort())));
    QCOMPARE(secure.next(5000), u"Connected to GroupLoop WebSocket server"_qs);
    QCOMPARE(secure.request(u"s"_qs), u"stream:on"_qs);

    // Firmware on plain ws:// and the browser on wss:// share one relay.
    TestClient device;
    QVERIFY(device.open(*relay));
    device.send(Frame);
    QCOMPARE(secure.next(), Frame + u'\n');
    QCOMPARE(secure.request(u"cmd:a1b2:brightness:40"_qs), u"cmd:result:success"_qs);
    QCOMPARE(device.next(), u"brightness:40"_qs);

    // HTTPS on the TLS port.
    QSslSocket https;
    https.setSslConfiguration(trust);
    https.connectToHostEncrypted(u"127.0.0.1"_qs, relay->tlsServerPort());
    QVERIFY(QTest::qWaitFor([&] { return https.isEncrypted(); }, 5000));
    const QByteArray health
        = httpExchange(https, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QVERIFY2(health.startsWith("HTTP/1.1 200 ") && health.contains("\"tls\":true"), health.constData());

    // Plain HTTP spoken to the TLS port is a failed handshake, counted, and harms nobody.
    const QByteArray plainOnTls = plainGet(relay->tlsServerPort(), "/health");
    QVERIFY(!plainOnTls.startsWith("HTTP/1.1 200"));
    QTRY_VERIFY(relay->stats().tlsHandshakeFailures >= 1);
    QCOMPARE(secure.request(u"ping"_qs), u"pong"_qs);
}

void TestRelayAuth::tlsOnlyOnMainPort()
{
    RelayOptions options;
    QString error;
    QCOMPARE(options.parse({u"relay"_qs, u"--tls-cert"_qs, m_cert, u"--tls-key"_qs, m_key}, {}, &error),
             RelayOptions::Outcome::Run);
    auto relay = startRelay(options.config);
    QCOMPARE(relay->tlsServerPort(), relay->serverPort());
    QSslConfiguration trust = QSslConfiguration::defaultConfiguration();
    trust.setCaCertificates(QSslCertificate::fromPath(m_cert));
    TestClient secure;
    secure.socket.setSslConfiguration(trust);
    secure.socket.open(QUrl(u"wss://localhost:%1/"_qs.arg(relay->serverPort())));
    QCOMPARE(secure.next(5000), u"Connected to GroupLoop WebSocket server"_qs);
    TestClient plain;
    QVERIFY2(!plain.open(QUrl(u"ws://127.0.0.1:%1/"_qs.arg(relay->serverPort()))),
             "plain ws:// must not work on a TLS-only port");
}

void TestRelayAuth::configJsSchemeFollowsThePort()
{
    const QString webRoot = m_dir.path() + u"/web"_qs;
    QVERIFY(QDir().mkpath(webRoot + u"/apps"_qs));
    const QStringList tlsBeside {u"relay"_qs, u"--tls-cert"_qs,   m_cert,           u"--tls-key"_qs,
                                 m_key,       u"--tls-port=0"_qs, u"--web-root"_qs, webRoot};
    const auto configJs = [](const RelayServer &relay, bool overTls, const QByteArray &host) {
        const QByteArray request
            = "GET /config.js HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
        if (!overTls) {
            QTcpSocket http;
            http.connectToHost(QHostAddress::LocalHost, relay.serverPort());
            if (!QTest::qWaitFor([&] { return http.state() == QAbstractSocket::ConnectedState; }, 3000))
                return QByteArray("(not connected)");
            return okBody(httpExchange(http, request));
        }
        QSslSocket https;
        https.setPeerVerifyMode(QSslSocket::VerifyNone);
        https.connectToHostEncrypted(u"127.0.0.1"_qs, relay.tlsServerPort());
        if (!QTest::qWaitFor([&] { return https.isEncrypted(); }, 5000))
            return QByteArray("(no TLS handshake)");
        return okBody(httpExchange(https, request));
    };

    RelayOptions derived;
    QString error;
    QCOMPARE(derived.parse(tlsBeside, {}, &error), RelayOptions::Outcome::Run);
    auto relay = startRelay(derived.config);
    // The scheme is the port's, the host the one the request named (a phone on the LAN).
    const QByteArray overTls = configJs(*relay, true, "192.168.1.20:5443");
    QVERIFY2(overTls.contains("\"wsDefaultUrl\":\"wss://192.168.1.20:5443\""), overTls.constData());
    const QByteArray plain = configJs(*relay, false, "192.168.1.20:5003");
    QVERIFY2(plain.contains("\"wsDefaultUrl\":\"ws://192.168.1.20:5003\""), plain.constData());
    relay.reset();

    // --public-ws-url wins on both ports.
    RelayOptions fixed;
    QCOMPARE(fixed.parse(tlsBeside + QStringList {u"--public-ws-url"_qs, u"wss://room.example.org/ws"_qs}, {},
                         &error),
             RelayOptions::Outcome::Run);
    relay = startRelay(fixed.config);
    for (const bool tls : {true, false}) {
        const QByteArray body = configJs(*relay, tls, "192.168.1.20:5003");
        QVERIFY2(body.contains("\"wsDefaultUrl\":\"wss://room.example.org/ws\""), body.constData());
    }
}

void TestRelayAuth::tlsOptionErrors()
{
    const QString garbage = writeFile(u"garbage.pem"_qs, "not a certificate\n");
    const struct
    {
        QStringList arguments;
        QString errorPart;
    } cases[] = {
        {{u"--tls-cert"_qs, m_cert}, u"go together"_qs},
        {{u"--tls-port=5443"_qs}, u"--tls-port needs"_qs},
        {{u"--tls-cert"_qs, m_dir.path() + u"/nope.pem"_qs, u"--tls-key"_qs, m_key}, u"nope.pem"_qs},
        {{u"--tls-cert"_qs, garbage, u"--tls-key"_qs, m_key}, u"no PEM certificate"_qs},
        {{u"--tls-cert"_qs, m_cert, u"--tls-key"_qs, garbage}, u"private key"_qs},
        {{u"--tls-cert"_qs, m_cert, u"--tls-key"_qs, m_key, u"--tls-port=5003"_qs}, u"differ"_qs},
    };
    for (const auto &c : cases) {
        RelayOptions options;
        QString error;
        QCOMPARE(options.parse(QStringList {u"relay"_qs} + c.arguments, {}, &error),
                 RelayOptions::Outcome::Error);
        QVERIFY2(error.contains(c.errorPart), qPrintable(error));
    }
}

QTEST_MAIN(TestRelayAuth)
#include "tst_relayauth.moc"
