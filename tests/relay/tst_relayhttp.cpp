// The HTTP side door on the WebSocket port.
#include "relaytestclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {
struct HttpReply
{
    int status = 0;
    QByteArray head;
    QByteArray body;
};

// A raw request, so the test controls every byte; event-loop waits (the relay is in-process).
HttpReply rawRequest(quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QByteArray all;
    bool connected = QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 3000);
    if (!connected)
        return {};
    socket.write(request);
    const bool closed = QTest::qWaitFor(
        [&] {
            all += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        5000);
    all += socket.readAll();
    HttpReply reply;
    if (!closed)
        return reply;
    const qsizetype split = all.indexOf("\r\n\r\n");
    reply.head = all.left(split);
    reply.body = split < 0 ? QByteArray() : all.mid(split + 4);
    const QList<QByteArray> statusLine = reply.head.left(reply.head.indexOf("\r\n")).split(' ');
    reply.status = statusLine.size() > 1 ? statusLine[1].toInt() : 0;
    return reply;
}

HttpReply get(quint16 port, const QByteArray &path)
{
    return rawRequest(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}
} // namespace

class TestRelayHttp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { relay = startRelay(); }
    void cleanup() { relay.reset(); }

    void health();
    void devices();
    void commandsJson_data();
    void commandsJson();
    void headHasNoBody();
    void errors_data();
    void errors();
    void oversizeHeadIs431();
    void websocketStillWorksAfterHttp();
    void metricsAreValidPrometheusText();

private:
    std::unique_ptr<RelayServer> relay;
};

void TestRelayHttp::health()
{
    TestClient device, sub;
    QVERIFY(device.open(*relay) && sub.open(*relay));
    QCOMPARE(sub.request(u"s"_qs), u"stream:on"_qs);
    device.sendAndSync(u"a1b28080bf1020304000"_qs);
    const HttpReply reply = get(relay->serverPort(), "/health");
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.head.contains("Content-Type: application/json"));
    const QJsonObject health = QJsonDocument::fromJson(reply.body).object();
    QCOMPARE(health.value(u"status").toString(), u"ok"_qs);
    QCOMPARE(health.value(u"version").toString(), QStringLiteral(GROUPLOOP_VERSION));
    QCOMPARE(health.value(u"connections").toInt(), 2);
    QCOMPARE(health.value(u"devices").toInt(), 1);
    QCOMPARE(health.value(u"subscribers").toInt(), 1);
    QVERIFY(health.value(u"uptime_s").toDouble() >= 0.0);
}

void TestRelayHttp::devices()
{
    TestClient gateway;
    QVERIFY(gateway.open(*relay));
    QCOMPARE(gateway.request(u"id:hall-gateway"_qs), u"id:ok"_qs);
    gateway.sendAndSync(u"00028080bf1020304000\n00018080bf1020304000\n00018080bf1020304000"_qs);
    const HttpReply reply = get(relay->serverPort(), "/devices");
    QCOMPARE(reply.status, 200);
    const QJsonObject doc = QJsonDocument::fromJson(reply.body).object();
    QCOMPARE(doc.value(u"count").toInt(), 2);
    const QJsonArray devices = doc.value(u"devices").toArray();
    QCOMPARE(devices.size(), 2);
    const QJsonObject first = devices.at(0).toObject();
    QCOMPARE(first.value(u"id").toString(), u"0001"_qs);
    QCOMPARE(first.value(u"label").toString(), u"hall-gateway"_qs);
    QVERIFY(first.value(u"remote_address").toString().startsWith(u"127.0.0.1:"));
    QCOMPARE(first.value(u"frames").toInt(), 2);
    QVERIFY(QDateTime::fromString(first.value(u"first_seen").toString(), Qt::ISODateWithMs).isValid());
    QVERIFY(QDateTime::fromString(first.value(u"last_seen").toString(), Qt::ISODateWithMs).isValid());
    QVERIFY(first.contains(u"rate_hz"));
}

void TestRelayHttp::commandsJson_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("root") << QByteArray("/commands.json");
    QTest::newRow("static, as the old CDN") << QByteArray("/static/commands.json");
}

void TestRelayHttp::commandsJson()
{
    QFETCH(QByteArray, path);
    const HttpReply reply = get(relay->serverPort(), path);
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.head.contains("Access-Control-Allow-Origin: *"));
    const auto registry = CommandRegistry::fromJson(reply.body);
    QVERIFY(registry);
    QCOMPARE(registry->commands(), CommandRegistry::builtIn().commands());
}

void TestRelayHttp::headHasNoBody()
{
    const HttpReply reply
        = rawRequest(relay->serverPort(), "HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.body.isEmpty());
    QVERIFY(reply.head.contains("Content-Length: "));
}

void TestRelayHttp::errors_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("unknown path") << QByteArray("GET /admin HTTP/1.1\r\nConnection: close\r\n\r\n") << 404;
    QTest::newRow("post") << QByteArray("POST /health HTTP/1.1\r\nContent-Length: 0\r\n\r\n") << 405;
    QTest::newRow("garbage") << QByteArray("\x01\x02\x03 hello\r\n\r\n") << 400;
    QTest::newRow("upgrade without key")
        << QByteArray("GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n") << 400;
    QTest::newRow("options preflight") << QByteArray("OPTIONS /commands.json HTTP/1.1\r\n\r\n") << 204;
}

