// The cluster's wire format (clusterprotocol.h): --redis URLs, names, and the messages relays
// publish to each other, including every way a message can be malformed.
#include "clusterprotocol.h"

#include <QTest>

using namespace GroupLoop;
using namespace GroupLoop::Cluster;

class TestClusterProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void redisUrls_data();
    void redisUrls();
    void badRedisUrls_data();
    void badRedisUrls();
    void names();
    void roundTrips();
    void framesBody();
    void malformed_data();
    void malformed();
};

void TestClusterProtocol::redisUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<int>("db");
    QTest::addColumn<QString>("password");
    QTest::newRow("host only") << u"redis://redis"_qs << u"redis"_qs << 6379 << 0 << QString();
    QTest::newRow("port") << u"redis://127.0.0.1:7000"_qs << u"127.0.0.1"_qs << 7000 << 0 << QString();
    QTest::newRow("db") << u"redis://10.0.0.5:6380/3"_qs << u"10.0.0.5"_qs << 6380 << 3 << QString();
    QTest::newRow("slash") << u"redis://h/"_qs << u"h"_qs << 6379 << 0 << QString();
    QTest::newRow("password") << u"redis://:s3cret@h:1/2"_qs << u"h"_qs << 1 << 2 << u"s3cret"_qs;
    QTest::newRow("ipv6") << u"redis://[::1]:6379"_qs << u"::1"_qs << 6379 << 0 << QString();
}

void TestClusterProtocol::redisUrls()
{
    QFETCH(QString, url);
    QString error;
    const auto parsed = RedisUrl::parse(url, &error);
    QVERIFY2(parsed, qPrintable(error));
    QTEST(parsed->host, "host");
    QTEST(int(parsed->port), "port");
    QTEST(parsed->db, "db");
    QTEST(parsed->password, "password");
    QVERIFY(!parsed->toDisplayString().contains(u"s3cret"));
}

void TestClusterProtocol::badRedisUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("says");
    QTest::newRow("no scheme") << u"localhost:6379"_qs << u"redis://"_qs;
    QTest::newRow("http") << u"http://h:6379"_qs << u"redis://"_qs;
    QTest::newRow("tls") << u"rediss://h:6379"_qs << u"TLS"_qs;
    QTest::newRow("no host") << u"redis://:6379"_qs << u"host"_qs;
    QTest::newRow("db word") << u"redis://h/zero"_qs << u"database"_qs;
    QTest::newRow("db negative") << u"redis://h/-1"_qs << u"database"_qs;
    QTest::newRow("deep path") << u"redis://h/1/2"_qs << u"database"_qs;
    QTest::newRow("query") << u"redis://h?db=1"_qs << u"query"_qs;
    QTest::newRow("port") << u"redis://h:99999"_qs << u"'redis://h:99999'"_qs;
    QTest::newRow("empty") << QString() << u"redis://"_qs;
}

void TestClusterProtocol::badRedisUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, says);
    QString error;
    QVERIFY(!RedisUrl::parse(url, &error));
    QVERIFY2(error.startsWith(u"--redis: "), qPrintable(error));
    QVERIFY2(error.contains(says), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
}

void TestClusterProtocol::names()
{
    QCOMPARE(framesChannel("gl:"), QByteArray("gl:frames"));
    QCOMPARE(broadcastChannel("gl:"), QByteArray("gl:all"));
    QCOMPARE(relayChannel("gl:", "h:5003:42"), QByteArray("gl:relay:h:5003:42"));
    QCOMPARE(deviceKey("gl:", 0xa1b2), QByteArray("gl:device:a1b2"));
    QCOMPARE(makeRelayId(u"my host"_qs, 5003, 42), QByteArray("my_host:5003:42"));
}

