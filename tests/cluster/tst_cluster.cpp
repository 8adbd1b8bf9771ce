// Cluster mode end to end: a real redis-server on a free port and three grouploop-relay
// processes sharing it. Frames cross relays, commands route both ways with the single relay's
// answers, cmd:all counts the whole cluster, a killed relay's devices leave the registry within
// the expiry, the relays ride out a Redis restart, and a rollout started on one relay flashes a
// device on another.
#include "protocol.h"
#include "redisprocess.h"
#include "relayprocess.h"
#include "relaytestclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimer>

#include <csignal>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

constexpr int DeviceTtlSeconds = 2;

// A relay of the cluster: a grouploop-relay process on the test's Redis, with a short device expiry.
class Relay : public RelayProcess
{
public:
    ~Relay() { kill(); } // SIGKILL: no goodbye to Redis
    bool start(quint16 redisPort, const QByteArray &prefix, const QStringList &more = {})
    {
        Options options;
        options.environment.remove(u"QT_LOGGING_RULES"_qs);
        options.arguments = QStringList {u"--redis"_qs,
                                         u"redis://127.0.0.1:%1"_qs.arg(redisPort),
                                         u"--redis-prefix"_qs,
                                         QString::fromLatin1(prefix),
                                         u"--redis-device-ttl"_qs,
                                         QString::number(DeviceTtlSeconds),
                                         u"--log-level"_qs,
                                         u"warning"_qs}
            + more;
        QString error;
        if (!RelayProcess::start(options, &error))
            qWarning("%s", qPrintable(error));
        return isRunning();
    }
    QByteArray health() const { return get("/health"); }
    bool redisUp() const { return health().contains("\"redis\":\"up\""); }
    bool waitRedisUp(int timeoutMs = 10000) const
    {
        return QTest::qWaitFor([this] { return redisUp(); }, timeoutMs);
    }
};

QString frame(const char *id, int n)
{
    return QString::fromLatin1(id) + u"%1"_qs.arg(n, 16, 16, QLatin1Char('0'));
}

// One HTTP request (with a controller token, if given): the status and the body.
std::pair<int, QByteArray> httpRequest(quint16 port, const QByteArray &method, const QByteArray &path,
                                       const QByteArray &token, const QByteArray &body = {})
{
    const QByteArray answer
        = exchange(u"127.0.0.1"_qs, port,
                   method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                       + (token.isEmpty() ? QByteArray() : "Authorization: Bearer " + token + "\r\n")
                       + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    const qsizetype end = answer.indexOf("\r\n\r\n");
    if (!answer.startsWith("HTTP/1.1 ") || end < 0)
        return {0, answer};
    return {answer.mid(9, 3).toInt(), answer.mid(end + 4)};
}

} // namespace

class TestCluster : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void framesCrossRelays();
    void commandsRouteBothWays();
    void broadcastCountsTheCluster();
    void malformedBackplaneMessagesAreIgnored();
    void killedRelayLeavesTheRegistry();
    void redisRestartIsRidden();
    void startsWithoutRedis();
    void rolloutReachesDevicesOnOtherRelays();
    void cleanupTestCase();

private:
    bool waitForLine(TestClient &client, const QString &line, int timeoutMs = 5000)
    {
        return QTest::qWaitFor([&] { return client.frameLines().contains(line); }, timeoutMs);
    }
    bool registered(const char *id)
    {
        return m_redis.command({"EXISTS", m_prefix + "device:" + id}) == ":1\r\n";
    }

    RedisProcess m_redis;
    QByteArray m_prefix;
    Relay m_a, m_b, m_c;
};

void TestCluster::initTestCase()
{
    m_prefix = "test" + QByteArray::number(QRandomGenerator::global()->generate()) + ':';
    QString error;
    QVERIFY2(m_redis.start(0, &error), qPrintable(error));
    for (Relay *relay : {&m_a, &m_b, &m_c})
        QVERIFY(relay->start(m_redis.port(), m_prefix));
    for (Relay *relay : {&m_a, &m_b, &m_c})
        QVERIFY2(relay->waitRedisUp(), relay->health().constData());
}

