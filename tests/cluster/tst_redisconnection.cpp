// RedisConnection against a real redis-server: up once both contexts are connected and every
// channel subscribed; commands answer their handlers with typed replies; messages on the
// channels arrive; Redis killed: a command in flight hears Lost, then down; Redis back: up again, counted
// as a reconnect; nothing there: down with back-off, never up.
#include "redisconnection.h"
#include "redisprocess.h"

#include <QTest>

#include <optional>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

class Listener : public RedisConnection::Listener
{
public:
    void redisUp() override { ++ups; }
    void redisDown() override { ++downs; }
    void redisMessage(QByteArrayView channel, QByteArrayView message) override
    {
        messages.append({channel.toByteArray(), message.toByteArray()});
    }

    int ups = 0;
    int downs = 0;
    QList<QPair<QByteArray, QByteArray>> messages;
};

Cluster::RedisUrl urlFor(quint16 port)
{
    QString error;
    return *Cluster::RedisUrl::parse(QStringLiteral("redis://127.0.0.1:%1").arg(port), &error);
}

} // namespace

class TestRedisConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void commandsMessagesAndReconnect();
    void nothingThereStaysDown();
};

void TestRedisConnection::commandsMessagesAndReconnect()
{
    RedisProcess redis;
    QString error;
    QVERIFY2(redis.start(0, &error), qPrintable(error));
    Listener listener;
    RedisConnection connection(urlFor(redis.port()), {"test:a", "test:b"}, &listener);
    connection.start();
    QTRY_COMPARE_WITH_TIMEOUT(listener.ups, 1, 10000);
    QVERIFY(connection.isUp());
    QVERIFY(connection.stats().latencyUs >= 0);

    QList<RedisConnection::Reply::Type> types;
    QByteArray value;
    long long subscribers = -1;
    connection.command({"SET", "test:key", QByteArray("v\0w", 3)}); // no handler: fire and forget
    connection.command({"GET", "test:key"}, [&](const RedisConnection::Reply &reply) {
        types.append(reply.type);
        value = reply.string.toByteArray();
    });
    connection.command({"GET", "test:missing"},
                       [&](const RedisConnection::Reply &reply) { types.append(reply.type); });
    connection.command({"NOSUCHCOMMAND"},
                       [&](const RedisConnection::Reply &reply) { types.append(reply.type); });
    connection.command({"PUBLISH", "test:b", "hello"}, [&](const RedisConnection::Reply &reply) {
        types.append(reply.type);
        subscribers = reply.integer;
    });
    connection.flushNow();
    QTRY_COMPARE_WITH_TIMEOUT(types.size(), 4, 5000);
    using Type = RedisConnection::Reply::Type;
    QCOMPARE(types, (QList<Type> {Type::String, Type::Nil, Type::Error, Type::Integer}));
    QCOMPARE(value, QByteArray("v\0w", 3)); // binary-safe both ways
    QCOMPARE(subscribers, 1); // our own subscribing context
    QTRY_COMPARE_WITH_TIMEOUT(listener.messages.size(), 1, 5000);
    QCOMPARE(listener.messages.constFirst(), (QPair<QByteArray, QByteArray> {"test:b", "hello"}));
    QVERIFY(connection.isUp()); // an error reply to a command does not take the connection down

    const quint16 port = redis.port();
    std::optional<Type> blocked;
    connection.command({"BLPOP", "test:never", "0"},
                       [&](const RedisConnection::Reply &reply) { blocked = reply.type; });
    connection.flushNow();
    redis.kill();
    QTRY_COMPARE_WITH_TIMEOUT(listener.downs, 1, 10000);
    QVERIFY(!connection.isUp());
    QCOMPARE(blocked, std::optional<Type>(Type::Lost)); // in flight when Redis went
    connection.command({"GET", "test:key"}); // down: dropped, no crash

    QVERIFY2(redis.start(port, &error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(listener.ups, 2, 15000);
    QCOMPARE(connection.stats().reconnects, 1u);
}

void TestRedisConnection::nothingThereStaysDown()
{
    Listener listener;
    const quint16 port = [] {
        RedisProcess probe; // a port nobody listens on once it is gone
        return probe.start() ? probe.port() : quint16(1);
    }();
    RedisConnection connection(urlFor(port), {"test:a"}, &listener);
    connection.start();
    QTRY_VERIFY_WITH_TIMEOUT(listener.downs >= 2, 10000); // tried again, with back-off
    QCOMPARE(listener.ups, 0);
    QVERIFY(!connection.stats().up);
}

QTEST_GUILESS_MAIN(TestRedisConnection)
#include "tst_redisconnection.moc"
