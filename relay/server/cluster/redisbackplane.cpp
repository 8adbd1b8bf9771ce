#include "redisbackplane.h"

#include "redisqtadapter.h"
#include "relaylogging.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <hiredis/sds.h>

namespace GroupLoop {

namespace {

constexpr int FirstBackoffMs = 250;
constexpr int MaxBackoffMs = 4000;
constexpr int ConnectTimeoutMs = 3000;
constexpr int PingIntervalMs = 1000;
constexpr int PingTimeoutMs = 5000; // Redis silent this long counts as down
constexpr qsizetype MaxBacklogBytes = 8 * 1024 * 1024; // unsent to Redis; frames beyond it are dropped
constexpr qint64 MalformedLogIntervalMs = 10000;

// The Lua script that deletes a registry key only if this relay still owns it.
constexpr char DeleteIfOwner[]
    = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

RedisBackplane *backplaneOf(const redisAsyncContext *ac)
{
    return static_cast<RedisBackplane *>(ac->data);
}

const redisReply *asReply(void *reply)
{
    return static_cast<const redisReply *>(reply);
}

void *serialData(quint64 serial)
{
    return reinterpret_cast<void *>(quintptr(serial));
}

quint64 serialOf(void *privdata)
{
    return quint64(reinterpret_cast<quintptr>(privdata));
}

QString replyError(const redisReply *reply)
{
    if (!reply)
        return QStringLiteral("connection lost");
    return QString::fromUtf8(reply->str, int(reply->len));
}

} // namespace

RedisBackplane::RedisBackplane(Cluster::ClusterSettings settings, QByteArray relayId, BackplaneHost *host,
                               QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_relayId(std::move(relayId))
    , m_host(host)
    , m_framesChannel(Cluster::framesChannel(m_settings.prefix))
    , m_broadcastChannel(Cluster::broadcastChannel(m_settings.prefix))
    , m_ownChannel(Cluster::relayChannel(m_settings.prefix, m_relayId))
{
    m_clock.start();
    m_outgoing = Cluster::framesHeader(m_relayId);
    m_headerSize = m_outgoing.size();
    m_pubAdapter = RedisQt::create(this);
    m_subAdapter = RedisQt::create(this);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &RedisBackplane::connectNow);
    m_connectTimeout.setSingleShot(true);
    m_connectTimeout.setInterval(ConnectTimeoutMs);
    connect(&m_connectTimeout, &QTimer::timeout, this,
            [this] { goDown(QStringLiteral("no connection after %1 ms").arg(ConnectTimeoutMs)); });
    m_pingTimer.setInterval(PingIntervalMs);
    connect(&m_pingTimer, &QTimer::timeout, this, &RedisBackplane::ping);
    m_registryTimer.setInterval(std::max(100, m_settings.deviceTtlMs / 3));
    connect(&m_registryTimer, &QTimer::timeout, this, &RedisBackplane::refreshRegistry);
}

RedisBackplane::~RedisBackplane()
{
    // Devices still registered here expire with their keys (on a clean shutdown every client
    // has closed first and deleted its keys).
    freeContexts();
    RedisQt::destroy(m_pubAdapter);
    RedisQt::destroy(m_subAdapter);
}

void RedisBackplane::start()
{
    m_registryTimer.start();
    connectNow();
}

BackplaneStats RedisBackplane::stats() const
{
    BackplaneStats s = m_stats;
    s.up = isUp();
    return s;
}

void RedisBackplane::connectNow()
{
    if (m_state != State::Down)
        return;
    m_state = State::Connecting;
    m_connected = 0;
    m_subscriptions = 0;
    m_pubReady = false;
    const QByteArray host = m_settings.url.host.toUtf8();
    m_pub = redisAsyncConnect(host.constData(), m_settings.url.port);
    m_sub = redisAsyncConnect(host.constData(), m_settings.url.port);
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
        redisAsyncSetConnectCallback(ac, &RedisBackplane::onConnected);
        redisAsyncSetDisconnectCallback(ac, &RedisBackplane::onDisconnected);
    }

