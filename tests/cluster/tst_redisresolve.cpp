// Cluster mode with a Redis host name: the name is looked up off the relay's thread and hiredis
// connects to the address. A lookup that does not answer, or fails, never holds the relay up:
// frames between its own clients keep flowing meanwhile. The URL's host is under .invalid, so
// only the injected resolver can turn it into an address; the relay under test runs in-process
// on this thread, so a blocking lookup would stop the frames too.
#include "redisprocess.h"
#include "relayserver.h"
#include "relaytestclient.h"

#include <QHostInfo>
#include <QPointer>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

// A resolver that answers only when told to (release()), or at once with an error (fail).
struct FakeResolver
{
    struct Pending
    {
        QPointer<QObject> context;
        std::function<void(const QHostInfo &)> done;
    };
    QList<Pending> pending;
    QList<QString> asked;
    bool fail = false;

    Cluster::ClusterSettings::HostResolver resolver()
    {
        return [this](const QString &host, QObject *context, std::function<void(const QHostInfo &)> done) {
            asked.append(host);
            if (!fail) {
                pending.append({context, std::move(done)});
                return;
            }
            QTimer::singleShot(0, context, [done = std::move(done)] {
                QHostInfo info;
                info.setError(QHostInfo::HostNotFound);
                info.setErrorString(QStringLiteral("Host not found"));
                done(info);
            });
        };
    }
    // Answers every lookup whose context is still there with 127.0.0.1.
    void release()
    {
        for (const Pending &p : std::exchange(pending, {})) {
            if (!p.context)
                continue; // the relay gave up on it (connect timeout): it must not hear back
            QHostInfo info;
            info.setAddresses({QHostAddress(QHostAddress::LocalHost)});
            p.done(info);
        }
    }
};

QString frame(int id, int n)
{
    return u"%1%2"_qs.arg(id, 4, 16, QLatin1Char('0')).arg(n, 16, 16, QLatin1Char('0'));
}

// Frames from `device` reach `sub`, each within a few seconds: the relay's thread is not held.
bool framesFlow(TestClient &device, TestClient &sub, int from, int count)
{
    for (int n = from; n < from + count; ++n) {
        device.send(frame(1, n));
        if (sub.next(5000) != frame(1, n) + u'\n')
            return false;
    }
    return true;
}

std::unique_ptr<RelayServer> clusterRelay(quint16 redisPort, FakeResolver &resolver)
{
    RelayConfig config;
    QString error;
    Cluster::ClusterSettings cluster;
    cluster.url = *Cluster::RedisUrl::parse(u"redis://redis-under-test.invalid:%1"_qs.arg(redisPort), &error);
    cluster.resolveHost = resolver.resolver();
    config.cluster = cluster;
    return startRelay(config);
}

} // namespace

class TestRedisResolve : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void slowLookupKeepsFramesFlowingThenConnectsByAddress();
    void failedLookupKeepsFramesFlowingAndRetries();
};

void TestRedisResolve::slowLookupKeepsFramesFlowingThenConnectsByAddress()
{
    RedisProcess redis;
    QString error;
    QVERIFY2(redis.start(0, &error), qPrintable(error));
    FakeResolver resolver;
    auto relay = clusterRelay(redis.port(), resolver);
    QVERIFY(relay);
    QTRY_VERIFY(!resolver.asked.isEmpty());
    QCOMPARE(resolver.asked.constFirst(), u"redis-under-test.invalid"_qs);

    TestClient device, sub;
    QVERIFY(device.open(*relay) && sub.open(*relay));
    QCOMPARE(sub.request(u"s"_qs), u"stream:on"_qs);
    QVERIFY(framesFlow(device, sub, 0, 20)); // the lookup has not answered
    QVERIFY(resolver.pending.size() >= 1);

    // The answer: an address, which hiredis connects to (the name itself resolves nowhere).
    resolver.release();
    QVERIFY(QTest::qWaitFor(
        [&] {
            resolver.release(); // a retry after a connect timeout on a loaded machine
            device.send(frame(1, 100));
            QTest::qWait(100);
            return redis.command({"EXISTS", "grouploop:device:0001"}) == ":1\r\n";
        },
        20000));
}

void TestRedisResolve::failedLookupKeepsFramesFlowingAndRetries()
{
    FakeResolver resolver;
    resolver.fail = true;
    auto relay = clusterRelay(6379, resolver);
    QVERIFY(relay);
    TestClient device, sub;
    QVERIFY(device.open(*relay) && sub.open(*relay));
    QCOMPARE(sub.request(u"s"_qs), u"stream:on"_qs);
    QVERIFY(framesFlow(device, sub, 0, 20));
    // Down, and trying again with back-off (250 ms, then 500 ms, ...).
    QTRY_VERIFY_WITH_TIMEOUT(resolver.asked.size() >= 3, 20000);
    QVERIFY(framesFlow(device, sub, 20, 20));
}

QTEST_GUILESS_MAIN(TestRedisResolve)
#include "tst_redisresolve.moc"