void TestCluster::framesCrossRelays()
{
    TestClient deviceA, deviceB, subA, subB, subC;
    QVERIFY(deviceA.open(m_a.url()));
    QVERIFY(deviceB.open(m_b.url()));
    for (auto [client, relay] : {std::pair {&subA, &m_a}, {&subB, &m_b}, {&subC, &m_c}}) {
        QVERIFY(client->open(relay->url()));
        QCOMPARE(client->request(u"s"_qs), u"stream:on"_qs);
    }
    deviceA.send(frame("a001", 1000) + u'\n');
    deviceB.send(frame("b001", 1000));
    for (TestClient *sub : {&subA, &subB, &subC}) {
        QVERIFY(waitForLine(*sub, frame("a001", 1000)));
        QVERIFY(waitForLine(*sub, frame("b001", 1000)));
    }
    subA.sync(); // anything echoed back would have arrived by now
    QCOMPARE(subA.frameLines().count(frame("a001", 1000)), 1);
    QCOMPARE(subB.frameLines().count(frame("b001", 1000)), 1);
    QCOMPARE(subC.frameLines().count(frame("a001", 1000)), 1);

    // /devices on C lists both, with the relay each is on.
    const QByteArray devices = httpGet(m_c.port(), "/devices");
    QVERIFY2(devices.contains("\"id\":\"a001\"") && devices.contains("\"id\":\"b001\""), devices.constData());
    QVERIFY2(devices.contains(QByteArray(":" + QByteArray::number(m_a.port()) + ":")), devices.constData());
}

void TestCluster::commandsRouteBothWays()
{
    TestClient deviceA, deviceB, controllerA, controllerB, subC;
    QVERIFY(deviceA.open(m_a.url()));
    QVERIFY(deviceB.open(m_b.url()));
    QVERIFY(controllerA.open(m_a.url()));
    QVERIFY(controllerB.open(m_b.url()));
    QVERIFY(subC.open(m_c.url()));
    QCOMPARE(subC.request(u"s"_qs), u"stream:on"_qs);
    // Registered once a frame has gone through Redis (SET is sent before that PUBLISH).
    deviceA.send(frame("c0a1", 1));
    deviceB.send(frame("c0b1", 1));
    QVERIFY(waitForLine(subC, frame("c0a1", 1)));
    QVERIFY(waitForLine(subC, frame("c0b1", 1)));

    QCOMPARE(controllerB.request(u"cmd:c0a1:led:ff0000"_qs), Protocol::commandSuccess());
    QCOMPARE(deviceA.next(), u"led:ff0000"_qs);
    QCOMPARE(controllerA.request(u"cmd:C0B1:led_set:2:00ff00"_qs), Protocol::commandSuccess());
    QCOMPARE(deviceB.next(), u"led_set:2:00ff00"_qs);
    QCOMPARE(controllerA.request(u"cmd:c0b1:reset"_qs), Protocol::commandSuccess());
    QCOMPARE(deviceB.next(), u"reset:"_qs);
    // Unknown anywhere, malformed, unknown command, missing parameters: the single relay's answers.
    QCOMPARE(controllerA.request(u"cmd:ffee:led:ff0000"_qs), Protocol::commandFailed());
    QCOMPARE(controllerA.request(u"cmd:nope:led:ff0000"_qs), Protocol::commandFailed());
    QCOMPARE(controllerA.request(u"cmd:c0b1:frobnicate"_qs), Protocol::commandUnknown(u"frobnicate"_qs));
    QCOMPARE(controllerA.request(u"cmd:c0b1"_qs), Protocol::commandInvalidFormat());
    // Replies keep the order of the commands, though the first is answered through Redis and
    // the second at once: clients match replies first-in first-out.
    controllerA.send(u"cmd:ffee:led:ff0000"_qs);
    controllerA.send(u"cmd:c0b1:frobnicate"_qs);
    controllerA.send(u"cmd:c0a1:status"_qs);
    QCOMPARE(controllerA.next(), Protocol::commandFailed());
    QCOMPARE(controllerA.next(), Protocol::commandUnknown(u"frobnicate"_qs));
    QCOMPARE(controllerA.next(), Protocol::commandSuccess());
    QCOMPARE(deviceA.next(), u"status:"_qs);
    // A device that left: its relay deletes it from the registry at once.
    deviceB.socket.close();
    QVERIFY(QTest::qWaitFor([this] { return !registered("c0b1"); }, 3000));
    QCOMPARE(controllerA.request(u"cmd:c0b1:reset"_qs), Protocol::commandFailed());
    QVERIFY(deviceA.received.isEmpty());
}

