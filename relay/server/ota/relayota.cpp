// The relay's side of OTA rollouts (OtaManager::Host): sending ota:<url> down a device's
// connection, or through the cluster to the relay it is on, and the URL base a device can
// fetch its image from.
#include "protocol.h"
#include "relaylogging.h"
#include "relayserver_p.h"
#include "sensorframe.h"
#include "websocketconnection.h"

#include <QTcpServer>

namespace GroupLoop {

Q_DECLARE_LOGGING_CATEGORY(lcRelayOta)

OtaManager::Host::Delivery RelayServerPrivate::sendOta(quint16 id, const QString &url,
                                                       std::function<void()> undelivered)
{
    const QString payload = Protocol::deviceCommand(QStringLiteral("ota"), url);
    const auto route = m_routes.constFind(id);
    if (route != m_routes.cend() && !route->owner->closing) {
        send(route->owner, payload);
        ++stats.commandsSent;
        return Delivery::Sent;
    }
    if (!m_backplane)
        return Delivery::NotConnected;
    // The relay it is on sends it, as for cmd:<id>:...; the download still comes here.
    if (config.publicHttpUrl.isEmpty() && !m_warnedOtaBase) {
        m_warnedOtaBase = true;
        qCWarning(lcRelayOta).noquote()
            << QStringLiteral("[OTA] devices on other relays get %1 for the image; set --public-http-url "
                              "if they cannot reach this relay there")
                   .arg(httpBaseFor(id));
    }
    m_backplane->sendCommand(id, payload, [this, id, payload, undelivered = std::move(undelivered)](bool ok) {
        qCInfo(lcRelayCommands).noquote()
            << QStringLiteral("[SEND] %1 to %2 via the cluster: %3")
                   .arg(payload, SensorFrame::idToText(id),
                        ok ? QStringLiteral("success") : QStringLiteral("failed"));
        if (!ok)
            undelivered();
    });
    return Delivery::Routed;
}

QList<quint16> RelayServerPrivate::reachableDevices() const
{
    QList<quint16> ids = m_routes.keys();
    if (m_backplane) {
        const auto &remote = m_backplane->remoteDevices();
        for (auto it = remote.cbegin(); it != remote.cend(); ++it) {
            if (!m_routes.contains(it.key()))
                ids.append(it.key());
        }
    }
    return ids;
}

QString RelayServerPrivate::httpBaseFor(quint16 id) const
{
    if (!config.publicHttpUrl.isEmpty())
        return config.publicHttpUrl;
    // The address the device reached the relay on is one it can reach again.
    const auto route = m_routes.constFind(id);
    QHostAddress address = route == m_routes.cend() ? config.host : route->owner->socket->localAddress();
    bool mapped = false;
    const quint32 ipv4 = address.toIPv4Address(&mapped);
    if (mapped)
        address = QHostAddress(ipv4);
    if (address.isNull() || address == QHostAddress::Any || address == QHostAddress::AnyIPv4)
        address = QHostAddress::LocalHost;
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
        : address.toString();
    // Plain HTTP on --port, unless TLS replaced it there.
    const bool tlsOnly = config.tlsEnabled && config.tlsPort < 0;
    return (tlsOnly ? QStringLiteral("https://") : QStringLiteral("http://")) + host + QLatin1Char(':')
        + QString::number(m_tcpServer ? m_tcpServer->serverPort() : config.port);
}

} // namespace GroupLoop
