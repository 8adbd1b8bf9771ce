// Cluster mode's side of the relay: what RedisBackplane asks of it (frames from other relays,
// commands for devices here) and commands this relay routes to devices on other relays.
// The replies a sender sees are the single relay's strings (protocol.h).
#include "inboundmessage.h"
#include "protocol.h"
#include "relaylogging.h"
#include "relayserver_p.h"
#include "sensorframe.h"
#include "websocketconnection.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <QSysInfo>
#include <QTcpServer>

namespace GroupLoop {

void RelayServerPrivate::startCluster()
{
    if (!config.cluster)
        return;
    const QByteArray relayId = Cluster::makeRelayId(QSysInfo::machineHostName(), m_tcpServer->serverPort(),
                                                    QCoreApplication::applicationPid());
    m_backplane = std::make_unique<RedisBackplane>(*config.cluster, relayId, this);
    m_backplane->start();
}

void RelayServerPrivate::deliverRemoteFrames(QByteArrayView records)
{
    // They join this pass's batch, so slow subscribers coalesce them like local ones; the
    // backplane only publishes local frames (localFrameAdded()), so they are not sent back.
    if (m_fanOut.subscriberCount() == 0)
        return;
    Cluster::forEachFrameRecord(records,
                                [this](quint16 id, const char *record) { m_fanOut.addRecord(id, record); });
    m_fanOut.recordsAdded();
}

bool RelayServerPrivate::sendToLocalDevice(quint16 id, const QString &payload)
{
    const auto route = m_routes.constFind(id);
    if (route == m_routes.cend())
        return false;
    send(route->owner, payload);
    ++stats.commandsSent;
    qCInfo(lcRelayCommands).noquote() << QStringLiteral("[SEND] %1 to %2 via #%3 (from another relay)")
                                             .arg(payload, SensorFrame::idToText(id))
                                             .arg(route->owner->serial);
    return true;
}

int RelayServerPrivate::sendToAllLocalDevices(const QString &payload)
{
    int sent = 0;
    for (auto it = m_routes.cbegin(); it != m_routes.cend(); ++it) {
        send(it->owner, payload);
        ++sent;
    }
    stats.commandsSent += quint64(sent);
    return sent;
}

void RelayServerPrivate::routeCommand(Client *client, const InboundMessage &message, quint16 id,
                                      const QString &payload)
{
    // The answer comes back later; the sender may have gone by then.
    const QPointer<WebSocketConnection> socket = client->socket;
    const quint64 serial = client->serial;
    const quint64 slot = reserveReplySlot(client);
    m_backplane->sendCommand(id, payload, [this, socket, serial, slot, message, id, payload](bool success) {
        if (!success)
            ++stats.commandsFailed; // a success is counted by the relay that delivered it
        qCInfo(lcRelayCommands).noquote()
            << QStringLiteral("[SEND] #%1 %2 to %3 via the cluster: %4")
                   .arg(serial)
                   .arg(payload, SensorFrame::idToText(id),
                        success                   ? QStringLiteral("success")
                            : m_backplane->isUp() ? QStringLiteral("failed")
                                                  : QStringLiteral("failed (redis down)"));
        if (Client *sender = socket ? m_clients.value(socket) : nullptr)
            answerCommandInSlot(sender, slot, message,
                                success ? Protocol::commandSuccess() : Protocol::commandFailed());
    });
}

void RelayServerPrivate::routeBroadcast(Client *client, const InboundMessage &message, const QString &payload,
                                        int localDevices)
{
    const QPointer<WebSocketConnection> socket = client->socket;
    const quint64 serial = client->serial;
    const quint64 slot = reserveReplySlot(client);
    m_backplane->broadcastCommand(
        payload, [this, socket, serial, slot, message, payload, localDevices](int remoteDevices) {
            const int sent = localDevices + remoteDevices;
            qCInfo(lcRelayCommands).noquote()
                << QStringLiteral("[BROADCAST] #%1 %2 to %3 devices (%4 on other relays%5)")
                       .arg(serial)
                       .arg(payload)
                       .arg(sent)
                       .arg(remoteDevices)
                       .arg(m_backplane->isUp() ? QString() : QStringLiteral("; redis down"));
            if (Client *sender = socket ? m_clients.value(socket) : nullptr)
                answerCommandInSlot(sender, slot, message, Protocol::commandSentTo(sent));
        });
}

QJsonObject RelayServerPrivate::clusterHealth() const
{
    const BackplaneStats s = m_backplane->stats();
    return QJsonObject {
        {QStringLiteral("relay_id"), QString::fromUtf8(m_backplane->relayId())},
        {QStringLiteral("redis"), s.up ? QStringLiteral("up") : QStringLiteral("down")},
        {QStringLiteral("redis_url"), m_backplane->settings().url.toDisplayString()},
        {QStringLiteral("redis_latency_ms"),
         s.latencyUs < 0 ? QJsonValue() : QJsonValue(s.latencyUs / 1000.0)},
        {QStringLiteral("remote_devices"), int(m_backplane->remoteDevices().size())},
    };
}

void RelayServerPrivate::appendRemoteDevices(QJsonArray *devices) const
{
    const QString here = QString::fromUtf8(m_backplane->relayId());
    for (QJsonValueRef device : *devices) {
        QJsonObject object = device.toObject();
        object.insert(QStringLiteral("relay"), here);
        device = object;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto &remote = m_backplane->remoteDevices();
    for (auto it = remote.cbegin(); it != remote.cend(); ++it) {
        if (m_routes.contains(it.key()))
            continue; // moved here; the local entry says more
        devices->append(QJsonObject {
            {QStringLiteral("id"), SensorFrame::idToText(it.key())},
            {QStringLiteral("relay"), QString::fromUtf8(it->relay)},
            {QStringLiteral("last_seen"),
             now.addMSecs(it->lastSeenMs - m_backplane->nowMs()).toString(Qt::ISODateWithMs)},
            {QStringLiteral("frames"), double(it->frames)},
        });
    }
}

} // namespace GroupLoop
