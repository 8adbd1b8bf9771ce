// RelayClient against a real RelayServer in-process: connect, subscribe, frames into the
// store, /health and /commands.json, commands matched FIFO with their replies, reconnect
// after the relay is shut down and restarted on the same port, clear failures, the back-off,
// tokens (4401 stops the retries) and TLS trust (ask, pin per host, refuse a changed one).
#include "commandcontroller.h"
#include "devicefeeder.h"
#include "devicestore.h"
#include "registrymodel.h"
#include "relayclient.h"
#include "relayserver.h"
#include "relaytestclient.h"
#include "testcerts.h"

#include <QCryptographicHash>
#include <QSignalSpy>
#include <QSslKey>
#include <QTcpServer>
#include <QTest>
#include <QWebSocketServer>

using namespace GroupLoop;
using Testing::DeviceFeeder;

namespace {
QUrl urlFor(quint16 port)
{
    return Testing::wsUrl(port);
}
} // namespace

class TestRelayClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void connectsSubscribesAndReceivesFrames();
    void commandsAreMatchedToReplies();
    void reconnectsAfterRelayRestart();
    void badUrlFailsWithReason();
    void deadRelayKeepsRetrying();
    void malformedLinesAreSkipped();
    void backoffGrowsWithJitter();
    void backoffRestartsAfterAGoodConnection();
    void missingTokenStopsRetrying();
    void tokenInTheUrlIsTakenOut();
    void untrustedCertificateIsAskedAboutThenPinned();
    void changedCertificateIsRefused();
    void caCertificatesAreTrusted();

private:
    std::unique_ptr<RelayServer> startTlsRelay(const Testing::TestCertificate &certificate);
};

std::unique_ptr<RelayServer> TestRelayClient::startTlsRelay(const Testing::TestCertificate &certificate)
{
    RelayConfig config; // what grouploop-relay --tls-cert --tls-key does
    config.host = QHostAddress::LocalHost;
    config.tlsEnabled = true;
    config.tlsPort = 0;
    config.tls = QSslConfiguration::defaultConfiguration();
    config.tls.setLocalCertificate(QSslCertificate(certificate.certPem, QSsl::Pem));
    config.tls.setPrivateKey(QSslKey(certificate.keyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey));
    config.tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    return Testing::startRelay(config);
}

namespace {
QUrl wssUrl(const RelayServer &relay)
{
    return QUrl(QStringLiteral("wss://127.0.0.1:%1/").arg(relay.tlsServerPort()));
}
} // namespace

void TestRelayClient::connectsSubscribesAndReceivesFrames()
{
    auto relay = Testing::startRelay();
    DeviceStore store;
    store.setAutoRefresh(true);
    RelayClient client(&store);
    QSignalSpy registry(&client, &RelayClient::registryChanged);
    client.connectTo(urlFor(relay->serverPort()));
    QTRY_COMPARE(client.state(), RelayClient::Subscribed);
    QCOMPARE(client.stateText(), QStringLiteral("Connected"));

    DeviceFeeder feeder({urlFor(relay->serverPort()), 5, 1, 20.0});
    feeder.start();
    QTRY_COMPARE(store.count(), 5);
    QTRY_VERIFY(store.totalFrames() >= 50);
    QTRY_VERIFY(client.healthAvailable());
    QCOMPARE(client.health().value(QStringLiteral("service")).toString(), QStringLiteral("grouploop-relay"));
    QTRY_VERIFY(client.healthText().contains(QStringLiteral("5 devices")));
    QTRY_VERIFY(registry.count() >= 1);
    QCOMPARE(client.registry().size(), CommandRegistry::builtIn().size());
    QVERIFY(store.device(0x1000)->hasPosition);
}

