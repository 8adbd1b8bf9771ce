// Private state of RelayServer: the lifecycle and the routing between the parts (SideDoor,
// AccessControl, FanOut, RedisBackplane), implemented in relayserver.cpp (listen, recording,
// shutdown, the public API), relayclients.cpp (clients come, stay alive and go),
// relaymessages.cpp (inbound messages, commands), http/relayroutes.cpp (what the side door
// answers) and cluster/relaycluster.cpp (the hooks of cluster mode, --redis).
#pragma once

#include "accesscontrol.h"
#include "client.h"
#include "fanout.h"
#include "otamanager.h"
#include "redisbackplane.h"
#include "relayserver.h"
#include "sidedoor.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QTimer>

#include <memory>
#include <optional>

class QJsonArray;
class QJsonObject;
class QTcpServer;
class QTcpSocket;

namespace GroupLoop {

class SessionWriter;
class TlsContext;

struct HttpRequestHead;
struct InboundMessage;
class WebSocketConnection;

class RelayServerPrivate : public BackplaneHost,
                           private FanOut::Observer,
                           private SideDoor::Host,
                           private OtaManager::Host
{
public:
    RelayServerPrivate(RelayServer *q, RelayConfig config);
    ~RelayServerPrivate();

    static constexpr int HousekeepingIntervalMs = 250;

    qint64 nowMs() const { return m_clock.elapsed(); }
    QDateTime wallTime(qint64 ms) const { return m_startedAt.addMSecs(ms); }
    int connectionCount() const { return int(m_clients.size()) + m_sideDoor.pendingCount(); }

    // relayserver.cpp
    bool listen(QString *error);
    QTcpServer *openServer(bool tls, quint16 port, QString *error);
    bool startTls(QString *error); // the TLS context from config.tls
    void shutdown();

    // relayclients.cpp
    void onWebSocket(WebSocketConnection *socket, AccessRole role, const QByteArray &received);
    void removeClient(Client *client);
    void closeClient(Client *client, int code, const QString &reason);
    void housekeeping();

    // SideDoor::Host (relayclients.cpp)
    int clientCount() const override { return int(m_clients.size()); }
    std::optional<HttpResponse> upgrade(HttpConnection *connection, const HttpRequestHead &head,
                                        QByteArray received) override;

    // http/relayroutes.cpp
    void installRoutes();
    bool openWebRoot(QString *error); // config.webRoot: check it, merge its commands, add routes
    QByteArray healthJson() const;
    QByteArray devicesJson() const;
    QByteArray metricsText() const;

    // ota/relayota.cpp: OtaManager::Host
    Delivery sendOta(quint16 id, const QString &url, std::function<void()> undelivered) override;
    QList<quint16> reachableDevices() const override;
    QString httpBaseFor(quint16 id) const override;

    // relaymessages.cpp
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
    void remoteDeviceGone(quint16 id) override
    {
        if (m_ota) // null while the relay is destroyed
            m_ota->deviceGone(id);
    }
    void remoteDeviceBack(quint16 id) override
    {
        if (m_ota)
            m_ota->deviceBack(id);
    }

    RelayServer *q;
    RelayConfig config;
    RelayStats stats; // what the relay counts itself; RelayServer::stats() adds the parts' counters
    QElapsedTimer m_clock;
    QDateTime m_startedAt;
    quint64 m_nextSerial = 1;

    AccessControl m_access;
    QTcpServer *m_tcpServer = nullptr; // port: plain, or TLS when config.tlsPort < 0
    QTcpServer *m_tlsServer = nullptr; // tlsPort, when TLS is served beside plain
    std::shared_ptr<TlsContext> m_tlsContext; // the certificate and key, with tlsEnabled
    SideDoor m_sideDoor; // every connection starts there
    QHash<WebSocketConnection *, Client *> m_clients;
    QHash<quint16, DeviceRoute> m_routes;
    FanOut m_fanOut;
    QTimer m_housekeepingTimer;
    int m_housekeepingTicks = 0;
    int m_churnSinceTrim = 0; // connects and disconnects since the heap was last trimmed
    int m_churnAtLastTick = 0;

    OtaManager *m_ota = nullptr; // rollouts and the firmware folder; made by installRoutes()
    bool m_warnedOtaBase = false; // said once which URL devices on other relays get

    std::unique_ptr<SessionWriter> m_recorder;
    std::unique_ptr<RedisBackplane> m_backplane; // cluster mode only; destroyed first
};

} // namespace GroupLoop