void TestRelayHttp::errors()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QCOMPARE(rawRequest(relay->serverPort(), request).status, status);
}

void TestRelayHttp::oversizeHeadIs431()
{
    const QByteArray huge
        = "GET / HTTP/1.1\r\nX-Filler: " + QByteArray(relay->config().maxRequestHeadBytes, 'a');
    const HttpReply reply = rawRequest(relay->serverPort(), huge);
    QCOMPARE(reply.status, 431);
    QVERIFY(relay->stats().rejectedHandshake >= 1u);
}

void TestRelayHttp::websocketStillWorksAfterHttp()
{
    for (int i = 0; i < 5; ++i)
        QCOMPARE(get(relay->serverPort(), "/health").status, 200);
    TestClient client;
    QVERIFY(client.open(*relay));
    QCOMPARE(client.request(u"ping"_qs), u"pong"_qs);
    QCOMPARE(relay->stats().connections, 1);
}

void TestRelayHttp::metricsAreValidPrometheusText()
{
    TestClient device, sub, controller;
    QVERIFY(device.open(*relay) && sub.open(*relay) && controller.open(*relay));
    QCOMPARE(sub.request(u"s"_qs), u"stream:on"_qs);
    device.send(u"a1b28080bf1020304000\nc3d48080bf1020304000\nnonsense"_qs);
    QCOMPARE(sub.next(), u"a1b28080bf1020304000\nc3d48080bf1020304000\n"_qs);
    QCOMPARE(controller.request(u"cmd:a1b2:status"_qs), u"cmd:result:success"_qs);
    QCOMPARE(controller.request(u"cmd:ffff:status"_qs), u"cmd:result:failed"_qs);
    QCOMPARE(controller.request(u"cmd:all:nope"_qs), u"cmd:result:Unknown command: nope"_qs);

    const HttpReply reply = get(relay->serverPort(), "/metrics");
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.head.contains("Content-Type: text/plain; version=0.0.4"));

    // Parse the exposition format: HELP/TYPE comments, then `name{labels} value` samples.
    static const QRegularExpression sampleLine(
        uR"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$)"_qs);
    static const QRegularExpression typeLine(
        uR"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)"_qs);
    QSet<QString> typed;
    QHash<QString, double> samples;
    for (const QByteArray &raw : reply.body.split('\n')) {
        const QString line = QString::fromUtf8(raw);
        if (line.isEmpty())
            continue;
        if (line.startsWith(u"# HELP "))
            continue;
        if (const auto m = typeLine.match(line); m.hasMatch()) {
            typed.insert(m.captured(1));
            continue;
        }
        const auto m = sampleLine.match(line);
        QVERIFY2(m.hasMatch(), qPrintable(u"not a Prometheus sample: "_qs + line));
        QVERIFY2(typed.contains(m.captured(1)), qPrintable(u"sample before its TYPE: "_qs + line));
        samples.insert(m.captured(1) + m.captured(2), m.captured(4).toDouble());
    }
    QCOMPARE(samples.value(u"grouploop_relay_devices"_qs), 2.0);
    QCOMPARE(samples.value(u"grouploop_relay_subscribers"_qs), 1.0);
    QCOMPARE(samples.value(u"grouploop_relay_connections{role=\"subscriber\"}"_qs), 1.0);
    QCOMPARE(samples.value(u"grouploop_relay_connections{role=\"device\"}"_qs), 1.0);
    QCOMPARE(samples.value(u"grouploop_relay_connections{role=\"other\"}"_qs), 1.0);
    QCOMPARE(samples.value(u"grouploop_relay_frames_in_total"_qs), 2.0);
    QCOMPARE(samples.value(u"grouploop_relay_frames_out_total"_qs), 2.0);
    QCOMPARE(samples.value(u"grouploop_relay_junk_lines_total"_qs), 1.0);
    QCOMPARE(samples.value(u"grouploop_relay_commands_total{result=\"sent\"}"_qs), 1.0);
    QCOMPARE(samples.value(u"grouploop_relay_commands_total{result=\"failed\"}"_qs), 1.0);
    QCOMPARE(samples.value(u"grouploop_relay_commands_total{result=\"rejected\"}"_qs), 1.0);
    QVERIFY(samples.contains(u"grouploop_relay_limit_violations_total{kind=\"rate\"}"_qs));
    QVERIFY(samples.contains(u"grouploop_relay_info{version=\""_qs + QStringLiteral(GROUPLOOP_VERSION)
                             + u"\"}"_qs));
    QVERIFY(samples.value(u"grouploop_relay_uptime_seconds"_qs) >= 0.0);
}

QTEST_MAIN(TestRelayHttp)
#include "tst_relayhttp.moc"