    // Commands queue until the connection is made; replies arrive in order.
    const QByteArray password = m_settings.url.password.toUtf8();
    for (redisAsyncContext *ac : {m_pub, m_sub}) {
        if (!password.isEmpty())
            redisAsyncCommand(ac, &RedisBackplane::onSetupReply, nullptr, "AUTH %b", password.constData(),
                              size_t(password.size()));
    }
    if (m_settings.url.db != 0)
        redisAsyncCommand(m_pub, &RedisBackplane::onSetupReply, nullptr, "SELECT %d", m_settings.url.db);
    redisAsyncCommand(m_sub, &RedisBackplane::onSubscriberReply, nullptr, "SUBSCRIBE %b %b %b",
                      m_framesChannel.constData(), size_t(m_framesChannel.size()),
                      m_broadcastChannel.constData(), size_t(m_broadcastChannel.size()),
                      m_ownChannel.constData(), size_t(m_ownChannel.size()));
    m_pingSent.start();
    redisAsyncCommand(m_pub, &RedisBackplane::onPingReply, nullptr, "PING");
    m_connectTimeout.start();
}

void RedisBackplane::goUpIfReady()
{
    if (m_state != State::Connecting || m_connected < 2 || m_subscriptions < 3 || !m_pubReady)
        return;
    m_state = State::Up;
    m_connectTimeout.stop();
    m_backoffMs = 0;
    m_pingTimer.start();
    if (m_everUp)
        ++m_stats.reconnects;
    m_everUp = true;
    m_downLogged = false;
    qCInfo(lcRelayCluster).noquote() << QStringLiteral("[CLUSTER] connected to %1 as %2; cluster mode on")
                                            .arg(m_settings.url.toDisplayString(),
                                                 QString::fromUtf8(m_relayId));
    refreshRegistry(); // (re-)register every device connected here
}

void RedisBackplane::goDown(const QString &reason)
{
    const State was = m_state;
    m_state = State::Down;
    m_connectTimeout.stop();
    m_pingTimer.stop();
    m_pingSent.invalidate();
    freeContexts();
    failPending();
    m_outgoing.resize(m_headerSize);
    m_stats.framesDropped += m_outgoingFrames;
    m_outgoingFrames = 0;
    m_backoffMs = m_backoffMs == 0 ? FirstBackoffMs : std::min(MaxBackoffMs, m_backoffMs * 2);
    if (!m_downLogged) {
        m_downLogged = true; // one line per change of state, not one per attempt
        qCWarning(lcRelayCluster).noquote()
            << QStringLiteral("[CLUSTER] redis %1 unavailable (%2): degraded, serving local clients only; "
                              "retrying with back-off up to %3 ms")
                   .arg(m_settings.url.toDisplayString(), reason)
                   .arg(MaxBackoffMs);
    } else {
        qCDebug(lcRelayCluster).noquote()
            << QStringLiteral("[CLUSTER] redis %1 still unavailable (%2) after %3")
                   .arg(m_settings.url.toDisplayString(), reason)
                   .arg(was == State::Up ? QStringLiteral("up") : QStringLiteral("connecting"));
    }
    m_reconnectTimer.start(m_backoffMs);
}

void RedisBackplane::freeContexts()
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

