// SwarmRunner against the real relay (RelayServer on port 0): frames arrive and parse,
// commands routed by the relay change exactly the addressed device, gateways share sockets,
// links come back after the relay restarts, ota runs its cycle, stop is clean and bounded.
#include "relaytestclient.h"
#include "sensorframe.h"
#include "swarmrunner.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

// A relay that lets a controller with the token ota-test send ota.
RelayConfig otaConfig()
{
    RelayConfig config;
    config.allowOta = true;
    config.access.controllerTokens.add("ota-test"); // ota needs an authenticated controller
    return config;
}

SimulationConfig simConfig(quint16 port, int devices, double hz = 20.0, int gateway = 1)
{
    SimulationConfig config;
    config.swarm.devices = devices;
    config.swarm.seed = 1234;
    config.link.url = QUrl(QStringLiteral("ws://127.0.0.1:") + QString::number(port));
    config.link.hz = hz;
    config.link.gateway = gateway;
    config.link.backoffInitialMs = 50;
    config.link.backoffMaxMs = 400;
    config.snapshotHz = 50;
    return config;
}

// A browser-like controller: subscribes and sends cmd: lines.
struct Controller
{
    QWebSocket socket;
    QStringList received;
    QSet<quint16> frameIds;

    bool open(quint16 port)
    {
        QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket, [this](const QString &text) {
            received << text;
            for (const QString &line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
                if (const auto frame = SensorFrame::parse(QStringView(line)))
                    frameIds.insert(frame->id);
            }
        });
        QSignalSpy connected(&socket, &QWebSocket::connected);
        socket.open(QUrl(QStringLiteral("ws://127.0.0.1:") + QString::number(port)));
        return connected.wait(5000);
    }
    void send(const QString &text) { socket.sendTextMessage(text); }
};

std::optional<DeviceSnapshot> snapshotOf(const SwarmRunner &runner, quint16 id)
{
    for (const DeviceSnapshot &s : runner.snapshot()) {
        if (s.id == id)
            return s;
    }
    return std::nullopt;
}

QString ledsOf(const SwarmRunner &runner, quint16 id)
{
    const auto s = snapshotOf(runner, id);
    if (!s)
        return u"missing"_qs;
    QStringList parts;
    for (const Rgb &c : s->leds)
        parts << c.toHex();
    return parts.join(QLatin1Char(' '));
}

} // namespace

class TestSwarmRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rejectsBadConfig();
    void framesReachTheRelay();
    void commandsReachExactlyTheirDevice();
    void everyCommandReachesItsDevice();
    void gatewaySharesSockets();
    void reconnectsAfterRelayRestart();
    void otaCycle();
    void stopIsCleanAndBounded();
};

void TestSwarmRunner::rejectsBadConfig()
{
    SwarmRunner runner;
    SimulationConfig config;
    config.link.hz = 500;
    QString error;
    QVERIFY(!runner.start(config, &error));
    QVERIFY2(error.contains(u"Hz"), qPrintable(error));
    QVERIFY(!runner.isRunning());
    config = SimulationConfig();
    config.link.url = QUrl(u"https://secure.example"_qs);
    QVERIFY(!runner.start(config, &error));
    QVERIFY2(error.contains(u"ws://"), qPrintable(error));
    config.link.url = QUrl(u"wss://secure.example"_qs); // supported, but not with a CA file that is not there
    config.link.caFile = u"/nonexistent/ca.pem"_qs;
    QVERIFY(!runner.start(config, &error));
    QVERIFY2(error.contains(u"cannot read CA file /nonexistent/ca.pem"), qPrintable(error));
}