void TestCluster::broadcastCountsTheCluster()
{
    TestClient gatewayA, deviceB, controllerC, subC;
    QVERIFY(gatewayA.open(m_a.url()));
    QVERIFY(deviceB.open(m_b.url()));
    QVERIFY(controllerC.open(m_c.url()));
    QVERIFY(subC.open(m_c.url()));
    QCOMPARE(subC.request(u"s"_qs), u"stream:on"_qs);
    // Earlier tests' devices have gone, and their relays know it.
    for (const Relay *relay : {&m_a, &m_b, &m_c})
        QVERIFY(QTest::qWaitFor([relay] { return relay->health().contains("\"devices\":0"); }, 3000));
    gatewayA.send(frame("d0a1", 1) + u'\n' + frame("d0a2", 1));
    deviceB.send(frame("d0b1", 1));
    for (const char *id : {"d0a1", "d0a2", "d0b1"})
        QVERIFY(waitForLine(subC, frame(id, 1)));
    QCOMPARE(controllerC.request(u"cmd:all:pattern:heartbeat"_qs), Protocol::commandSentTo(3));
    QCOMPARE(gatewayA.next(), u"pattern:heartbeat"_qs);
    QCOMPARE(gatewayA.next(), u"pattern:heartbeat"_qs); // once per id it carries
    QCOMPARE(deviceB.next(), u"pattern:heartbeat"_qs);
    // From a relay with devices of its own: they get it at once, the answer counts all three.
    gatewayA.send(u"cmd:all:status"_qs);
    QCOMPARE(gatewayA.next(), u"status:"_qs);
    QCOMPARE(gatewayA.next(), u"status:"_qs);
    QCOMPARE(gatewayA.next(), Protocol::commandSentTo(3));
    QCOMPARE(deviceB.next(), u"status:"_qs);
}

void TestCluster::malformedBackplaneMessagesAreIgnored()
{
    for (const QByteArray &garbage : {QByteArray("frames x\nnot-a-frame\n"), QByteArray("cmd x 1 zz\nled:1"),
                                      QByteArray(""), QByteArray("count x y 3")}) {
        QCOMPARE(m_redis.command({"PUBLISH", m_prefix + "frames", garbage}).left(1), QByteArray(":"));
        m_redis.command({"PUBLISH", m_prefix + "all", garbage});
    }
    QVERIFY(QTest::qWaitFor(
        [this] {
            const QByteArray metrics = httpGet(m_a.port(), "/metrics");
            return metrics.contains("grouploop_relay_cluster_malformed_total 8");
        },
        3000));
    TestClient deviceA, subB;
    QVERIFY(deviceA.open(m_a.url()));
    QVERIFY(subB.open(m_b.url()));
    QCOMPARE(subB.request(u"s"_qs), u"stream:on"_qs);
    deviceA.send(frame("e0a1", 1));
    QVERIFY(waitForLine(subB, frame("e0a1", 1)));
}

void TestCluster::killedRelayLeavesTheRegistry()
{
    TestClient deviceC, controllerA, subA;
    QVERIFY(deviceC.open(m_c.url()));
    QVERIFY(controllerA.open(m_a.url()));
    QVERIFY(subA.open(m_a.url()));
    QCOMPARE(subA.request(u"s"_qs), u"stream:on"_qs);
    // Mid-stream: frames flow from C when it dies.
    QTimer stream;
    int n = 0;
    QObject::connect(&stream, &QTimer::timeout, &deviceC, [&] { deviceC.send(frame("f0c1", ++n)); });
    stream.start(20);
    QVERIFY(waitForLine(subA, frame("f0c1", 1)));
    QVERIFY(registered("f0c1"));
    QCOMPARE(controllerA.request(u"cmd:f0c1:vibrate:100"_qs), Protocol::commandSuccess());

    QElapsedTimer clock;
    clock.start();
    m_c.kill();
    QVERIFY(QTest::qWaitFor([this] { return !registered("f0c1"); }, DeviceTtlSeconds * 1000 + 2000));
    QVERIFY2(clock.elapsed() <= DeviceTtlSeconds * 1000 + 500,
             QByteArray::number(clock.elapsed()).constData());
    QCOMPARE(controllerA.request(u"cmd:f0c1:vibrate:100"_qs), Protocol::commandFailed());
    QVERIFY(m_a.redisUp());
}

