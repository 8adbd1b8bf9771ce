// RedisBackplane: cluster mode. Relays sharing one Redis exchange their frames (one PUBLISH
// per flush), keep a registry of which relay owns which device id (keys with an expiry, so a
// dead relay's devices vanish) and route commands to the relay that owns the device.
// Redis going away never stops the relay: it serves its own clients, reports "degraded",
// and its RedisConnection reconnects with back-off. Message format: clusterprotocol.h.
#pragma once

#include "clusterprotocol.h"
#include "redisconnection.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace GroupLoop {

// What the backplane asks of the relay that hosts it.
class BackplaneHost
{
public:
    virtual ~BackplaneHost() = default;
    // Frames from other relays for local subscribers: "<frame>\n" records, already checked.
    virtual void deliverRemoteFrames(QByteArrayView records) = 0;
    // A command from another relay for a device connected here: false if it is not (any more).
    virtual bool sendToLocalDevice(quint16 id, const QString &payload) = 0;
    // cmd:all from another relay: sends to every local device, returns how many.
    virtual int sendToAllLocalDevices(const QString &payload) = 0;
    virtual QList<quint16> localDeviceIds() const = 0;
    // A device on another relay left it ("gone"), or appeared on one (its first frames there).
    virtual void remoteDeviceGone(quint16 id) = 0;
    virtual void remoteDeviceBack(quint16 id) = 0;
};

struct BackplaneStats
{
    bool up = false;
    qint64 latencyUs = -1; // last PING round trip
    qint64 latencyMaxUs = 0;
    quint64 reconnects = 0; // successful connections after the first
    quint64 batchesPublished = 0;
    quint64 framesPublished = 0;
    quint64 framesDropped = 0; // not published: Redis down or its output backlog full
    quint64 batchesReceived = 0;
    quint64 framesReceived = 0;
    quint64 malformed = 0; // messages from the backplane that were not understood
    quint64 commandsRouted = 0; // to a device on another relay, answered success
    quint64 commandsFailed = 0; // to another relay: no owner, no answer, or failed there
    quint64 commandsServed = 0; // from another relay, delivered here
};

struct RemoteDevice
{
    QByteArray relay;
    qint64 lastSeenMs = 0;
    quint64 frames = 0;
};

class RedisBackplane : public QObject, private RedisConnection::Listener
{
    Q_OBJECT
public:
    RedisBackplane(Cluster::ClusterSettings settings, QByteArray relayId, BackplaneHost *host,
                   QObject *parent = nullptr);
    ~RedisBackplane() override;

    void start(); // connects in the background
    bool isUp() const { return m_redis.isUp(); }
    const QByteArray &relayId() const { return m_relayId; }
    const Cluster::ClusterSettings &settings() const { return m_settings; }
    BackplaneStats stats() const;
    qint64 nowMs() const { return m_clock.elapsed(); } // the clock of RemoteDevice::lastSeenMs
    const QHash<quint16, RemoteDevice> &remoteDevices() const { return m_remoteDevices; }

    // Fan-out: a local frame record ("<20 hex>\n") joins the next PUBLISH, sent by flushFrames().
    void addLocalFrame(const char *record)
    {
        if (m_redis.isUp()) {
            m_outgoing.append(record, SensorFrame::TextLength + 1);
            ++m_outgoingFrames;
        } else {
            ++m_stats.framesDropped;
        }
    }
    void flushFrames();

    // Registry: a device id connected here, or gone from here.
    void deviceAdded(quint16 id);
    void deviceRemoved(quint16 id); // and deviceLeft()
    // The other relays hear that the device left (a rollout sees its reboot): its connection
    // closed, or it came back on a new one here before the old one's close was seen.
    void deviceLeft(quint16 id);

    // Commands for devices elsewhere. done is always called, once, later (never inside the call).
    void sendCommand(quint16 id, const QString &payload, std::function<void(bool success)> done);
    void broadcastCommand(const QString &payload, std::function<void(int devices)> done);

private:
    struct Pending
    {
        std::function<void(bool)> onResult; // cmd
        std::function<void(int)> onCount; // all
        quint16 device = 0;
        QString payload;
        int expected = -1; // all: relays that received it, once PUBLISH answered
        int answered = 0;
        int devices = 0;
    };

    // RedisConnection::Listener
    void redisUp() override;
    void redisDown() override;
    void redisMessage(QByteArrayView channel, QByteArrayView bytes) override;

    void refreshRegistry();
    void setDevice(quint16 id);
    void publish(const QByteArray &channel, const QByteArray &message);
    void onOwnerReply(quint64 serial, const RedisConnection::Reply &reply);
    void finishCommand(quint64 serial, bool success);
    void onBroadcastPublished(quint64 serial, const RedisConnection::Reply &reply);
    void finishBroadcast(quint64 serial);
    void failPending();
    // A remote device left its relay, or went silent past the expiry: gone, until its frames return.
    QHash<quint16, RemoteDevice>::const_iterator
    forgetRemote(QHash<quint16, RemoteDevice>::const_iterator device);

    Cluster::ClusterSettings m_settings;
    QByteArray m_relayId;
    BackplaneHost *m_host;
    QByteArray m_framesChannel, m_broadcastChannel, m_ownChannel;
    RedisConnection m_redis;

    QByteArray m_outgoing; // "frames <relay>\n" + records of this flush
    qsizetype m_headerSize = 0;
    quint64 m_outgoingFrames = 0;

    QTimer m_registryTimer;
    QElapsedTimer m_clock;
    qint64 m_lastMalformedLogMs = -1;

    quint64 m_nextSerial = 1;
    QHash<quint64, Pending> m_pending;
    QHash<quint16, RemoteDevice> m_remoteDevices;
    QSet<quint16> m_departed; // left another relay and not seen since (their return is news)
    BackplaneStats m_stats; // what the backplane counts; stats() adds the connection's
};

} // namespace GroupLoop
