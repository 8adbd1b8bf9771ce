#include "redisbackplane.h"

#include "relaylogging.h"

namespace GroupLoop {

namespace {

constexpr qsizetype MaxBacklogBytes = 8 * 1024 * 1024; // unsent to Redis; frames beyond it are dropped
constexpr qint64 MalformedLogIntervalMs = 10000;

// The Lua script that deletes a registry key only if this relay still owns it.
constexpr char DeleteIfOwner[]
    = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

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
    , m_redis(m_settings.url, {m_framesChannel, m_broadcastChannel, m_ownChannel}, this)
{
    m_redis.setResolver(m_settings.resolveHost);
    m_clock.start();
    m_outgoing = Cluster::framesHeader(m_relayId);
    m_headerSize = m_outgoing.size();
    m_registryTimer.setInterval(std::max(100, m_settings.deviceTtlMs / 3));
    connect(&m_registryTimer, &QTimer::timeout, this, &RedisBackplane::refreshRegistry);
}

// Devices still registered here expire with their keys (on a clean shutdown every client has
// closed first and deleted its keys).
RedisBackplane::~RedisBackplane() = default;

void RedisBackplane::start()
{
    m_registryTimer.start();
    m_redis.start();
}

BackplaneStats RedisBackplane::stats() const
{
    BackplaneStats s = m_stats;
    const RedisConnection::Stats redis = m_redis.stats();
    s.up = redis.up;
    s.latencyUs = redis.latencyUs;
    s.latencyMaxUs = redis.latencyMaxUs;
    s.reconnects = redis.reconnects;
    return s;
}

void RedisBackplane::redisUp()
{
    qCInfo(lcRelayCluster).noquote() << QStringLiteral("[CLUSTER] connected to %1 as %2; cluster mode on")
                                            .arg(m_settings.url.toDisplayString(),
                                                 QString::fromUtf8(m_relayId));
    refreshRegistry(); // (re-)register every device connected here
}

void RedisBackplane::redisDown()
{
    failPending();
    m_outgoing.resize(m_headerSize);
    m_stats.framesDropped += m_outgoingFrames;
    m_outgoingFrames = 0;
}

void RedisBackplane::redisMessage(QByteArrayView channel, QByteArrayView bytes)
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
            const auto known = m_remoteDevices.find(id);
            const bool appeared = known == m_remoteDevices.end();
            RemoteDevice &device = appeared ? m_remoteDevices[id] : *known;
            if (device.relay != message->relay) {
                if (relay.isEmpty())
                    relay = message->relay.toByteArray();
                device.relay = relay;
                // Back after it left, or on another relay now (whose "gone" may come later);
                // a device seen for the first time has not come back from anything.
                if (!appeared)
                    m_host->remoteDeviceGone(id);
                if (!appeared || m_departed.remove(id))
                    m_host->remoteDeviceBack(id);
            }
            device.lastSeenMs = now;
            ++device.frames;
        });
        ++m_stats.batchesReceived;
        m_stats.framesReceived += quint64(message->body.size() / (SensorFrame::TextLength + 1));
        m_host->deliverRemoteFrames(message->body);
        break;
    }
    case Cluster::Message::Kind::Gone: {
        // Only from the relay it is on: after a move, the old relay's "gone" is stale.
        const auto device = m_remoteDevices.constFind(message->device);
        if (device != m_remoteDevices.cend() && device->relay == message->relay)
            forgetRemote(device);
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
    if (!m_redis.isUp())
        return;
    m_redis.command({"PUBLISH", channel, message});
}

