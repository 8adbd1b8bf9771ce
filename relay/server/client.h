// Client: one WebSocket peer of the relay, and DeviceRoute: where commands for a device id go.
#pragma once

#include "fanout.h"
#include "relayauth.h"

#include <QString>
#include <QVarLengthArray>

#include <deque>
#include <memory>
#include <utility>

namespace GroupLoop {

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

} // namespace GroupLoop
