// Inbound messages, tested in the original relay's order, and command routing.
#include "inboundmessage.h"
#include "protocol.h"
#include "relaylogging.h"
#include "relayserver_p.h"
#include "sensorframe.h"
#include "sessionwriter.h"
#include "websocketconnection.h"
#include "websocketrfc.h"

namespace GroupLoop {

void RelayServerPrivate::send(Client *client, const QString &text)
{
    if (client->closing)
        return;
    const qint64 bytes = client->socket->sendText(text.toUtf8());
    if (bytes < 0)
        return;
    stats.bytesOut += quint64(bytes);
    ++stats.messagesOut;
}

void RelayServerPrivate::onText(Client *client, QByteArrayView utf8)
{
    if (client->closing)
        return;
    client->lastHeardMs = nowMs();
    stats.bytesIn += quint64(utf8.size());

    // Every message costs at least one token; device data costs one per frame (onDeviceData).
    const double capacity = config.maxFramesPerSecond;
    client->tokens
        = std::min(capacity, client->tokens + (client->lastHeardMs - client->tokensAtMs) * capacity / 1000.0);
    client->tokensAtMs = client->lastHeardMs;

    if (const auto line = singleFrameLine(utf8)) {
        // The hot path, the same as Kind::Data for one frame line, without a QString.
        std::array<char16_t, SensorFrame::TextLength> text;
        std::copy(line->begin(), line->end(), text.begin()); // hex digits: Latin-1 is UTF-16
        onSingleFrame(client, QStringView(text.data(), qsizetype(text.size())));
        closeIfOverRate(client);
        return;
    }

    const QString text = QString::fromUtf8(utf8);
    const InboundMessage message = InboundMessage::classify(text);
    if (message.kind != InboundMessage::Kind::Data)
        client->tokens -= 1.0;

    switch (message.kind) {
    case InboundMessage::Kind::Ping:
        send(client, Protocol::pong());
        break;
    case InboundMessage::Kind::Identify:
        if (message.label.isEmpty()) {
            send(client, Protocol::idError());
        } else {
            client->label = message.label;
            qCInfo(lcRelay).noquote()
                << QStringLiteral("[ID] #%1 %2 is %3").arg(client->serial).arg(client->peer, client->label);
            send(client, Protocol::idOk());
        }
        break;
    case InboundMessage::Kind::Subscribe:
        if (!m_access.mayControl(client->role)) {
            closeUnauthorized(client, QStringLiteral("subscribing needs a controller token"));
            return;
        }
        if (!client->subscription) {
            client->subscription = std::make_unique<ClientSubscription>(client);
            m_fanOut.subscribe(client->subscription.get());
            qCInfo(lcRelay).noquote() << QStringLiteral("[SUBSCRIBE] #%1 %2 (%3 subscribers)")
                                             .arg(client->serial)
                                             .arg(client->peer)
                                             .arg(m_fanOut.subscriberCount());
        }
        send(client, Protocol::streamOn());
        break;
    case InboundMessage::Kind::Command:
        if (!m_access.mayControl(client->role)) {
            closeUnauthorized(client, QStringLiteral("commands need a controller token"));
            return;
        }
        onCommand(client, message);
        break;
    case InboundMessage::Kind::Authenticate:
        onAuthenticate(client, message.token);
        break;
    case InboundMessage::Kind::Data:
        onDeviceData(client, text);
        break;
    }
    closeIfOverRate(client);
}

void RelayServerPrivate::closeIfOverRate(Client *client)
{
    if (client->tokens < 0.0 && !client->closing) {
        ++stats.closedRateLimit;
        qCWarning(lcRelayLimits).noquote() << QStringLiteral("[LIMIT] #%1 %2 over %3 frames/s")
                                                  .arg(client->serial)
                                                  .arg(client->peer)
                                                  .arg(config.maxFramesPerSecond);
        closeClient(client, WebSocketRfc::ClosePolicyViolated, QStringLiteral("rate limit exceeded"));
    }
}

void RelayServerPrivate::onCommand(Client *client, const InboundMessage &message)
{
    if (!message.commandWellFormed) {
        ++stats.commandsRejected;
        answerCommand(client, message, Protocol::commandInvalidFormat());
        return;
    }
    if (const auto rejection = config.registry.rejection(message.command, message.params)) {
        ++stats.commandsRejected;
        qCInfo(lcRelayCommands).noquote() << QStringLiteral("[COMMANDS] #%1 rejected %2: %3")
                                                 .arg(client->serial)
                                                 .arg(message.command, *rejection);
        answerCommand(client, message, *rejection);
        return;
    }
    if (message.command == u"ota") {
        if (const auto refusal = m_access.refuseOta(client->role)) {
            ++stats.commandsRejected;
            qCWarning(lcRelayCommands).noquote()
                << QStringLiteral("[COMMANDS] #%1 %2 tried ota; refused (%3)")
                       .arg(client->serial)
                       .arg(client->peer, refusal->reason);
            answerCommand(client, message, refusal->reply);
            return;
        }
    }
    const QString payload = Protocol::deviceCommand(message.command, message.params);
    if (message.target == u"all") {
        const int sent = sendToAllLocalDevices(payload);
        if (m_backplane) {
            routeBroadcast(client, message, payload, sent); // answers with the count over every relay
            return;
        }
        qCInfo(lcRelayCommands).noquote()
            << QStringLiteral("[BROADCAST] #%1 %2 to %3 devices").arg(client->serial).arg(payload).arg(sent);
        answerCommand(client, message, Protocol::commandSentTo(sent));
        return;
    }
    const auto id = SensorFrame::idFromText(message.target);
    const auto route = id ? m_routes.constFind(*id) : m_routes.cend();
    if (route == m_routes.cend() && id && m_backplane) {
        routeCommand(client, message, *id, payload); // the device may be on another relay
        return;
    }
    if (route == m_routes.cend()) {
        ++stats.commandsFailed;
        qCInfo(lcRelayCommands).noquote() << QStringLiteral("[SEND] #%1 %2 to unknown device %3: failed")
                                                 .arg(client->serial)
                                                 .arg(payload, message.target);
        answerCommand(client, message, Protocol::commandFailed());
        return;
    }
    send(route->owner, payload);
    ++stats.commandsSent;
    qCInfo(lcRelayCommands).noquote() << QStringLiteral("[SEND] #%1 %2 to %3 via #%4")
                                             .arg(client->serial)
                                             .arg(payload, message.target)
                                             .arg(route->owner->serial);
    answerCommand(client, message, Protocol::commandSuccess());
}

// Every command's reply goes through here, so a recording sees each command with its result.
void RelayServerPrivate::answerCommand(Client *client, const InboundMessage &message, const QString &reply)
{
    if (client->replyQueue.empty()) {
        recordCommand(message, reply);
        send(client, reply);
        return;
    }
    answerCommandInSlot(client, reserveReplySlot(client), message, reply); // behind a routed one
}

quint64 RelayServerPrivate::reserveReplySlot(Client *client)
{
    client->replyQueue.emplace_back(false, QString());
    return client->replyQueueBase + client->replyQueue.size() - 1;
}

void RelayServerPrivate::answerCommandInSlot(Client *client, quint64 slot, const InboundMessage &message,
                                             const QString &reply)
{
    recordCommand(message, reply);
    const quint64 index = slot - client->replyQueueBase;
    if (index >= client->replyQueue.size())
        return; // cannot happen: every slot is filled once
    client->replyQueue[index] = {true, reply};
    while (!client->replyQueue.empty() && client->replyQueue.front().first) {
        send(client, client->replyQueue.front().second);
        client->replyQueue.pop_front();
        ++client->replyQueueBase;
    }
}

void RelayServerPrivate::recordCommand(const InboundMessage &message, const QString &reply)
{
    if (!m_recorder)
        return;
    static const QString resultPrefix = QStringLiteral("cmd:result:");
    m_recorder->appendCommand({m_recorder->elapsedMs(), message.target, message.command, message.params,
                               reply.startsWith(resultPrefix) ? reply.mid(resultPrefix.size()) : reply});
}

// One message that is exactly one frame line: what a device sends 20 to 50 times a second.
// Classifying it and splitting it into lines would end where this starts, so it skips both.
std::optional<QByteArrayView> RelayServerPrivate::singleFrameLine(QByteArrayView utf8)
{
    qsizetype size = utf8.size();
    if (size == SensorFrame::TextLength + 1 && utf8.back() == '\n')
        --size;
    if (size != SensorFrame::TextLength)
        return std::nullopt;
    const QByteArrayView line = utf8.first(size);
    if (!std::all_of(line.begin(), line.end(), [](char c) { return Hex::digitValue(quint8(c)) >= 0; }))
        return std::nullopt;
    return line;
}

void RelayServerPrivate::onDeviceData(Client *client, QStringView data)
{
    bool devicesChanged = false;
    const int junk = forEachFrameLine(
        data, [&](quint16 id, QStringView line) { onFrame(client, id, line, &devicesChanged); });
    finishDeviceData(client, junk, devicesChanged);
}

void RelayServerPrivate::onSingleFrame(Client *client, QStringView line)
{
    bool devicesChanged = false;
    onFrame(client, SensorFrame::idOfFrameText(line), line, &devicesChanged);
    finishDeviceData(client, 0, devicesChanged);
}

void RelayServerPrivate::finishDeviceData(Client *client, int junk, bool devicesChanged)
{
    stats.junkLines += quint64(junk);
    if (client->ownedIds.isEmpty() || junk > 0)
        client->tokens -= 1.0; // junk costs too, so a flood of it is limited like frames
    if (devicesChanged)
        Q_EMIT q->deviceCountChanged(int(m_routes.size()));
}

void RelayServerPrivate::onFrame(Client *client, quint16 id, QStringView line, bool *devicesChanged)
{
    if (client->closing)
        return;
    if (!m_access.maySendFrames(client->role)) {
        closeUnauthorized(client, QStringLiteral("sending frames needs a device token"));
        return;
    }
    client->tokens -= 1.0;
    if (client->tokens < 0.0)
        return; // over the rate: dropped, and the connection is closed by onText
    ++stats.framesIn;
    const qint64 now = client->lastHeardMs;
    auto route = m_routes.find(id);
    if (route == m_routes.end()) {
        route = m_routes.insert(id, DeviceRoute {client, now, now, 0, 0, 0.0, -1});
        *devicesChanged = true;
        client->ownedIds.append(id);
        if (m_backplane)
            m_backplane->deviceAdded(id);
        qCInfo(lcRelay).noquote() << QStringLiteral("[DEVICE] %1 via #%2 %3")
                                         .arg(SensorFrame::idToText(id))
                                         .arg(client->serial)
                                         .arg(client->peer);
        m_ota->deviceBack(id);
    } else if (route->owner != client) {
        // Two connections sending one id: the latest frame's sender owns the route.
        if (route->lastTakeoverLogMs < 0 || now - route->lastTakeoverLogMs > 60000) {
            qCWarning(lcRelay).noquote()
                << QStringLiteral("[DUPLICATE] %1 now routed via #%2 %3 (was #%4 %5)")
                       .arg(SensorFrame::idToText(id))
                       .arg(client->serial)
                       .arg(client->peer)
                       .arg(route->owner->serial)
                       .arg(route->owner->peer);
            route->lastTakeoverLogMs = now;
        }
        route->owner = client;
        // Back on a new connection before the old one's close was handled: a reboot, for OTA
        // here and on the other relays.
        if (m_backplane)
            m_backplane->deviceLeft(id);
        m_ota->deviceGone(id);
        m_ota->deviceBack(id);
        if (!client->ownedIds.contains(id))
            client->ownedIds.append(id);
    }
    route->lastSeenMs = now;
    ++route->frames;
    qCDebug(lcRelayFrames).noquote() << QStringLiteral("[FRAME] #%1 %2").arg(client->serial).arg(line);
    m_fanOut.addFrame(id, line);
}

void RelayServerPrivate::onAuthenticate(Client *client, const QString &token)
{
    const QString who = QStringLiteral("#%1 %2").arg(client->serial).arg(client->peer);
    if (!m_access.authenticate(token.toUtf8(), who, &client->role)) {
        closeUnauthorized(client, QStringLiteral("unknown token"));
        return;
    }
    send(client, Protocol::authOk());
}

void RelayServerPrivate::closeUnauthorized(Client *client, const QString &reason)
{
    m_access.countRefusal();
    qCWarning(lcRelayAuth).noquote()
        << QStringLiteral("[AUTH] #%1 %2 closed: %3").arg(client->serial).arg(client->peer, reason);
    closeClient(client, WebSocketRfc::CloseUnauthorized, reason);
}

} // namespace GroupLoop
