// RelayClient against a real RelayServer in-process: connect, subscribe, frames into the
// store, /health and /commands.json, commands matched FIFO with their replies, reconnect
// after the relay is shut down and restarted on the same port, and clear failures.
#include "commandcontroller.h"
#include "devicefeeder.h"
#include "devicestore.h"
#include "registrymodel.h"
#include "relayclient.h"
#include "relayserver.h"
#include "relaytestclient.h"

#include <QSignalSpy>
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
};

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
    QVERIFY(client.stateText().startsWith(QStringLiteral("Reconnecting in")));

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
    QCOMPARE(RelayConnection::backoffDelayMs(b, 1, 0.0), 375);
    QVERIFY(RelayConnection::backoffDelayMs(b, 1, 0.999) <= 625);
}

QTEST_GUILESS_MAIN(TestRelayClient)
#include "tst_relayclient.moc"
