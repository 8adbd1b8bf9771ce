// Private state of RelayServer, shared by its implementation files:
// relayserver.cpp (lifecycle, accept, keepalive), http/relayroutes.cpp (what the side door
// answers), relaymessages.cpp (inbound messages, commands),
// cluster/relaycluster.cpp (the hooks of cluster mode, --redis: see redisbackplane.h).
#pragma once

#include "accesscontrol.h"
#include "fanout.h"
#include "redisbackplane.h"
#include "relayserver.h"
#include "sidedoor.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QVarLengthArray>

#include <array>
#include <deque>
#include <limits>
#include <optional>

class QJsonArray;
class QJsonObject;
class QTcpServer;
class QTcpSocket;

namespace GroupLoop {

class SessionWriter;

struct HttpRequestHead;
struct InboundMessage;
class WebSocketConnection;

struct Client;

// A client that subscribed, as the fan-out sees it.
class ClientSubscription final : public FanOut::Subscriber
{
public:
    explicit ClientSubscription(Client *client)
        : m_client(client)
    {
    }
    qint64 bytesToWrite() const override;
    qint64 sendText(QByteArrayView utf8) override;
    bool isClosing() const override;
    QString name() const override;

private:
    Client *m_client;
};

// One WebSocket peer: a device, a gateway, a browser, a console, or several of these at once.
struct alignas(64) Client
{
    // What every inbound message reads and writes comes first, in one cache line: with hundreds
    // of connections, each message finds its Client out of cache, and one line is one miss
    // (spread over the struct, these fields took four).
    bool closing = false;
    AccessRole role = AccessRole::None; // from the handshake's token or an auth: message
    // Inbound rate limit: a token bucket refilled at maxFramesPerSecond, one second deep.
    double tokens = 0.0;
    qint64 tokensAtMs = 0;
    qint64 lastHeardMs = 0; // keepalive
    QVarLengthArray<quint16, 2> ownedIds; // ids this connection has been the route for

    WebSocketConnection *socket = nullptr;
    quint64 serial = 0; // for logs: connection #n
    QString peer; // "address:port"
    QString label; // from id:<label>

    // Command replies leave in the order the commands came, as clients match them first-in
    // first-out: while a command routed through the cluster waits for its answer, the replies
    // to later commands wait behind it (first: filled in yet; second: the reply).
    std::deque<std::pair<bool, QString>> replyQueue;
    quint64 replyQueueBase = 0; // the slot number of replyQueue.front()

    qint64 pingSentMs = -1; // keepalive

    // Set once it sent s: what the fan-out sees of it.
    std::unique_ptr<ClientSubscription> subscription;
};

// Where commands for a device id go: the connection that sent its latest frame.
struct DeviceRoute
{
    Client *owner = nullptr;
    qint64 firstSeenMs = 0;
    qint64 lastSeenMs = 0;
    quint64 frames = 0;
    quint64 framesAtLastTick = 0;
    double rate = 0.0;
    qint64 lastTakeoverLogMs = -1;
};

class RelayServerPrivate : public BackplaneHost, private FanOut::Observer, private SideDoor::Host
{
public:
    RelayServerPrivate(RelayServer *q, RelayConfig config);
    ~RelayServerPrivate();

    qint64 nowMs() const { return m_clock.elapsed(); }
    QDateTime wallTime(qint64 ms) const { return m_startedAt.addMSecs(ms); }
    int connectionCount() const { return int(m_clients.size()) + m_sideDoor.pendingCount(); }

    // relayserver.cpp
    bool listen(QString *error);
    QTcpServer *openServer(bool tls, quint16 port, QString *error);
    void shutdown();
    void onWebSocket(WebSocketConnection *socket, AccessRole role, const QByteArray &received);
    void removeClient(Client *client);
    void closeClient(Client *client, int code, const QString &reason);
    void housekeeping();

    // SideDoor::Host (relayserver.cpp)
    int clientCount() const override { return int(m_clients.size()); }
    std::optional<HttpResponse> upgrade(QTcpSocket *socket, const HttpRequestHead &head,
                                        QByteArray received) override;

    // http/relayroutes.cpp
    void installRoutes();
    QByteArray healthJson() const;
    QByteArray devicesJson() const;
    QByteArray metricsText() const;

    // relaymessages.cpp (auth: relayaccess.cpp)
    void onText(Client *client, QByteArrayView utf8);
    void onCommand(Client *client, const InboundMessage &message);
    void answerCommand(Client *client, const InboundMessage &message, const QString &reply);
    void recordCommand(const InboundMessage &message, const QString &reply);
    // For a reply that comes later (cluster/relaycluster.cpp): reserve its place, then fill it.
    quint64 reserveReplySlot(Client *client);
    void answerCommandInSlot(Client *client, quint64 slot, const InboundMessage &message,
                             const QString &reply);
    void onDeviceData(Client *client, QStringView data);
    static std::optional<QByteArrayView> singleFrameLine(QByteArrayView utf8);
    void onSingleFrame(Client *client, QStringView line);
    void onFrame(Client *client, quint16 id, QStringView line, bool *devicesChanged);
    void finishDeviceData(Client *client, int junk, bool devicesChanged);
    void closeIfOverRate(Client *client);
    void send(Client *client, const QString &text);

    // relaymessages.cpp: what AccessControl refuses, the relay closes
    void onAuthenticate(Client *client, const QString &token);
    void closeUnauthorized(Client *client, const QString &reason);

    // FanOut::Observer (relayserver.cpp): recording and the cluster see every frame
    void localFrameAdded(const char *record) override;
    void aboutToDeliver(QByteArrayView batch) override;

    // recording (relayserver.cpp): opened by listen() when config.recordPath is set
    bool startRecording(QString *error);

    // cluster/relaycluster.cpp
    void startCluster();
    // Answered later, through answerCommand(), when the other relays have.
    void routeCommand(Client *client, const InboundMessage &message, quint16 id, const QString &payload);
    void routeBroadcast(Client *client, const InboundMessage &message, const QString &payload,
                        int localDevices);
    QJsonObject clusterHealth() const;
    void appendRemoteDevices(QJsonArray *devices) const;
    void deliverRemoteFrames(QByteArrayView records) override;
    bool sendToLocalDevice(quint16 id, const QString &payload) override;
    int sendToAllLocalDevices(const QString &payload) override;
    QList<quint16> localDeviceIds() const override { return m_routes.keys(); }

    RelayServer *q;
    RelayConfig config;
    RelayStats stats;
    QElapsedTimer m_clock;
    QDateTime m_startedAt;
    quint64 m_nextSerial = 1;

    AccessControl m_access;
    QTcpServer *m_tcpServer = nullptr; // port: plain, or TLS when config.tlsPort < 0
    QTcpServer *m_tlsServer = nullptr; // tlsPort, when TLS is served beside plain
    SideDoor m_sideDoor; // every connection starts there
    QHash<WebSocketConnection *, Client *> m_clients;
    QHash<quint16, DeviceRoute> m_routes;
    FanOut m_fanOut;
    QTimer m_housekeepingTimer;
    int m_housekeepingTicks = 0;
    int m_removedSinceTrim = 0; // disconnects since the heap was last trimmed
    int m_removedAtLastTick = 0;

    std::unique_ptr<SessionWriter> m_recorder;
    std::unique_ptr<RedisBackplane> m_backplane; // cluster mode only; destroyed first
};

} // namespace GroupLoop
