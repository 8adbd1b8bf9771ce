// Private state of RelayServer, shared by its implementation files:
// relayserver.cpp (lifecycle, accept, keepalive), sidedoor.cpp (HTTP),
// relaymessages.cpp (inbound messages, commands), fanout.cpp (frames to subscribers).
#pragma once

#include "relayserver.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QVarLengthArray>

#include <array>
#include <optional>

class QTcpServer;
class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace GroupLoop {

class SessionWriter;

struct HttpRequestHead;
struct InboundMessage;

using FrameText = std::array<char, 20>; // a lowercase frame without its newline

// sidedoor.cpp: a small text/plain answer, then the connection closes.
void writeHttpError(QTcpSocket *socket, int status, const QByteArray &message,
                    const QByteArray &extraHeaders = {});

// One WebSocket peer: a device, a gateway, a browser, a console, or several of these at once.
struct Client
{
    QWebSocket *socket = nullptr;
    quint64 serial = 0; // for logs: connection #n
    QString peer; // "address:port"
    QString label; // from id:<label>
    bool subscriber = false;
    bool closing = false;
    AccessRole role = AccessRole::None; // from the handshake's token or an auth: message
    QVarLengthArray<quint16, 2> ownedIds; // ids this connection has been the route for

    // Inbound rate limit: a token bucket refilled at maxFramesPerSecond, one second deep.
    double tokens = 0.0;
    qint64 tokensAtMs = 0;

    // Keepalive.
    qint64 lastHeardMs = 0;
    qint64 pingSentMs = -1;

    // Slow-consumer outbox: while congested, frames wait here, last value wins per device.
    bool congested = false;
    qint64 congestedSinceMs = 0;
    QHash<quint16, FrameText> coalesced;
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

class RelayServerPrivate
{
public:
    RelayServerPrivate(RelayServer *q, RelayConfig config);
    ~RelayServerPrivate();

    qint64 nowMs() const { return m_clock.elapsed(); }
    QDateTime wallTime(qint64 ms) const { return m_startedAt.addMSecs(ms); }
    int connectionCount() const { return int(m_clients.size()) + int(m_pendingHeads.size()); }

    // relayserver.cpp
    bool listen(QString *error);
    QTcpServer *openServer(bool tls, quint16 port, QString *error);
    void shutdown();
    void onWebSocket(QWebSocket *socket);
    void removeClient(Client *client);
    void closeClient(Client *client, int code, const QString &reason);
    void housekeeping();

    // sidedoor.cpp
    void onTcpConnection(QTcpSocket *socket);
    void readRequestHead(QTcpSocket *socket);
    void answerHttp(QTcpSocket *socket, const HttpRequestHead &head);
    QByteArray healthJson() const;
    QByteArray devicesJson() const;
    QByteArray metricsText() const; // metrics.cpp

    // relaymessages.cpp (auth: relayaccess.cpp)
    void onText(Client *client, const QString &text);
    void onCommand(Client *client, const InboundMessage &message);
    void answerCommand(Client *client, const InboundMessage &message, const QString &reply);
    void onDeviceData(Client *client, QStringView data);
    static std::optional<QStringView> singleFrameLine(const QString &text);
    void onSingleFrame(Client *client, QStringView line);
    void onFrame(Client *client, quint16 id, QStringView line, bool *devicesChanged);
    void finishDeviceData(Client *client, int junk, bool devicesChanged);
    void closeIfOverRate(Client *client);
    void send(Client *client, const QString &text);

    // relayaccess.cpp
    static QString handshakeKey(const QHostAddress &address, quint16 port);
    bool admitUpgrade(QTcpSocket *socket, const HttpRequestHead &head); // false: answered 401
    bool admitHttp(QTcpSocket *socket, const HttpRequestHead &head); // false: answered 401
    AccessRole takeHandshakeRole(const QHostAddress &address, quint16 port);
    void expireHandshakeRoles(qint64 now);
    void onAuthenticate(Client *client, const QString &token);
    bool mayControl(const Client *client) const
    {
        return config.access.controllerTokens.isEmpty() || client->role == AccessRole::Controller;
    }
    bool maySendFrames(const Client *client) const
    {
        return config.access.deviceTokens.isEmpty() || client->role != AccessRole::None;
    }
    void closeUnauthorized(Client *client, const QString &reason);
    void warnIfOpenToTheNetwork() const;

    // fanout.cpp
    void enqueueFrame(quint16 id, QStringView line);
    void flushFrames();
    void deliver(Client *subscriber, const QString &batch);
    void drainCoalesced(Client *subscriber);

    // recording (relayserver.cpp): opened by listen() when config.recordPath is set
    bool startRecording(QString *error);

    RelayServer *q;
    RelayConfig config;
    RelayStats stats;
    QElapsedTimer m_clock;
    QDateTime m_startedAt;
    quint64 m_nextSerial = 1;

    QTcpServer *m_tcpServer = nullptr; // port: plain, or TLS when config.tlsPort < 0
    QTcpServer *m_tlsServer = nullptr; // tlsPort, when TLS is served beside plain
    QWebSocketServer *m_wsServer = nullptr;
    QHash<QTcpSocket *, qint64> m_pendingHeads; // socket -> accepted at (ms)
    QHash<QString, QPair<AccessRole, qint64>> m_handshakeRoles; // handshakeKey -> role, at (ms)
    QHash<QWebSocket *, Client *> m_clients;
    QList<Client *> m_subscribers;
    QHash<quint16, DeviceRoute> m_routes;
    QTimer m_housekeepingTimer;
    int m_housekeepingTicks = 0;
    int m_removedSinceTrim = 0; // disconnects since the heap was last trimmed
    int m_removedAtLastTick = 0;

    // Frames of the current event-loop pass (or batch window), serialised once.
    QByteArray m_batch;
    QList<QPair<quint16, qsizetype>> m_batchFrames; // id, offset in m_batch
    QTimer m_flushTimer;

    std::unique_ptr<SessionWriter> m_recorder;
};

} // namespace GroupLoop
