// The relay's side of OTA rollouts (OtaManager::Host): sending ota:<url> down a device's
// connection, and the URL base a device can fetch its image from.
#include "protocol.h"
#include "relayserver_p.h"
#include "websocketconnection.h"

#include <QTcpServer>

namespace GroupLoop {

bool RelayServerPrivate::sendOta(quint16 id, const QString &url)
{
    const auto route = m_routes.constFind(id);
    if (route == m_routes.cend() || route->owner->closing)
        return false;
    send(route->owner, Protocol::deviceCommand(QStringLiteral("ota"), url));
    ++stats.commandsSent;
    return true;
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