void TestRelayClient::commandsAreMatchedToReplies()
{
    auto relay = Testing::startRelay();
    DeviceStore store;
    store.setAutoRefresh(true);
    RelayClient client(&store);
    RegistryModel registry;
    CommandController commands(&store, &client, &registry);
    client.connectTo(urlFor(relay->serverPort()));
    DeviceFeeder feeder({urlFor(relay->serverPort()), 3, 3, 10.0});
    feeder.start();
    QTRY_COMPARE(store.count(), 3);
    QVERIFY(!commands.canSend()); // selection mode, nothing selected

    // A selection: one cmd: per device, replies matched in order.
    QSignalSpy finished(&commands, &CommandController::sendFinished);
    store.select({0x1000, 0x1002}, DeviceStore::SelectMode::Replace);
    QTRY_VERIFY(commands.canSend());
    const int ledSend = commands.send(QStringLiteral("led"), QStringLiteral("ff0000"));
    QVERIFY(ledSend > 0);
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toInt(), ledSend);
    QCOMPARE(finished.at(0).at(1).toBool(), true);
    QTRY_VERIFY(feeder.received().contains(QStringLiteral("led:ff0000")));
    QCOMPARE(feeder.received().count(QStringLiteral("led:ff0000")), 2);
    QCOMPARE(store.ledColour(0x1000), QColor(255, 0, 0));
    QVERIFY(!store.ledColour(0x1001).isValid()); // not targeted, colour still unknown
    QCOMPARE(commands.historyFor(QStringLiteral("1000"))
                 .value(0)
                 .toMap()
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("ok"));

    // Several sends in flight, one of them to a device the relay does not know.
    commands.setTargetMode(CommandController::One);
    commands.setOneTarget(QStringLiteral("BEEF"));
    const int failing = commands.send(QStringLiteral("vibrate"), QStringLiteral("200"));
    commands.setTargetMode(CommandController::All);
    const int all = commands.send(QStringLiteral("pattern"), QStringLiteral("cycle"));
    const int unknown = commands.sendRaw(QStringLiteral("dance:now"));
    const int missingParams = commands.sendRaw(QStringLiteral("cmd:all:led")); // caught before sending
    QCOMPARE(missingParams, 0);
    QCOMPARE(commands.lastSummary(), QStringLiteral("led needs: color"));
    QTRY_COMPARE(finished.count(), 5);
    QHash<int, QString> summaries;
    QHash<int, bool> oks;
    for (const auto &args : finished) {
        summaries.insert(args.at(0).toInt(), args.at(2).toString());
        oks.insert(args.at(0).toInt(), args.at(1).toBool());
    }
    QVERIFY2(!oks[failing] && summaries[failing].contains(QStringLiteral("beef")),
             qPrintable(summaries[failing]));
    QVERIFY2(oks[all] && summaries[all].contains(QStringLiteral("sent to 3 devices")),
             qPrintable(summaries[all]));
    QVERIFY2(!oks[unknown] && summaries[unknown].contains(QStringLiteral("Unknown command: dance")),
             qPrintable(summaries[unknown]));
    QTRY_COMPARE(feeder.received().count(QStringLiteral("pattern:cycle")), 3);

    // ota: refused locally without confirmation; confirmed, the relay refuses it (not allowed).
    QCOMPARE(commands.send(QStringLiteral("ota"), QStringLiteral("http://h/x.bin")), 0);
    QVERIFY(commands.lastSummary().contains(QStringLiteral("confirmation")));
    const int ota = commands.sendConfirmed(QStringLiteral("ota"), QStringLiteral("http://h:5004/x.bin"));
    QTRY_COMPARE(finished.count(), 7);
    QCOMPARE(finished.last().at(0).toInt(), ota);
    QCOMPARE(finished.last().at(1).toBool(), false);
    QVERIFY(!feeder.received().join(QLatin1Char('\n')).contains(QStringLiteral("ota:")));
}

void TestRelayClient::reconnectsAfterRelayRestart()
{
    auto relay = Testing::startRelay();
    const quint16 port = relay->serverPort();
    DeviceStore store;
    store.setAutoRefresh(true);
    RelayClient client(&store);
    client.setBackoff(100, 400);
    client.connectTo(urlFor(port));
    QTRY_COMPARE(client.state(), RelayClient::Subscribed);

    relay->shutdown();
    relay.reset();
    QTRY_COMPARE(client.state(), RelayClient::Reconnecting);
    QVERIFY2(client.stateText().startsWith(QStringLiteral("Relay gone · retrying in")),
             qPrintable(client.stateText()));

    relay = Testing::startRelay({}, port);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), RelayClient::Subscribed, 10000);
    DeviceFeeder feeder({urlFor(port), 2, 1, 20.0});
    feeder.start();
    QTRY_COMPARE(store.count(), 2); // subscribed again: frames flow
}