void TestClusterProtocol::roundTrips()
{
    const QByteArray command = encodeCommand("r1", 7, 0x00ab, u"led_set:2:00ff00\nsecond line"_qs);
    QCOMPARE(command, QByteArray("cmd r1 7 00ab\nled_set:2:00ff00\nsecond line"));
    auto m = Message::decode(command);
    QVERIFY(m);
    QCOMPARE(m->kind, Message::Kind::Command);
    QCOMPARE(m->relay.toByteArray(), QByteArray("r1"));
    QCOMPARE(m->serial, 7u);
    QCOMPARE(m->device, 0x00ab);
    QCOMPARE(m->body.toByteArray(), QByteArray("led_set:2:00ff00\nsecond line"));

    // A Message views the bytes it was decoded from: they must outlive it.
    const QByteArray broadcast = encodeBroadcast("r2", 18446744073709551615u, u"reset:"_qs);
    m = Message::decode(broadcast);
    QVERIFY(m);
    QCOMPARE(m->kind, Message::Kind::Broadcast);
    QCOMPARE(m->serial, 18446744073709551615u);
    QCOMPARE(m->body.toByteArray(), QByteArray("reset:"));

    for (bool success : {true, false}) {
        const QByteArray result = encodeResult("r3", 9, success);
        m = Message::decode(result);
        QVERIFY(m);
        QCOMPARE(m->kind, Message::Kind::Result);
        QCOMPARE(m->success, success);
        QCOMPARE(m->serial, 9u);
    }
    QCOMPARE(encodeResult("r3", 9, true), QByteArray("result r3 9 success"));

    const QByteArray count = encodeCount("r4", 3, 1234);
    m = Message::decode(count);
    QVERIFY(m);
    QCOMPARE(m->kind, Message::Kind::Count);
    QCOMPARE(m->count, 1234);
    QCOMPARE(m->relay.toByteArray(), QByteArray("r4"));

    const QByteArray gone = encodeGone("r5", 0x0e01);
    QCOMPARE(gone, QByteArray("gone r5 0e01"));
    m = Message::decode(gone);
    QVERIFY(m);
    QCOMPARE(m->kind, Message::Kind::Gone);
    QCOMPARE(m->device, 0x0e01);
    QCOMPARE(m->relay.toByteArray(), QByteArray("r5"));
}

void TestClusterProtocol::framesBody()
{
    const QByteArray bytes = framesHeader("h:1:2") + "a1b2c3d4e5f600112233\n" + "00ff0000000000000000\n"
        + "ffff0102030405060708\n";
    const auto m = Message::decode(bytes);
    QVERIFY(m);
    QCOMPARE(m->kind, Message::Kind::Frames);
    QCOMPARE(m->relay.toByteArray(), QByteArray("h:1:2"));
    QList<quint16> ids;
    QList<QByteArray> records;
    forEachFrameRecord(m->body, [&](quint16 id, const char *record) {
        ids.append(id);
        records.append(QByteArray(record, 21));
    });
    QCOMPARE(ids, (QList<quint16> {0xa1b2, 0x00ff, 0xffff}));
    QCOMPARE(records.first(), QByteArray("a1b2c3d4e5f600112233\n"));
    QVERIFY(Message::decode(framesHeader("r"))); // an empty batch is well formed
}

void TestClusterProtocol::malformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("kind only") << QByteArray("frames");
    QTest::newRow("unknown kind") << QByteArray("hello r1\n");
    QTest::newRow("frames without newline") << QByteArray("frames r1");
    QTest::newRow("frames extra token") << QByteArray("frames r1 2\n");
    QTest::newRow("frame uppercase") << QByteArray("frames r1\nA1B2C3D4E5F600112233\n");
    QTest::newRow("frame short") << QByteArray("frames r1\na1b2c3d4e5f60011223\n");
    QTest::newRow("frame no newline") << QByteArray("frames r1\na1b2c3d4e5f600112233");
    QTest::newRow("frame junk") << QByteArray("frames r1\na1b2c3d4e5f60011223x\n");
    QTest::newRow("double space") << QByteArray("cmd r1  7 00ab\nled:1");
    QTest::newRow("cmd no body") << QByteArray("cmd r1 7 00ab");
    QTest::newRow("cmd bad id") << QByteArray("cmd r1 7 zzzz\nled:1");
    QTest::newRow("cmd long id") << QByteArray("cmd r1 7 00abc\nled:1");
    QTest::newRow("cmd bad serial") << QByteArray("cmd r1 -7 00ab\nled:1");
    QTest::newRow("serial too long") << QByteArray("all r1 123456789012345678901\nx");
    QTest::newRow("all no body") << QByteArray("all r1 7");
    QTest::newRow("result word") << QByteArray("result r1 7 maybe");
    QTest::newRow("result body") << QByteArray("result r1 7 success\n");
    QTest::newRow("count word") << QByteArray("count r1 7 many");
    QTest::newRow("count huge") << QByteArray("count r1 7 99999999");
    QTest::newRow("control char") << QByteArray("result r\x01 7 success");
    QTest::newRow("too many tokens") << QByteArray("count r1 7 3 4");
    QTest::newRow("gone no device") << QByteArray("gone r1");
    QTest::newRow("gone bad id") << QByteArray("gone r1 zzzz");
    QTest::newRow("gone body") << QByteArray("gone r1 0e01\n");
}

void TestClusterProtocol::malformed()
{
    QFETCH(QByteArray, bytes);
    QVERIFY(!Message::decode(bytes));
}

QTEST_MAIN(TestClusterProtocol)
#include "tst_clusterprotocol.moc"