void RedisBackplane::flushFrames()
{
    if (m_outgoingFrames == 0)
        return;
    if (m_redis.isUp() && m_redis.backlogBytes() < MaxBacklogBytes) {
        publish(m_framesChannel, m_outgoing);
        m_redis.flushNow();
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
    m_redis.command({"SET", Cluster::deviceKey(m_settings.prefix, id), m_relayId, "PX",
                     QByteArray::number(m_settings.deviceTtlMs)});
}

QHash<quint16, RemoteDevice>::const_iterator
RedisBackplane::forgetRemote(QHash<quint16, RemoteDevice>::const_iterator device)
{
    const quint16 id = device.key();
    m_departed.insert(id);
    const auto next = m_remoteDevices.erase(device);
    m_host->remoteDeviceGone(id);
    return next;
}

void RedisBackplane::deviceAdded(quint16 id)
{
    m_remoteDevices.remove(id);
    m_departed.remove(id); // here now: the relay itself sees it come back
    if (m_redis.isUp())
        setDevice(id);
}

void RedisBackplane::deviceRemoved(quint16 id)
{
    if (!m_redis.isUp())
        return; // its key expires on its own
    m_redis.command({"EVAL", DeleteIfOwner, "1", Cluster::deviceKey(m_settings.prefix, id), m_relayId});
    deviceLeft(id);
}

void RedisBackplane::deviceLeft(quint16 id)
{
    // After its last frames: a frame published behind the "gone" would look like its return.
    flushFrames();
    publish(m_framesChannel, Cluster::encodeGone(m_relayId, id));
}

void RedisBackplane::refreshRegistry()
{
    // Remote devices not heard from within the expiry are gone, like their registry keys.
    const qint64 now = m_clock.elapsed();
    for (auto it = m_remoteDevices.cbegin(); it != m_remoteDevices.cend();) {
        if (now - it->lastSeenMs > m_settings.deviceTtlMs)
            it = forgetRemote(it);
        else
            ++it;
    }
    if (!m_redis.isUp())
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
    if (!m_redis.isUp()) {
        QTimer::singleShot(0, this, [this, serial] { finishCommand(serial, false); });
        return;
    }
    m_redis.command({"GET", Cluster::deviceKey(m_settings.prefix, id)},
                    [this, serial](const RedisConnection::Reply &reply) { onOwnerReply(serial, reply); });
}

void RedisBackplane::onOwnerReply(quint64 serial, const RedisConnection::Reply &reply)
{
    const auto pending = m_pending.constFind(serial);
    if (pending == m_pending.cend())
        return;
    if (reply.type != RedisConnection::Reply::Type::String) {
        finishCommand(serial, false); // no owner (nil), or an error
        return;
    }
    const QByteArray owner = reply.string.toByteArray();
    if (owner == m_relayId) {
        finishCommand(serial, false); // ours in the registry, but not connected here any more
        return;
    }
    m_redis.command({"PUBLISH", Cluster::relayChannel(m_settings.prefix, owner),
                     Cluster::encodeCommand(m_relayId, serial, pending->device, pending->payload)},
                    [this, serial](const RedisConnection::Reply &published) {
                        if (published.type != RedisConnection::Reply::Type::Integer || published.integer == 0)
                            finishCommand(serial, false); // the owner is not listening: it is gone
                    });
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
    if (!m_redis.isUp()) {
        QTimer::singleShot(0, this, [this, serial] { finishBroadcast(serial); });
        return;
    }
    m_redis.command(
        {"PUBLISH", m_broadcastChannel, Cluster::encodeBroadcast(m_relayId, serial, payload)},
        [this, serial](const RedisConnection::Reply &reply) { onBroadcastPublished(serial, reply); });
}

void RedisBackplane::onBroadcastPublished(quint64 serial, const RedisConnection::Reply &reply)
{
    const auto pending = m_pending.find(serial);
    if (pending == m_pending.end())
        return;
    if (reply.type != RedisConnection::Reply::Type::Integer) {
        finishBroadcast(serial);
        return;
    }
    pending->expected = std::max(0, int(reply.integer) - 1); // every relay's subscriber, ours included
    if (pending->answered >= pending->expected)
        finishBroadcast(serial);
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