void TestCluster::redisRestartIsRidden()
{
    TestClient deviceA, deviceB, subA, subB, controllerA, controllerB;
    QVERIFY(deviceA.open(m_a.url()));
    QVERIFY(deviceB.open(m_b.url()));
    QVERIFY(controllerA.open(m_a.url()));
    QVERIFY(controllerB.open(m_b.url()));
    for (auto [client, relay] : {std::pair {&subA, &m_a}, {&subB, &m_b}}) {
        QVERIFY(client->open(relay->url()));
        QCOMPARE(client->request(u"s"_qs), u"stream:on"_qs);
    }
    QTimer stream;
    int n = 0;
    QObject::connect(&stream, &QTimer::timeout, &deviceA, [&] {
        ++n;
        deviceA.send(frame("9a01", n));
        deviceB.send(frame("9b01", n));
    });
    stream.start(20);
    QVERIFY(QTest::qWaitFor([&] { return subB.frameLines().contains(frame("9a01", n - 1)); }, 5000));

    m_redis.kill();
    QVERIFY(QTest::qWaitFor([this] { return m_a.health().contains("\"status\":\"degraded\""); }, 7000));
    QVERIFY(QTest::qWaitFor([this] { return m_b.health().contains("\"status\":\"degraded\""); }, 7000));
    // Degraded, each relay still serves its own clients; remote commands fail at once.
    subA.received.clear();
    QVERIFY(QTest::qWaitFor([&] { return subA.frameLines().contains(frame("9a01", n - 1)); }, 3000));
    QCOMPARE(controllerA.request(u"cmd:9a01:reset"_qs), Protocol::commandSuccess());
    QCOMPARE(deviceA.next(), u"reset:"_qs);
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(controllerA.request(u"cmd:9b01:reset"_qs), Protocol::commandFailed());
    QVERIFY(clock.elapsed() < 1000);
    QCOMPARE(controllerA.request(u"cmd:all:reset"_qs), Protocol::commandSentTo(1)); // its own only
    QCOMPARE(deviceA.next(), u"reset:"_qs);

    // Back on the same port: the relays reconnect, re-register their devices and share again.
    QVERIFY(m_redis.start(m_redis.port()));
    QVERIFY(m_a.waitRedisUp());
    QVERIFY(m_b.waitRedisUp());
    QVERIFY(QTest::qWaitFor([this] { return registered("9a01") && registered("9b01"); }, 3000));
    subA.received.clear();
    subB.received.clear();
    QVERIFY(QTest::qWaitFor([&] { return subA.frameLines().contains(frame("9b01", n - 1)); }, 5000));
    QVERIFY(QTest::qWaitFor([&] { return subB.frameLines().contains(frame("9a01", n - 1)); }, 5000));
    QCOMPARE(controllerB.request(u"cmd:9a01:vibrate:50"_qs), Protocol::commandSuccess());
    QCOMPARE(deviceA.next(), u"vibrate:50"_qs);
    QCOMPARE(controllerA.request(u"cmd:all:led_all_off"_qs), Protocol::commandSentTo(2));
    const QByteArray metrics = httpGet(m_a.port(), "/metrics");
    QVERIFY2(metrics.contains("grouploop_relay_redis_up 1")
                 && metrics.contains("grouploop_relay_redis_reconnects_total 1"),
             metrics.constData());
}

void TestCluster::startsWithoutRedis()
{
    // Nothing listens on that port: the relay serves its own clients, degraded, and says so once.
    Relay alone;
    QVERIFY(alone.start(freePort(), m_prefix));
    QVERIFY(QTest::qWaitFor([&] { return alone.health().contains("\"status\":\"degraded\""); }, 5000));
    TestClient device, controller;
    QVERIFY(device.open(alone.url()));
    QVERIFY(controller.open(alone.url()));
    device.send(frame("7a01", 1));
    device.sync();
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(controller.request(u"cmd:7b01:reset"_qs), Protocol::commandFailed());
    QVERIFY(clock.elapsed() < 1000);
    QCOMPARE(controller.request(u"cmd:7a01:reset"_qs), Protocol::commandSuccess());
    QCOMPARE(device.next(), u"reset:"_qs);
    QCOMPARE(controller.request(u"cmd:all:status"_qs), Protocol::commandSentTo(1));
    QVERIFY(httpGet(alone.port(), "/metrics").contains("grouploop_relay_redis_up 0"));
}

