#include "joinlinks.h"

#include <QNetworkInterface>

namespace GroupLoop {

JoinLinks::JoinLinks(QObject *parent)
    : QObject(parent)
{
}

void JoinLinks::setRelayUrl(const QString &url)
{
    if (url == m_relayUrl)
        return;
    m_relayUrl = url;
    refresh();
}

void JoinLinks::refresh()
{
    const QStringList urls = phoneUrls(QUrl(m_relayUrl), lanAddresses(), QNetworkInterface::allAddresses());
    if (urls == m_urls && !m_urls.isEmpty())
        return;
    m_urls = urls;
    Q_EMIT urlsChanged();
}

QList<QHostAddress> JoinLinks::lanAddresses()
{
    QList<QHostAddress> out;
    for (const QNetworkInterface &interface : QNetworkInterface::allInterfaces()) {
        const auto flags = interface.flags();
        if (!flags.testFlag(QNetworkInterface::IsUp) || !flags.testFlag(QNetworkInterface::IsRunning)
            || flags.testFlag(QNetworkInterface::IsLoopBack))
            continue;
        // Container and VM bridges are not where phones are.
        const QString name = interface.name();
        if (name.startsWith(u"docker") || name.startsWith(u"br-") || name.startsWith(u"veth")
            || name.startsWith(u"virbr"))
            continue;
        for (const QNetworkAddressEntry &entry : interface.addressEntries()) {
            const QHostAddress address = entry.ip();
            if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback()
                && !address.isLinkLocal())
                out.append(address);
        }
    }
    return out;
}

QStringList JoinLinks::phoneUrls(const QUrl &relayUrl, const QList<QHostAddress> &lanAddresses,
                                 const QList<QHostAddress> &localAddresses)
{
    if (!relayUrl.isValid() || (relayUrl.scheme() != u"ws" && relayUrl.scheme() != u"wss"))
        return {};
    const bool secure = relayUrl.scheme() == u"wss";
    QUrl page;
    page.setScheme(secure ? QStringLiteral("https") : QStringLiteral("http"));
    page.setPort(relayUrl.port(secure ? 443 : 80) == (secure ? 443 : 80) ? -1 : relayUrl.port());
    page.setPath(QStringLiteral("/phone"));
    const QString host = relayUrl.host();
    const QHostAddress hostAddress(host);
    const bool here = host == u"localhost" || hostAddress.isLoopback() || hostAddress == QHostAddress::Any
        || hostAddress == QHostAddress::AnyIPv4 || localAddresses.contains(hostAddress);
    QStringList out;
    if (!here) { // another machine: its own name is what phones use too
        page.setHost(host);
        return {page.toString()};
    }
    for (const QHostAddress &address : lanAddresses) {
        page.setHost(address.toString());
        out.append(page.toString());
    }
    return out;
}

} // namespace GroupLoop