void RedisBackplane::onConnected(const redisAsyncContext *ac, int status)
{
    RedisBackplane *self = backplaneOf(ac);
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

void RedisBackplane::onDisconnected(const redisAsyncContext *ac, int status)
{
    RedisBackplane *self = backplaneOf(ac);
    if (!self)
        return;
    if (ac == self->m_pub)
        self->m_pub = nullptr;
    if (ac == self->m_sub)
        self->m_sub = nullptr;
    self->goDown(status == REDIS_OK ? QStringLiteral("connection closed") : QString::fromUtf8(ac->errstr));
}

RedisBackplane *RedisBackplane::answered(redisAsyncContext *ac, void *reply)
{
    RedisBackplane *self = backplaneOf(ac);
    if (self && (!reply || asReply(reply)->type == REDIS_REPLY_ERROR)) {
        self->goDown(replyError(asReply(reply)));
        return nullptr;
    }
    return self;
}

void RedisBackplane::onSetupReply(redisAsyncContext *ac, void *reply, void *)
{
    answered(ac, reply);
}

void RedisBackplane::onPingReply(redisAsyncContext *ac, void *reply, void *)
{
    RedisBackplane *self = answered(ac, reply);
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

void RedisBackplane::ping()
{
    if (m_state != State::Up)
        return;
    if (m_pingSent.isValid()) {
        if (m_pingSent.elapsed() > PingTimeoutMs)
            goDown(QStringLiteral("no answer to PING for %1 ms").arg(m_pingSent.elapsed()));
        return;
    }
    m_pingSent.start();
    redisAsyncCommand(m_pub, &RedisBackplane::onPingReply, nullptr, "PING");
}

void RedisBackplane::onSubscriberReply(redisAsyncContext *ac, void *reply, void *)
{
    RedisBackplane *self = answered(ac, reply);
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
        self->onMessage(QByteArrayView(r->element[1]->str, qsizetype(r->element[1]->len)),
                        QByteArrayView(r->element[2]->str, qsizetype(r->element[2]->len)));
    }
}

void RedisBackplane::onMessage(QByteArrayView channel, QByteArrayView bytes)
{
    const auto message = Cluster::Message::decode(bytes);
    if (!message) {
        ++m_stats.malformed;
        const qint64 now = m_clock.elapsed();
        if (m_lastMalformedLogMs < 0 || now - m_lastMalformedLogMs > MalformedLogIntervalMs) {
            m_lastMalformedLogMs = now;
            qCWarning(lcRelayCluster).noquote()
                << QStringLiteral("[CLUSTER] ignored a malformed message on %1: \"%2\"")
                       .arg(QString::fromUtf8(channel),
                            QString::fromUtf8(bytes.first(std::min<qsizetype>(bytes.size(), 60)))
                                .replace(u'\n', QLatin1String("\\n")));
        }
        return;
    }
    if (message->relay == m_relayId)
        return; // our own PUBLISH, echoed
    switch (message->kind) {
    case Cluster::Message::Kind::Frames: {
        const qint64 now = m_clock.elapsed();
        QByteArray relay; // shared by every entry of this batch
        Cluster::forEachFrameRecord(message->body, [&](quint16 id, const char *) {
            RemoteDevice &device = m_remoteDevices[id];
            if (device.relay != message->relay) {
                if (relay.isEmpty())
                    relay = message->relay.toByteArray();
                device.relay = relay;
            }
            device.lastSeenMs = now;
            ++device.frames;
        });
        ++m_stats.batchesReceived;
        m_stats.framesReceived += quint64(message->body.size() / (SensorFrame::TextLength + 1));
        m_host->deliverRemoteFrames(message->body);
        break;
    }
    case Cluster::Message::Kind::Command: {
        const bool delivered = m_host->sendToLocalDevice(message->device, QString::fromUtf8(message->body));
        if (delivered)
            ++m_stats.commandsServed;
        publish(Cluster::relayChannel(m_settings.prefix, message->relay.toByteArray()),
                Cluster::encodeResult(m_relayId, message->serial, delivered));
        break;
    }
    case Cluster::Message::Kind::Broadcast: {
        const int devices = m_host->sendToAllLocalDevices(QString::fromUtf8(message->body));
        m_stats.commandsServed += quint64(devices);
        publish(Cluster::relayChannel(m_settings.prefix, message->relay.toByteArray()),
                Cluster::encodeCount(m_relayId, message->serial, devices));
        break;
    }
    case Cluster::Message::Kind::Result:
        finishCommand(message->serial, message->success);
        break;
    case Cluster::Message::Kind::Count: {
        const auto it = m_pending.find(message->serial);
        if (it == m_pending.end() || !it->onCount)
            break;
        ++it->answered;
        it->devices += message->count;
        if (it->expected >= 0 && it->answered >= it->expected)
            finishBroadcast(message->serial);
        break;
    }
    }
}

void RedisBackplane::publish(const QByteArray &channel, const QByteArray &message)
{
    if (m_state != State::Up)
        return;
    redisAsyncCommand(m_pub, nullptr, nullptr, "PUBLISH %b %b", channel.constData(), size_t(channel.size()),
                      message.constData(), size_t(message.size()));
}

void RedisBackplane::flushFrames()
{
    if (m_outgoingFrames == 0)
        return;
    if (m_state == State::Up && qsizetype(sdslen(m_pub->c.obuf)) < MaxBacklogBytes) {
        publish(m_framesChannel, m_outgoing);
        // Hand it to the kernel now rather than when the write notifier fires on the next
        // event-loop pass: under load a pass is milliseconds. What does not fit waits for it.
        redisAsyncHandleWrite(m_pub);
        ++m_stats.batchesPublished;
        m_stats.framesPublished += m_outgoingFrames;
    } else {
        m_stats.framesDropped += m_outgoingFrames;
    }
    m_outgoing.resize(m_headerSize);
    m_outgoingFrames = 0;
}

// --- registry ---

void RedisBackplane::setDevice(quint16 id)
{
    const QByteArray key = Cluster::deviceKey(m_settings.prefix, id);
    redisAsyncCommand(m_pub, nullptr, nullptr, "SET %b %b PX %d", key.constData(), size_t(key.size()),
                      m_relayId.constData(), size_t(m_relayId.size()), m_settings.deviceTtlMs);
}

void RedisBackplane::deviceAdded(quint16 id)
{
    m_remoteDevices.remove(id);
    if (m_state == State::Up)
        setDevice(id);
}

void RedisBackplane::deviceRemoved(quint16 id)
{
    if (m_state != State::Up)
        return; // its key expires on its own
    const QByteArray key = Cluster::deviceKey(m_settings.prefix, id);
    redisAsyncCommand(m_pub, nullptr, nullptr, "EVAL %s 1 %b %b", DeleteIfOwner, key.constData(),
                      size_t(key.size()), m_relayId.constData(), size_t(m_relayId.size()));
}

void RedisBackplane::refreshRegistry()
{
    // Remote devices not heard from within the expiry are gone, like their registry keys.
    const qint64 now = m_clock.elapsed();
    for (auto it = m_remoteDevices.begin(); it != m_remoteDevices.end();) {
        if (now - it->lastSeenMs > m_settings.deviceTtlMs)
            it = m_remoteDevices.erase(it);
        else
            ++it;
    }
    if (m_state != State::Up)
        return;
    for (quint16 id : m_host->localDeviceIds())
        setDevice(id);
}

// --- commands ---

void RedisBackplane::sendCommand(quint16 id, const QString &payload, std::function<void(bool)> done)
{
    const quint64 serial = m_nextSerial++;
    Pending &pending = m_pending[serial];
    pending.onResult = std::move(done);
    pending.device = id;
    pending.payload = payload;
    QTimer::singleShot(m_settings.commandTimeoutMs, this, [this, serial] { finishCommand(serial, false); });
    if (m_state != State::Up) {
        QTimer::singleShot(0, this, [this, serial] { finishCommand(serial, false); });
        return;
    }
    const QByteArray key = Cluster::deviceKey(m_settings.prefix, id);
    redisAsyncCommand(m_pub, &RedisBackplane::onOwnerReply, serialData(serial), "GET %b", key.constData(),
                      size_t(key.size()));
}

RedisBackplane::Pending *RedisBackplane::pendingOf(redisAsyncContext *ac, void *privdata,
                                                   RedisBackplane **self)
{
    *self = backplaneOf(ac);
    if (!*self)
        return nullptr;
    const auto it = (*self)->m_pending.find(serialOf(privdata));
    return it == (*self)->m_pending.end() ? nullptr : &*it;
}

void RedisBackplane::onOwnerReply(redisAsyncContext *ac, void *reply, void *privdata)
{
    RedisBackplane *self = nullptr;
    const Pending *pending = pendingOf(ac, privdata, &self);
    if (!pending)
        return;
    const quint64 serial = serialOf(privdata);
    const redisReply *r = asReply(reply);
    if (!r || r->type != REDIS_REPLY_STRING) {
        self->finishCommand(serial, false); // no owner (nil), or an error
        return;
    }
    const QByteArray owner(r->str, qsizetype(r->len));
    if (owner == self->m_relayId) {
        self->finishCommand(serial, false); // ours in the registry, but not connected here any more
        return;
    }
    const QByteArray channel = Cluster::relayChannel(self->m_settings.prefix, owner);
    const QByteArray message
        = Cluster::encodeCommand(self->m_relayId, serial, pending->device, pending->payload);
    redisAsyncCommand(self->m_pub, &RedisBackplane::onCommandPublished, privdata, "PUBLISH %b %b",
                      channel.constData(), size_t(channel.size()), message.constData(),
                      size_t(message.size()));
}

void RedisBackplane::onCommandPublished(redisAsyncContext *ac, void *reply, void *privdata)
{
    RedisBackplane *self = backplaneOf(ac);
    const redisReply *r = asReply(reply);
    if (self && (!r || r->type != REDIS_REPLY_INTEGER || r->integer == 0))
        self->finishCommand(serialOf(privdata), false); // the owner is not listening: it is gone
}

void RedisBackplane::finishCommand(quint64 serial, bool success)
{
    const auto it = m_pending.find(serial);
    if (it == m_pending.end() || !it->onResult)
        return;
    const auto done = std::move(it->onResult);
    m_pending.erase(it);
    if (success)
        ++m_stats.commandsRouted;
    else
        ++m_stats.commandsFailed;
    done(success);
}

void RedisBackplane::broadcastCommand(const QString &payload, std::function<void(int)> done)
{
    const quint64 serial = m_nextSerial++;
    Pending &pending = m_pending[serial];
    pending.onCount = std::move(done);
    // Relays that do not answer in time are not counted; the answer never waits longer.
    QTimer::singleShot(m_settings.commandTimeoutMs, this, [this, serial] { finishBroadcast(serial); });
    if (m_state != State::Up) {
        QTimer::singleShot(0, this, [this, serial] { finishBroadcast(serial); });
        return;
    }
    const QByteArray message = Cluster::encodeBroadcast(m_relayId, serial, payload);
    redisAsyncCommand(m_pub, &RedisBackplane::onBroadcastPublished, serialData(serial), "PUBLISH %b %b",
                      m_broadcastChannel.constData(), size_t(m_broadcastChannel.size()), message.constData(),
                      size_t(message.size()));
}

void RedisBackplane::onBroadcastPublished(redisAsyncContext *ac, void *reply, void *privdata)
{
    RedisBackplane *self = nullptr;
    Pending *pending = pendingOf(ac, privdata, &self);
    if (!pending)
        return;
    const quint64 serial = serialOf(privdata);
    const redisReply *r = asReply(reply);
    if (!r || r->type != REDIS_REPLY_INTEGER) {
        self->finishBroadcast(serial);
        return;
    }
    pending->expected = std::max(0, int(r->integer) - 1); // every relay's subscriber, ours included
    if (pending->answered >= pending->expected)
        self->finishBroadcast(serial);
}

void RedisBackplane::finishBroadcast(quint64 serial)
{
    const auto it = m_pending.find(serial);
    if (it == m_pending.end() || !it->onCount)
        return;
    const auto done = std::move(it->onCount);
    const int devices = it->devices;
    m_pending.erase(it);
    done(devices);
}

void RedisBackplane::failPending()
{
    // Answered on the next pass: a sender never waits for Redis that is gone, and the callers'
    // state is not changed under them.
    const QList<quint64> serials = m_pending.keys();
    for (quint64 serial : serials) {
        QTimer::singleShot(0, this, [this, serial] {
            finishCommand(serial, false);
            finishBroadcast(serial);
        });
    }
}

} // namespace GroupLoop