void TestCluster::rolloutReachesDevicesOnOtherRelays()
{
    // A relay that flashes, with the image; the device streams through B and comes back on A.
    QTemporaryDir folder;
    const QByteArray image(200 * 1024 + 7, 'i');
    QFile file(folder.filePath(u"app.bin"_qs));
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(image) == image.size());
    file.close();
    const QByteArray token = "flash";
    Relay flasher;
    QVERIFY(flasher.start(
        m_redis.port(), m_prefix,
        {u"--token"_qs, QString::fromLatin1(token), u"--allow-ota"_qs, u"--firmware-dir"_qs, folder.path()}));
    QVERIFY(flasher.waitRedisUp());
    TestClient device;
    QVERIFY(device.open(m_b.url()));
    device.sendAndSync(frame("0e01", 1));
    QTimer streaming; // it streams on, as a device does: a silent one expires from the registry
    streaming.callOnTimeout([&] { device.send(frame("0e01", 1)); });
    streaming.start(200);
    QVERIFY(QTest::qWaitFor(
        [&] { return httpRequest(flasher.port(), "GET", "/devices", token).second.contains("\"0e01\""); },
        3000));

    const auto [status, started]
        = httpRequest(flasher.port(), "POST", "/ota", token,
                      R"({"firmware":"app.bin","targets":["0e01","0e02"],"timeout_s":30})");
    QCOMPARE(status, 201);
    const QByteArray id = QJsonDocument::fromJson(started)[u"id"].toString().toLatin1();
    const auto deviceState = [&](const char *which) {
        const QJsonDocument rollout
            = QJsonDocument::fromJson(httpRequest(flasher.port(), "GET", "/ota/" + id, token).second);
        for (const QJsonValue &entry : rollout[u"devices"].toArray()) {
            if (entry[u"id"].toString() == QLatin1String(which))
                return entry.toObject();
        }
        return QJsonObject();
    };

    // The relay it is on sends the command; the URL is the flasher's.
    const QString command = device.next(5000);
    const QString base = u"ota:http://127.0.0.1:%1/firmware/app.bin?ota="_qs.arg(flasher.port());
    QVERIFY2(command.startsWith(base), qPrintable(command));
    QVERIFY(QTest::qWaitFor([&] { return deviceState("0e02")[u"state"].toString() == u"failed"; }, 5000));
    QCOMPARE(deviceState("0e02")[u"error"].toString(), u"not connected to any relay of the cluster"_qs);

    // Its download is the flasher's to count, its reboot is B's "gone", its return its frames on A.
    const auto [downloadStatus, downloaded]
        = httpRequest(flasher.port(), "GET", command.mid(command.indexOf(u"/firmware/"_qs)).toLatin1(), "");
    QCOMPARE(downloadStatus, 200);
    QCOMPARE(downloaded.size(), image.size());
    QVERIFY(QTest::qWaitFor([&] { return deviceState("0e01")[u"bytes"].toInteger() == image.size(); }, 5000));
    QCOMPARE(deviceState("0e01")[u"state"].toString(), u"downloading"_qs);
    streaming.stop();
    device.socket.close();
    QVERIFY(QTest::qWaitFor([&] { return deviceState("0e01")[u"state"].toString() == u"rebooting"; }, 5000));
    TestClient back;
    QVERIFY(back.open(m_a.url()));
    back.send(frame("0e01", 2));
    QVERIFY(QTest::qWaitFor([&] { return deviceState("0e01")[u"state"].toString() == u"updated"; }, 5000));
    const QJsonObject result
        = QJsonDocument::fromJson(httpRequest(flasher.port(), "GET", "/ota/" + id, token).second).object();
    QCOMPARE(result[u"state"].toString(), u"done"_qs);
    QCOMPARE(result[u"counts"][u"updated"].toInt(), 1);
    QCOMPARE(result[u"counts"][u"failed"].toInt(), 1);
}

void TestCluster::cleanupTestCase()
{
    m_a.kill();
    m_b.kill();
    m_c.kill();
    m_redis.kill();
}

QTEST_MAIN(TestCluster)
#include "tst_cluster.moc"