void TestRelayClient::badUrlFailsWithReason()
{
    DeviceStore store;
    RelayClient client(&store);
    client.connectTo(QUrl(QStringLiteral("http://127.0.0.1:5003")));
    QCOMPARE(client.state(), RelayClient::Failed);
    QVERIFY2(client.stateText().contains(QStringLiteral("ws://")), qPrintable(client.stateText()));
    QString error;
    QVERIFY(!RelayClient::isRelayUrl(QUrl(QStringLiteral("ws://")), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(RelayClient::isRelayUrl(QUrl(QStringLiteral("wss://relay.example:443/x"))));
    QCOMPARE(RelayClient::httpUrlFor(QUrl(QStringLiteral("wss://h:1/ws?x=1")), QStringLiteral("/health")),
             QUrl(QStringLiteral("https://h:1/health")));
}

void TestRelayClient::deadRelayKeepsRetrying()
{
    // A port nothing listens on: refused, retried with a reason and a countdown.
    const quint16 port = Testing::freePort(); // nothing listens there
    DeviceStore store;
    RelayClient client(&store);
    client.setBackoff(100, 200);
    client.connectTo(urlFor(port));
    QTRY_COMPARE(client.state(), RelayClient::Reconnecting);
    QVERIFY(!client.detail().isEmpty());

    RegistryModel registry;
    CommandController commands(&store, &client, &registry);
    commands.setTargetMode(CommandController::All);
    QVERIFY(!commands.canSend());
    QCOMPARE(commands.send(QStringLiteral("reset")), 0);
    QVERIFY(commands.lastSummary().contains(QStringLiteral("Not connected")));
}

void TestRelayClient::malformedLinesAreSkipped()
{
    // A misbehaving relay: junk mixed into the frame stream must be skipped, not crash.
    QWebSocketServer server(QStringLiteral("junk"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    connect(&server, &QWebSocketServer::newConnection, this, [&server] {
        QWebSocket *socket = server.nextPendingConnection();
        socket->setParent(&server);
        socket->sendTextMessage(QStringLiteral("Connected to GroupLoop WebSocket server"));
        connect(socket, &QWebSocket::textMessageReceived, socket, [socket](const QString &text) {
            if (text == QLatin1String("s")) {
                socket->sendTextMessage(QStringLiteral("stream:on"));
                socket->sendTextMessage(QStringLiteral("zz\n0123456789abcdef0123\n\xe9\xe8 garbage\nabcd"));
                socket->sendTextMessage(QStringLiteral("cmd:result:success")); // nothing sent: unmatched
            }
        });
    });
    DeviceStore store;
    store.setAutoRefresh(true);
    RelayClient client(&store);
    QSignalSpy log(&client, &RelayClient::logEvent);
    client.connectTo(urlFor(server.serverPort()));
    QTRY_COMPARE(store.count(), 1);
    QCOMPARE(store.ids(), QStringList {QStringLiteral("0123")});
    QTRY_COMPARE(store.ingest()->malformedLines(), quint64(3));
    QTRY_VERIFY(std::any_of(log.begin(), log.end(), [](const QList<QVariant> &args) {
        return args.at(2).toString().contains(QStringLiteral("no command waiting"));
    }));
}

void TestRelayClient::backoffGrowsWithJitter()
{
    RelayConnection::Backoff b;
    b.initialMs = 500;
    b.maxMs = 8000;
    b.jitter = 0.25;
    QCOMPARE(RelayConnection::backoffDelayMs(b, 1, 0.5), 500);
    QCOMPARE(RelayConnection::backoffDelayMs(b, 3, 0.5), 2000);
    QCOMPARE(RelayConnection::backoffDelayMs(b, 30, 0.5), 8000);
    QCOMPARE(RelayConnection::backoffDelayMs(b, 1, 0.0), 500); // never below the first delay
    QVERIFY(RelayConnection::backoffDelayMs(b, 1, 0.999) <= 625);
    QCOMPARE(RelayConnection::backoffDelayMs(b, 30, 0.999), 8000); // never above the last

    // The defaults: 0.5 s up to 30 s, doubling, jittered +-25 %.
    const RelayConnection::Backoff defaults;
    int previousLow = 0;
    for (int attempt = 1; attempt <= 12; ++attempt) {
        const int low = RelayConnection::backoffDelayMs(defaults, attempt, 0.0);
        const int high = RelayConnection::backoffDelayMs(defaults, attempt, 0.999);
        QVERIFY(low >= 500 && high <= 30000);
        QVERIFY(low < high || high == 30000);
        QVERIFY(low >= previousLow);
        previousLow = low;
    }
    QCOMPARE(RelayConnection::backoffDelayMs(defaults, 1, 0.5), 500);
    QCOMPARE(RelayConnection::backoffDelayMs(defaults, 7, 0.5), 30000); // 0.5 s x 2^6 = 32 s, capped
}

void TestRelayClient::backoffRestartsAfterAGoodConnection()
{
    const quint16 port = Testing::freePort();
    DeviceStore store;
    RelayClient client(&store);
    client.setBackoff(100, 3200);
    QList<int> delays;
    connect(&client, &RelayClient::stateChanged, this, [&] {
        if (client.state() == RelayClient::Reconnecting)
            delays << client.retryInMs();
    });
    client.connectTo(urlFor(port));
    QTRY_VERIFY_WITH_TIMEOUT(delays.size() >= 4, 15000);
    QVERIFY2(delays.at(3) > delays.at(0) * 3,
             qPrintable(QStringLiteral("%1 then %2").arg(delays.at(0)).arg(delays.at(3))));
    QVERIFY(client.detail().startsWith(QStringLiteral("Refused")));

    auto relay = Testing::startRelay({}, port);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), RelayClient::Subscribed, 15000);
    delays.clear();
    relay->shutdown();
    relay.reset();
    QTRY_VERIFY(!delays.isEmpty());
    QVERIFY2(delays.first() <= 125, qPrintable(QString::number(delays.first()))); // from the start again
    QVERIFY(client.stateText().startsWith(QStringLiteral("Relay gone")));
}

void TestRelayClient::missingTokenStopsRetrying()
{
    RelayConfig config;
    config.access.controllerTokens.add("s3cret-token");
    auto relay = Testing::startRelay(config);
    DeviceStore store;
    RelayClient client(&store);
    client.setBackoff(50, 100);
    int attempts = 0;
    connect(&client, &RelayClient::stateChanged, this,
            [&] { attempts += client.state() == RelayClient::Connecting; });
    client.connectTo(urlFor(relay->serverPort()));
    QTRY_COMPARE(client.state(), RelayClient::TokenNeeded);
    QVERIFY2(client.stateText().startsWith(QStringLiteral("Token needed")), qPrintable(client.stateText()));
    QTest::qWait(1000); // twenty retries' worth at this back-off: none may come
    QCOMPARE(client.state(), RelayClient::TokenNeeded);
    QCOMPARE(attempts, 1);

    client.setToken(QStringLiteral("wrong")); // one new attempt at once, refused again
    QTRY_COMPARE(attempts, 2);
    QTRY_COMPARE(client.state(), RelayClient::TokenNeeded);
    QVERIFY2(client.stateText().startsWith(QStringLiteral("Token refused")), qPrintable(client.stateText()));
    QVERIFY2(client.detail().contains(QStringLiteral("unknown token")), qPrintable(client.detail()));
    QTest::qWait(300);
    QCOMPARE(attempts, 2);
    client.setToken(QStringLiteral("s3cret-token"));
    QTRY_COMPARE(client.state(), RelayClient::Subscribed);
    QVERIFY(client.hasToken());
}

void TestRelayClient::tokenInTheUrlIsTakenOut()
{
    QUrl url(QStringLiteral("wss://relay.example:5003/ws?room=a&token=T%2Bx"));
    QCOMPARE(RelayClient::takeToken(&url), QStringLiteral("T+x"));
    QCOMPARE(url, QUrl(QStringLiteral("wss://relay.example:5003/ws?room=a")));
    QUrl plain(QStringLiteral("ws://h:1/"));
    QVERIFY(RelayClient::takeToken(&plain).isEmpty());
    QCOMPARE(plain, QUrl(QStringLiteral("ws://h:1/")));

    RelayConfig config;
    config.access.controllerTokens.add("in-the-url");
    auto relay = Testing::startRelay(config);
    DeviceStore store;
    RelayClient client(&store);
    QSignalSpy log(&client, &RelayClient::logEvent);
    client.connectTo(QUrl(urlFor(relay->serverPort()).toString() + QStringLiteral("?token=in-the-url")));
    QTRY_COMPARE(client.state(), RelayClient::Subscribed);
    QVERIFY(!client.urlText().contains(QStringLiteral("in-the-url")));
    for (const QList<QVariant> &entry : log)
        QVERIFY(!entry.at(2).toString().contains(QStringLiteral("in-the-url")));
}

void TestRelayClient::untrustedCertificateIsAskedAboutThenPinned()
{
    const Testing::TestCertificate certificate = Testing::makeSelfSigned();
    auto relay = startTlsRelay(certificate);
    DeviceStore store;
    RelayClient client(&store);
    client.setBackoff(50, 100);
    int attempts = 0;
    connect(&client, &RelayClient::stateChanged, this,
            [&] { attempts += client.state() == RelayClient::Connecting; });
    client.connectTo(wssUrl(*relay));
    QTRY_COMPARE(client.state(), RelayClient::TrustNeeded);
    const QSslCertificate expected(certificate.certPem, QSsl::Pem);
    const QString sha256 = QString::fromLatin1(expected.digest(QCryptographicHash::Sha256).toHex());
    QCOMPARE(client.certificate().value(QStringLiteral("sha256")).toString(), sha256);
    QCOMPARE(client.certificate().value(QStringLiteral("host")).toString(),
             QStringLiteral("127.0.0.1:%1").arg(relay->tlsServerPort()));
    QCOMPARE(client.certificate().value(QStringLiteral("subject")).toString(), QStringLiteral("localhost"));
    QVERIFY(!client.certificate().value(QStringLiteral("validTo")).toString().isEmpty());
    QTest::qWait(500);
    QCOMPARE(attempts, 1); // no retries while the user decides

    QSignalSpy pinned(&client, &RelayClient::pinnedCertificatesChanged);
    client.trustCertificate();
    QTRY_COMPARE(client.state(), RelayClient::Subscribed);
    QCOMPARE(pinned.count(), 1);
    QCOMPARE(client.pinnedCertificates().value(QStringLiteral("127.0.0.1:%1").arg(relay->tlsServerPort())),
             sha256.toLatin1());
    QTRY_VERIFY(client.healthAvailable()); // the side door trusts the pinned certificate too

    // Another console that remembers the pin connects without asking.
    RelayClient again(&store);
    again.setPinnedCertificates(client.pinnedCertificates());
    again.connectTo(wssUrl(*relay));
    QTRY_COMPARE(again.state(), RelayClient::Subscribed);
}

void TestRelayClient::changedCertificateIsRefused()
{
    auto relay = startTlsRelay(Testing::makeSelfSigned());
    const QString host = QStringLiteral("127.0.0.1:%1").arg(relay->tlsServerPort());
    DeviceStore store;
    RelayClient client(&store);
    client.setBackoff(50, 100);
    client.setPinnedCertificates({{host, QByteArray(64, 'a')}}); // trusted before: another certificate
    client.connectTo(wssUrl(*relay));
    QTRY_COMPARE(client.state(), RelayClient::Failed);
    QVERIFY2(client.stateText().contains(QStringLiteral("changed since you trusted it")),
             qPrintable(client.stateText()));
    QVERIFY(client.certificate().isEmpty()); // refused, not asked about
    QTest::qWait(500);
    QCOMPARE(client.state(), RelayClient::Failed); // and not retried
}

void TestRelayClient::caCertificatesAreTrusted()
{
    const Testing::TestCertificate certificate = Testing::makeSelfSigned();
    auto relay = startTlsRelay(certificate);
    DeviceStore store;
    RelayClient client(&store);
    client.setCaCertificates({QSslCertificate(certificate.certPem, QSsl::Pem)});
    client.connectTo(wssUrl(*relay));
    QTRY_COMPARE(client.state(), RelayClient::Subscribed);
    QVERIFY(client.certificate().isEmpty());
}

QTEST_GUILESS_MAIN(TestRelayClient)
#include "tst_relayclient.moc"
