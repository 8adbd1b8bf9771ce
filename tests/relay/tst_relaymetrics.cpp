// RelayMetrics on its own: the Prometheus text for a given snapshot, line by line; every sample
// under a # HELP and # TYPE of its family; the cluster families only in cluster mode.
#include "relaymetrics.h"

#include <QSet>
#include <QTest>

using namespace GroupLoop;

namespace {

RelayStats sampleStats()
{
    RelayStats s;
    s.uptimeMs = 1500;
    s.devices = 3;
    s.subscribers = 2;
    s.framesIn = 1000;
    s.framesOut = 123456789012;
    s.messagesOut = 77;
    s.commandsSent = 5;
    s.commandsFailed = 1;
    s.commandsRejected = 2;
    s.closedRateLimit = 4;
    s.rejectedHandshake = 6;
    s.authFailures = 9;
    return s;
}

QList<QByteArray> linesOf(const QByteArray &text)
{
    QList<QByteArray> lines = text.split('\n');
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    return lines;
}

} // namespace

class TestRelayMetrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void samples_data();
    void samples();
    void everySampleHasItsFamily();
    void clusterOnlyInClusterMode();
};

void TestRelayMetrics::samples_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("info") << QByteArray("grouploop_relay_info{version=\"" GROUPLOOP_VERSION "\"} 1");
    QTest::newRow("uptime") << QByteArray("grouploop_relay_uptime_seconds 1.5");
    QTest::newRow("subscribers by role") << QByteArray("grouploop_relay_connections{role=\"subscriber\"} 2");
    QTest::newRow("devices by role") << QByteArray("grouploop_relay_connections{role=\"device\"} 3");
    QTest::newRow("others by role") << QByteArray("grouploop_relay_connections{role=\"other\"} 1");
    QTest::newRow("pending") << QByteArray("grouploop_relay_pending_handshakes 4");
    QTest::newRow("big counter") << QByteArray("grouploop_relay_frames_out_total 123456789012");
    QTest::newRow("commands") << QByteArray("grouploop_relay_commands_total{result=\"rejected\"} 2");
    QTest::newRow("limits") << QByteArray("grouploop_relay_limit_violations_total{kind=\"rate\"} 4");
    QTest::newRow("handshakes") << QByteArray("grouploop_relay_limit_violations_total{kind=\"handshake\"} 6");
    QTest::newRow("auth") << QByteArray("grouploop_relay_auth_failures_total 9");
    QTest::newRow("help") << QByteArray("# HELP grouploop_relay_frames_in_total Sensor frames received.");
    QTest::newRow("type") << QByteArray("# TYPE grouploop_relay_frames_in_total counter");
}

void TestRelayMetrics::samples()
{
    QFETCH(QByteArray, line);
    const QByteArray text = RelayMetrics(sampleStats(), {2, 3, 1, 4}).text();
    QVERIFY2(linesOf(text).contains(line), text.constData());
}

void TestRelayMetrics::everySampleHasItsFamily()
{
    RelayMetrics metrics(sampleStats(), {2, 3, 1, 4});
    metrics.setCluster(BackplaneStats {}, 0);
    QSet<QByteArray> typed;
    QSet<QByteArray> helped;
    for (const QByteArray &line : linesOf(metrics.text())) {
        if (line.startsWith("# HELP ")) {
            helped.insert(line.split(' ').at(2));
        } else if (line.startsWith("# TYPE ")) {
            const QList<QByteArray> parts = line.split(' ');
            QVERIFY2(parts.size() == 4 && (parts[3] == "gauge" || parts[3] == "counter"), line.constData());
            typed.insert(parts[2]);
        } else {
            const QByteArray name = line.left(
                std::min(line.indexOf('{') < 0 ? line.size() : line.indexOf('{'), line.indexOf(' ')));
            QVERIFY2(name.startsWith("grouploop_relay_"), line.constData());
            QVERIFY2(typed.contains(name) && helped.contains(name), line.constData());
            bool number = false;
            line.mid(line.lastIndexOf(' ') + 1).toDouble(&number);
            QVERIFY2(number, line.constData());
        }
    }
}

void TestRelayMetrics::clusterOnlyInClusterMode()
{
    QVERIFY(!RelayMetrics(sampleStats(), {}).text().contains("redis"));
    BackplaneStats cluster;
    cluster.up = true;
    cluster.latencyUs = -1; // no PING answered yet
    cluster.commandsServed = 4;
    RelayMetrics metrics(sampleStats(), {});
    metrics.setCluster(cluster, 12);
    const QList<QByteArray> lines = linesOf(metrics.text());
    QVERIFY(lines.contains("grouploop_relay_redis_up 1"));
    QVERIFY(lines.contains("grouploop_relay_redis_latency_seconds -1"));
    QVERIFY(lines.contains("grouploop_relay_remote_devices 12"));
    QVERIFY(lines.contains("grouploop_relay_cluster_commands_total{result=\"served\"} 4"));
}

QTEST_GUILESS_MAIN(TestRelayMetrics)
#include "tst_relaymetrics.moc"