void TestSwarmRunner::framesReachTheRelay()
{
    auto relay = startRelay();
    QVERIFY(relay->isListening());
    Controller browser;
    QVERIFY(browser.open(relay->serverPort()));
    browser.send(u"s"_qs);

    SwarmRunner runner;
    QSignalSpy statsSpy(&runner, &SwarmRunner::statsUpdated);
    QString error;
    QVERIFY2(runner.start(simConfig(relay->serverPort(), 25), &error), qPrintable(error));
    QVERIFY(runner.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(runner.stats().openSockets, 25, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(relay->devices().size(), 25, 10000);

    QSet<quint16> snapshotIds;
    for (const DeviceSnapshot &s : runner.snapshot()) {
        snapshotIds.insert(s.id);
        QVERIFY(s.connected);
        QVERIFY(s.position.x() >= 0 && s.position.x() <= 800 && s.position.y() >= 0 && s.position.y() <= 600);
    }
    QCOMPARE(snapshotIds.size(), 25);
    QSet<quint16> relayIds;
    for (const DeviceInfo &info : relay->devices())
        relayIds.insert(*SensorFrame::idFromText(info.id));
    QCOMPARE(relayIds, snapshotIds);
    QTRY_COMPARE_WITH_TIMEOUT(browser.frameIds, snapshotIds, 5000); // every frame parses, every id streams

    QTest::qWait(1500);
    const SwarmStats stats = runner.stats();
    QVERIFY2(stats.framesPerSecond > 25 * 20 * 0.5 && stats.framesPerSecond < 25 * 20 * 1.5,
             qPrintable(QString::number(stats.framesPerSecond)));
    QCOMPARE(stats.devices, 25);
    QCOMPARE(stats.sockets, 25);
    QCOMPARE(stats.seed, 1234u);
    QVERIFY(stats.everConnected);
    QVERIFY(statsSpy.count() >= 4); // every 250 ms, queued to this thread
    QVERIFY(relay->stats().framesIn > 0);
}

void TestSwarmRunner::commandsReachExactlyTheirDevice()
{
    auto relay = startRelay();
    SwarmRunner runner;
    QVERIFY(runner.start(simConfig(relay->serverPort(), 10)));
    QTRY_COMPARE_WITH_TIMEOUT(relay->devices().size(), 10, 10000);
    Controller controller;
    QVERIFY(controller.open(relay->serverPort()));

    const QList<DeviceSnapshot> devices = runner.snapshot();
    const quint16 target = devices[3].id;
    const QString targetText = SensorFrame::idToText(target);
    controller.send(u"cmd:"_qs + targetText + u":pattern:solid"_qs);
    controller.send(u"cmd:"_qs + targetText.toUpper() + u":led:00ff00"_qs); // ours lowercases targets
    QTRY_COMPARE_WITH_TIMEOUT(ledsOf(runner, target), QStringList(6, u"00ff00"_qs).join(u' '), 5000);
    QVERIFY(controller.received.contains(u"cmd:result:success"_qs));
    for (const DeviceSnapshot &s : runner.snapshot()) {
        if (s.id != target)
            QVERIFY2(ledsOf(runner, s.id) != QStringList(6, u"00ff00"_qs).join(u' '),
                     "a bystander turned green");
    }

    controller.send(u"cmd:"_qs + targetText + u":led_set:2:0000ff"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(ledsOf(runner, target), u"000000 000000 0000ff 000000 000000 000000"_qs, 5000);

    controller.send(u"cmd:all:vibrate:60000"_qs);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const auto all = runner.snapshot();
            return std::all_of(all.begin(), all.end(), [](const DeviceSnapshot &s) { return s.vibrating; });
        }(),
        5000);
    QVERIFY(controller.received.contains(u"cmd:result:sent_to_10_devices"_qs));
    QTRY_COMPARE_WITH_TIMEOUT(runner.stats().commandsReceived, quint64(3 + 10), 5000);
}

void TestSwarmRunner::everyCommandReachesItsDevice()
{
    // The "done when", scaled for a test machine: every device gets its own colour.
    constexpr int Devices = 300;
    auto relay = startRelay();
    SwarmRunner runner;
    QVERIFY(runner.start(simConfig(relay->serverPort(), Devices, 5.0)));
    QTRY_COMPARE_WITH_TIMEOUT(relay->devices().size(), Devices, 20000);
    Controller controller;
    QVERIFY(controller.open(relay->serverPort()));
    controller.send(u"cmd:all:pattern:solid"_qs);
    QHash<quint16, QString> expected;
    int n = 0;
    for (const DeviceSnapshot &s : runner.snapshot()) {
        const Rgb colour {quint8(n), quint8(255 - n % 256), quint8(n * 7)};
        ++n;
        expected.insert(s.id, QStringList(6, colour.toHex()).join(u' '));
        controller.send(u"cmd:"_qs + SensorFrame::idToText(s.id) + u":led:"_qs + colour.toHex());
        if (n % 100 == 0)
            QTest::qWait(600); // stay under the relay's per-connection rate limit (200/s)
    }
    QTRY_COMPARE_WITH_TIMEOUT(controller.received.count(u"cmd:result:success"_qs), Devices, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const DeviceSnapshot &s : runner.snapshot()) {
                if (ledsOf(runner, s.id) != expected.value(s.id))
                    return false;
            }
            return true;
        }(),
        20000);
    QTRY_COMPARE_WITH_TIMEOUT(runner.stats().commandsReceived, quint64(2 * Devices), 5000);
}

void TestSwarmRunner::gatewaySharesSockets()
{
    auto relay = startRelay();
    SwarmRunner runner;
    QVERIFY(runner.start(simConfig(relay->serverPort(), 12, 10.0, 5)));
    QTRY_COMPARE_WITH_TIMEOUT(runner.stats().openSockets, 3, 10000); // 5 + 5 + 2
    QCOMPARE(runner.stats().sockets, 3);
    QTRY_COMPARE_WITH_TIMEOUT(relay->devices().size(), 12, 10000);
    QCOMPARE(relay->stats().connections, 3);

    // The relay hands a command for one id to its gateway socket, which cannot tell its
    // devices apart: all five behind that socket obey.
    Controller controller;
    QVERIFY(controller.open(relay->serverPort()));
    const QList<DeviceSnapshot> devices = runner.snapshot();
    const QString white = QStringList(6, u"ffffff"_qs).join(u' ');
    const QString dark = QStringList(6, u"000000"_qs).join(u' ');
    controller.send(u"cmd:all:pattern:solid"_qs);
    QTRY_VERIFY_WITH_TIMEOUT(
        ledsOf(runner, devices[11].id) == white && ledsOf(runner, devices[0].id) == white, 5000);
    controller.send(u"cmd:"_qs + SensorFrame::idToText(devices[0].id) + u":led_all_off:"_qs);
    QTRY_VERIFY_WITH_TIMEOUT(ledsOf(runner, devices[4].id) == dark && ledsOf(runner, devices[0].id) == dark,
                             5000);
    for (int i = 5; i < 12; ++i) // the other sockets' devices did not get it
        QCOMPARE(ledsOf(runner, devices[i].id), white);
}

