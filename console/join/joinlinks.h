// JoinLinks: where a phone in the room opens /phone (docs/phone.md) to join as a device: the
// relay the console uses, by each address of this machine that others on the LAN can reach
// when that relay runs here (built in, or on localhost), else by the relay's own host.
// phoneUrls() is the pure half; the Join dialog (qml/join/) shows each as text and QR code.
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

class JoinLinks : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    // The relay's ws:// or wss:// URL (RelayClient::url).
    Q_PROPERTY(QString relayUrl READ relayUrl WRITE setRelayUrl NOTIFY urlsChanged)
    Q_PROPERTY(QStringList urls READ urls NOTIFY urlsChanged)
public:
    explicit JoinLinks(QObject *parent = nullptr);

    QString relayUrl() const { return m_relayUrl; }
    void setRelayUrl(const QString &url);
    QStringList urls() const { return m_urls; }

    // Reads this machine's addresses again (a network came up, Wi-Fi changed).
    Q_INVOKABLE void refresh();

    // The /phone URLs for a relay URL: http(s) by ws(s), the relay's port; a relay on this
    // machine (loopback or any of `localAddresses`) is named by each of `lanAddresses`.
    static QStringList phoneUrls(const QUrl &relayUrl, const QList<QHostAddress> &lanAddresses,
                                 const QList<QHostAddress> &localAddresses);
    // This machine's IPv4 addresses on interfaces that are up, not loopback, not virtual bridges.
    static QList<QHostAddress> lanAddresses();

Q_SIGNALS:
    void urlsChanged();

private:
    QString m_relayUrl;
    QStringList m_urls;
};

} // namespace GroupLoop
