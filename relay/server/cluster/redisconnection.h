// RedisConnection: cluster mode's link to Redis. Two hiredis contexts, one for commands and
// PUBLISH and one that only SUBSCRIBEs; AUTH and SELECT from the --redis URL; a PING a second
// for liveness and latency; and, while Redis is away, reconnecting with back-off. A host name
// is looked up with QHostInfo (off the thread) and hiredis gets the address: hiredis's own
// getaddrinfo() would block the relay's thread for as long as DNS takes. It knows
// nothing of frames or devices: RedisBackplane says what to send and hears what arrives.
#pragma once

#include "clusterprotocol.h"

#include <QByteArrayView>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>
#include <initializer_list>

struct redisAsyncContext;
class RedisQtAdapter;

namespace GroupLoop {

class RedisConnection : public QObject
{
    Q_OBJECT
public:
    // What the owner hears. Called from inside hiredis callbacks: do not delete the connection.
    class Listener
    {
    public:
        // Both contexts connected, every channel subscribed, the first PING answered.
        virtual void redisUp() = 0;
        // Lost (or never made); a reconnect follows after the back-off. Commands in flight have
        // heard Lost, or will hear nothing (see command()).
        virtual void redisDown() = 0;
        // A message on one of the subscribed channels.
        virtual void redisMessage(QByteArrayView channel, QByteArrayView message) = 0;

    protected:
        ~Listener() = default;
    };

    // A command's reply; the views point into hiredis's reply and live for the call only.
    struct Reply
    {
        enum class Type { Lost, Error, Nil, String, Integer, Other };
        Type type = Type::Lost; // Lost: the connection went before the reply came
        QByteArrayView string; // String, Error
        long long integer = 0; // Integer
    };
    using ReplyHandler = std::function<void(const Reply &reply)>;

    struct Stats
    {
        bool up = false;
        qint64 latencyUs = -1; // last PING round trip
        qint64 latencyMaxUs = 0;
        quint64 reconnects = 0; // successful connections after the first
    };

    RedisConnection(Cluster::RedisUrl url, QList<QByteArray> channels, Listener *listener,
                    QObject *parent = nullptr);
    ~RedisConnection() override;

    // Replaces QHostInfo for host names (before start()); see ClusterSettings::resolveHost.
    void setResolver(Cluster::ClusterSettings::HostResolver resolver) { m_resolver = std::move(resolver); }
    void start(); // connects in the background
    bool isUp() const { return m_state == State::Up; }
    const Cluster::RedisUrl &url() const { return m_url; }
    Stats stats() const;

    // Sends a command (binary-safe arguments) on the command context; dropped when there is none
    // (down). `done`, if given, hears the reply once: Lost when hiredis loses the connection
    // first, and nothing at all when the connection is dropped on purpose (a PING timeout, a
    // failed setup, destruction); redisDown() says so then.
    void command(std::initializer_list<QByteArrayView> arguments, ReplyHandler done = {});
    // Bytes of commands not yet handed to the kernel.
    qsizetype backlogBytes() const;
    // Hands queued commands to the kernel now rather than when the write notifier fires on the
    // next event-loop pass: under load a pass is milliseconds. What does not fit waits for it.
    void flushNow();

private:
    enum class State { Down, Connecting, Up };

    void connectNow();
    void resolved(const QHostInfo &info);
    void connectTo(const QByteArray &address);
    void goUpIfReady();
    void goDown(const QString &reason);
    void freeContexts();
    void ping();

    // hiredis callbacks (C function pointers); ac->data is the connection, or null once dropped.
    // The connection of a reply that is not an error; on an error (or a lost connection) it
    // goes down and this returns null.
    static RedisConnection *answered(redisAsyncContext *ac, void *reply);
    static void onConnected(const redisAsyncContext *ac, int status);
    static void onDisconnected(const redisAsyncContext *ac, int status);
    static void onSetupReply(redisAsyncContext *ac, void *reply, void *privdata);
    static void onSubscriberReply(redisAsyncContext *ac, void *reply, void *privdata);
    static void onPingReply(redisAsyncContext *ac, void *reply, void *privdata);
    static void onCommandReply(redisAsyncContext *ac, void *reply, void *privdata);

    Cluster::RedisUrl m_url;
    Cluster::ClusterSettings::HostResolver m_resolver;
    QObject *m_lookup = nullptr; // the context of the lookup in flight; deleted, its answer is dropped
    QList<QByteArray> m_channels;
    Listener *m_listener;
    State m_state = State::Down;
    bool m_everUp = false;
    bool m_downLogged = false;
    redisAsyncContext *m_pub = nullptr; // commands, PUBLISH
    redisAsyncContext *m_sub = nullptr; // SUBSCRIBE only
    RedisQtAdapter *m_pubAdapter = nullptr;
    RedisQtAdapter *m_subAdapter = nullptr;
    int m_connected = 0; // of the two contexts
    int m_subscriptions = 0; // confirmed channels
    bool m_pubReady = false; // AUTH/SELECT/first PING answered

    QTimer m_reconnectTimer;
    int m_backoffMs = 0;
    QTimer m_connectTimeout;
    QTimer m_pingTimer;
    QElapsedTimer m_pingSent; // invalid when no PING is outstanding
    Stats m_stats;
};

} // namespace GroupLoop
