#include "redisconnection.h"

#include "redisqtadapter.h"
#include "relaylogging.h"

#include <QHostAddress>
#include <QHostInfo>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <hiredis/sds.h>

#include <memory>
#include <vector>

namespace GroupLoop {

namespace {

constexpr int FirstBackoffMs = 250;
constexpr int MaxBackoffMs = 4000;
constexpr int ConnectTimeoutMs = 3000;
constexpr int PingIntervalMs = 1000;
constexpr int PingTimeoutMs = 5000; // Redis silent this long counts as down

RedisConnection *connectionOf(const redisAsyncContext *ac)
{
    return static_cast<RedisConnection *>(ac->data);
}

const redisReply *asReply(void *reply)
{
    return static_cast<const redisReply *>(reply);
}

QString replyError(const redisReply *reply)
{
    if (!reply)
        return QStringLiteral("connection lost");
    return QString::fromUtf8(reply->str, int(reply->len));
}

RedisConnection::Reply toReply(const redisReply *r)
{
    using Type = RedisConnection::Reply::Type;
    RedisConnection::Reply reply;
    if (!r)
        return reply; // Lost
    switch (r->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_ERROR:
        reply.type = r->type == REDIS_REPLY_STRING ? Type::String : Type::Error;
        reply.string = QByteArrayView(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_INTEGER:
        reply.type = Type::Integer;
        reply.integer = r->integer;
        break;
    case REDIS_REPLY_NIL:
        reply.type = Type::Nil;
        break;
    default:
        reply.type = Type::Other;
        break;
    }
    return reply;
}

// redisAsyncCommandArgv() with QByteArrayView arguments.
void sendArgv(redisAsyncContext *ac, redisCallbackFn *callback, void *privdata,
              std::initializer_list<QByteArrayView> arguments)
{
    std::vector<const char *> argv;
    std::vector<size_t> argvlen;
    argv.reserve(arguments.size());
    argvlen.reserve(arguments.size());
    for (QByteArrayView argument : arguments) {
        argv.push_back(argument.data());
        argvlen.push_back(size_t(argument.size()));
    }
    redisAsyncCommandArgv(ac, callback, privdata, int(argv.size()), argv.data(), argvlen.data());
}

} // namespace

RedisConnection::RedisConnection(Cluster::RedisUrl url, QList<QByteArray> channels, Listener *listener,
                                 QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_channels(std::move(channels))
    , m_listener(listener)
{
    m_pubAdapter = RedisQt::create(this);
    m_subAdapter = RedisQt::create(this);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &RedisConnection::connectNow);
    m_connectTimeout.setSingleShot(true);
    m_connectTimeout.setInterval(ConnectTimeoutMs);
    connect(&m_connectTimeout, &QTimer::timeout, this,
            [this] { goDown(QStringLiteral("no connection after %1 ms").arg(ConnectTimeoutMs)); });
    m_pingTimer.setInterval(PingIntervalMs);
    connect(&m_pingTimer, &QTimer::timeout, this, &RedisConnection::ping);
}

RedisConnection::~RedisConnection()
{
    freeContexts();
    RedisQt::destroy(m_pubAdapter);
    RedisQt::destroy(m_subAdapter);
}

void RedisConnection::start()
{
    connectNow();
}

RedisConnection::Stats RedisConnection::stats() const
{
    Stats s = m_stats;
    s.up = isUp();
    return s;
}

void RedisConnection::connectNow()
{
    if (m_state != State::Down)
        return;
    m_state = State::Connecting;
    m_connected = 0;
    m_subscriptions = 0;
    m_pubReady = false;
    m_connectTimeout.start(); // bounds the lookup too
    if (QHostAddress address; address.setAddress(m_url.host)) {
        connectTo(address.toString().toLatin1());
        return;
    }
    // A context per lookup: going down deletes it, and an answer for it is then never called.
    delete m_lookup;
    m_lookup = new QObject(this);
    if (m_resolver) {
        m_resolver(m_url.host, m_lookup, [this](const QHostInfo &info) { resolved(info); });
    } else {
        QHostInfo::lookupHost(m_url.host, m_lookup, [this](const QHostInfo &info) { resolved(info); });
    }
}

void RedisConnection::resolved(const QHostInfo &info)
{
    m_lookup->deleteLater(); // we are inside its call
    m_lookup = nullptr;
    if (m_state != State::Connecting)
        return;
    const QList<QHostAddress> addresses = info.addresses();
    if (info.error() != QHostInfo::NoError || addresses.isEmpty()) {
        goDown(
            QStringLiteral("cannot resolve %1: %2")
                .arg(m_url.host,
                     info.error() != QHostInfo::NoError ? info.errorString() : QStringLiteral("no address")));
        return;
    }
    connectTo(addresses.constFirst().toString().toLatin1());
}

void RedisConnection::connectTo(const QByteArray &address)
{
    // A numeric address: hiredis's getaddrinfo() answers at once, without DNS.
    m_pub = redisAsyncConnect(address.constData(), m_url.port);
    m_sub = redisAsyncConnect(address.constData(), m_url.port);
    if (!m_pub || !m_sub || m_pub->err || m_sub->err) {
        const QString reason = !m_pub || !m_sub
            ? QStringLiteral("out of memory")
            : QString::fromUtf8(m_pub->err ? m_pub->errstr : m_sub->errstr);
        goDown(reason);
        return;
    }
    // The adapter first: setting the connect callback asks it to watch for the connection.
    RedisQt::attach(m_pubAdapter, m_pub);
    RedisQt::attach(m_subAdapter, m_sub);
    for (redisAsyncContext *ac : {m_pub, m_sub}) {
        ac->data = this;
        redisAsyncSetConnectCallback(ac, &RedisConnection::onConnected);
        redisAsyncSetDisconnectCallback(ac, &RedisConnection::onDisconnected);
    }

    // Commands queue until the connection is made; replies arrive in order.
    const QByteArray password = m_url.password.toUtf8();
    for (redisAsyncContext *ac : {m_pub, m_sub}) {
        if (!password.isEmpty())
            sendArgv(ac, &RedisConnection::onSetupReply, nullptr, {"AUTH", password});
    }
    if (m_url.db != 0)
        sendArgv(m_pub, &RedisConnection::onSetupReply, nullptr, {"SELECT", QByteArray::number(m_url.db)});
    std::vector<const char *> argv {"SUBSCRIBE"};
    std::vector<size_t> argvlen {9};
    for (const QByteArray &channel : std::as_const(m_channels)) {
        argv.push_back(channel.constData());
        argvlen.push_back(size_t(channel.size()));
    }
    redisAsyncCommandArgv(m_sub, &RedisConnection::onSubscriberReply, nullptr, int(argv.size()), argv.data(),
                          argvlen.data());
    m_pingSent.start();
    sendArgv(m_pub, &RedisConnection::onPingReply, nullptr, {"PING"});
}

void RedisConnection::goUpIfReady()
{
    if (m_state != State::Connecting || m_connected < 2 || m_subscriptions < m_channels.size() || !m_pubReady)
        return;
    m_state = State::Up;
    m_connectTimeout.stop();
    m_backoffMs = 0;
    m_pingTimer.start();
    if (m_everUp)
        ++m_stats.reconnects;
    m_everUp = true;
    m_downLogged = false;
    m_listener->redisUp();
}

void RedisConnection::goDown(const QString &reason)
{
    const State was = m_state;
    m_state = State::Down;
    m_connectTimeout.stop();
    m_pingTimer.stop();
    m_pingSent.invalidate();
    delete m_lookup; // a lookup still in flight: its answer is dropped
    m_lookup = nullptr;
    freeContexts();
    m_listener->redisDown();
    m_backoffMs = m_backoffMs == 0 ? FirstBackoffMs : std::min(MaxBackoffMs, m_backoffMs * 2);
    if (!m_downLogged) {
        m_downLogged = true; // one line per change of state, not one per attempt
        qCWarning(lcRelayCluster).noquote()
            << QStringLiteral("[CLUSTER] redis %1 unavailable (%2): degraded, serving local clients only; "
                              "retrying with back-off up to %3 ms")
                   .arg(m_url.toDisplayString(), reason)
                   .arg(MaxBackoffMs);
    } else {
        qCDebug(lcRelayCluster).noquote()
            << QStringLiteral("[CLUSTER] redis %1 still unavailable (%2) after %3")
                   .arg(m_url.toDisplayString(), reason)
                   .arg(was == State::Up ? QStringLiteral("up") : QStringLiteral("connecting"));
    }
    m_reconnectTimer.start(m_backoffMs);
}

void RedisConnection::freeContexts()
{
    for (redisAsyncContext **ac : {&m_pub, &m_sub}) {
        if (!*ac)
            continue;
        redisAsyncContext *context = *ac;
        *ac = nullptr;
        context->data = nullptr; // its callbacks, called with no reply while it is freed, do nothing
        redisAsyncFree(context); // deferred by hiredis when called from one of its callbacks
    }
}

void RedisConnection::onConnected(const redisAsyncContext *ac, int status)
{
    RedisConnection *self = connectionOf(ac);
    if (!self)
        return;
    if (status != REDIS_OK) {
        // hiredis frees this context after we return.
        if (ac == self->m_pub)
            self->m_pub = nullptr;
        if (ac == self->m_sub)
            self->m_sub = nullptr;
        self->goDown(QString::fromUtf8(ac->errstr));
        return;
    }
    ++self->m_connected;
    self->goUpIfReady();
}

void RedisConnection::onDisconnected(const redisAsyncContext *ac, int status)
{
    RedisConnection *self = connectionOf(ac);
    if (!self)
        return;
    if (ac == self->m_pub)
        self->m_pub = nullptr;
    if (ac == self->m_sub)
        self->m_sub = nullptr;
    self->goDown(status == REDIS_OK ? QStringLiteral("connection closed") : QString::fromUtf8(ac->errstr));
}

RedisConnection *RedisConnection::answered(redisAsyncContext *ac, void *reply)
{
    RedisConnection *self = connectionOf(ac);
    if (self && (!reply || asReply(reply)->type == REDIS_REPLY_ERROR)) {
        self->goDown(replyError(asReply(reply)));
        return nullptr;
    }
    return self;
}

void RedisConnection::onSetupReply(redisAsyncContext *ac, void *reply, void *)
{
    answered(ac, reply);
}

void RedisConnection::onPingReply(redisAsyncContext *ac, void *reply, void *)
{
    RedisConnection *self = answered(ac, reply);
    if (!self)
        return;
    if (self->m_pingSent.isValid()) {
        const qint64 us = self->m_pingSent.nsecsElapsed() / 1000;
        self->m_stats.latencyUs = us;
        self->m_stats.latencyMaxUs = std::max(self->m_stats.latencyMaxUs, us);
        self->m_pingSent.invalidate();
    }
    if (!self->m_pubReady) {
        self->m_pubReady = true;
        self->goUpIfReady();
    }
}

void RedisConnection::ping()
{
    if (m_state != State::Up)
        return;
    if (m_pingSent.isValid()) {
        if (m_pingSent.elapsed() > PingTimeoutMs)
            goDown(QStringLiteral("no answer to PING for %1 ms").arg(m_pingSent.elapsed()));
        return;
    }
    m_pingSent.start();
    sendArgv(m_pub, &RedisConnection::onPingReply, nullptr, {"PING"});
}

void RedisConnection::onSubscriberReply(redisAsyncContext *ac, void *reply, void *)
{
    RedisConnection *self = answered(ac, reply);
    if (!self)
        return;
    const redisReply *r = asReply(reply);
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 3 || r->element[0]->type != REDIS_REPLY_STRING)
        return;
    const QByteArrayView kind(r->element[0]->str, qsizetype(r->element[0]->len));
    if (kind == "subscribe") {
        ++self->m_subscriptions;
        self->goUpIfReady();
    } else if (kind == "message" && r->element[2]->type == REDIS_REPLY_STRING) {
        self->m_listener->redisMessage(QByteArrayView(r->element[1]->str, qsizetype(r->element[1]->len)),
                                       QByteArrayView(r->element[2]->str, qsizetype(r->element[2]->len)));
    }
}

void RedisConnection::command(std::initializer_list<QByteArrayView> arguments, ReplyHandler done)
{
    if (!m_pub)
        return;
    if (!done) {
        sendArgv(m_pub, nullptr, nullptr, arguments);
        return;
    }
    sendArgv(m_pub, &RedisConnection::onCommandReply, new ReplyHandler(std::move(done)), arguments);
}

void RedisConnection::onCommandReply(redisAsyncContext *ac, void *reply, void *privdata)
{
    const std::unique_ptr<ReplyHandler> done(static_cast<ReplyHandler *>(privdata));
    if (connectionOf(ac)) // else the context is being freed: the owner heard redisDown()
        (*done)(toReply(asReply(reply)));
}

qsizetype RedisConnection::backlogBytes() const
{
    return m_pub ? qsizetype(sdslen(m_pub->c.obuf)) : 0;
}

void RedisConnection::flushNow()
{
    if (m_pub)
        redisAsyncHandleWrite(m_pub);
}

} // namespace GroupLoop