void TestSwarmRunner::reconnectsAfterRelayRestart()
{
    auto relay = startRelay();
    const quint16 port = relay->serverPort();
    SwarmRunner runner;
    QVERIFY(runner.start(simConfig(port, 15)));
    QTRY_COMPARE_WITH_TIMEOUT(runner.stats().openSockets, 15, 10000);
    QCOMPARE(runner.stats().reconnects, 0u);

    relay->shutdown();
    relay.reset();
    QTRY_COMPARE_WITH_TIMEOUT(runner.stats().openSockets, 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(runner.stats().connectFailures > 0, 5000); // it keeps trying while down
    QVERIFY(!runner.stats().lastError.isEmpty());

    relay = startRelay({}, port);
    QVERIFY2(relay->isListening(), "port taken meanwhile");
    QTRY_COMPARE_WITH_TIMEOUT(runner.stats().openSockets, 15, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(relay->devices().size(), 15, 10000);
    QVERIFY(runner.stats().reconnects >= 15);
}

void TestSwarmRunner::otaCycle()
{
    // A tiny HTTP server stands in for the firmware hub.
    QTcpServer hub;
    QVERIFY(hub.listen(QHostAddress::LocalHost, 0));
    QStringList requests;
    QObject::connect(&hub, &QTcpServer::newConnection, &hub, [&] {
        QTcpSocket *peer = hub.nextPendingConnection();
        QObject::connect(peer, &QTcpSocket::readyRead, peer, [peer, &requests] {
            const QByteArray head = peer->readAll();
            requests << QString::fromLatin1(head.left(head.indexOf('\r')));
            const QByteArray body(4096, 'F');
            peer->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                        + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
            peer->disconnectFromHost();
        });
    });

    auto relay = startRelay(otaConfig());
    SwarmRunner runner;
    QVERIFY(runner.start(simConfig(relay->serverPort(), 3)));
    QTRY_COMPARE_WITH_TIMEOUT(relay->devices().size(), 3, 10000);
    const quint16 target = runner.snapshot()[1].id;
    Controller controller;
    QVERIFY(controller.open(relay->serverPort()));
    controller.send(u"auth:ota-test"_qs);
    controller.send(u"cmd:"_qs + SensorFrame::idToText(target) + u":pattern:solid"_qs);
    QTRY_VERIFY_WITH_TIMEOUT(snapshotOf(runner, target)->leds[0] == (Rgb {255, 255, 255}), 5000);
    controller.send(u"cmd:"_qs + SensorFrame::idToText(target) + u":ota:http://127.0.0.1:"_qs
                    + QString::number(hub.serverPort()) + u"/fw.bin"_qs);

    QTRY_COMPARE_WITH_TIMEOUT(runner.stats().otaUpdates, 1u, 10000);
    QCOMPARE(requests, QStringList {u"GET /fw.bin HTTP/1.1"_qs});
    // Rebooted and reconnected: online again, breathing (the solid white is gone).
    QTRY_VERIFY_WITH_TIMEOUT(snapshotOf(runner, target)->connected
                                 && snapshotOf(runner, target)->phase == VirtualDevice::Phase::Online,
                             10000);
    QTRY_COMPARE_WITH_TIMEOUT(relay->devices().size(), 3, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(runner.stats().reconnects >= 1, 5000); // stats lag up to 250 ms
}

void TestSwarmRunner::stopIsCleanAndBounded()
{
    auto relay = startRelay();
    SwarmRunner runner;
    QSignalSpy running(&runner, &SwarmRunner::runningChanged);
    QVERIFY(runner.start(simConfig(relay->serverPort(), 40)));
    QTRY_COMPARE_WITH_TIMEOUT(relay->stats().connections, 40, 10000);
    QElapsedTimer timer;
    timer.start();
    runner.stop();
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(!runner.isRunning());
    QVERIFY(!runner.stats().running);
    QCOMPARE(running.count(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(relay->stats().connections, 0, 5000); // closed, not leaked

    // A runner can start again, and a second start replaces the first swarm.
    QVERIFY(runner.start(simConfig(relay->serverPort(), 5)));
    QVERIFY(runner.start(simConfig(relay->serverPort(), 7)));
    QTRY_COMPARE_WITH_TIMEOUT(relay->stats().connections, 7, 10000);
}

QTEST_MAIN(TestSwarmRunner)
#include "tst_swarmrunner.moc"
