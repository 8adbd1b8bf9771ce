// BuiltInRelay: the console's own relay (RelayHost) and the choice its start-up leaves the user.
// start() keeps RelayHost's defaults: the preferred port if free; a GroupLoop relay already
// there is used instead; anything else there moves ours to a free port. Either of the last two
// is a notice the connection bar shows (issue 19): which port was taken and why, and, when the
// console joined a relay already there, the other choice, startOnOtherPort(): our own relay on
// a free port, with the client reconnected to it.
#pragma once

#include "relayconfig.h"
#include "relayhost.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

class RelayClient;

class BuiltInRelay : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("the console's Console.builtInRelay")
    // One line for the bar: what start() did; empty when there is nothing to say.
    Q_PROPERTY(QString notice READ notice NOTIFY changed)
    // The console joined a GroupLoop relay already on the port: startOnOtherPort() is offered.
    Q_PROPERTY(bool canStartOwn READ canStartOwn NOTIFY changed)
    Q_PROPERTY(int port READ port NOTIFY changed) // ours; 0 while none runs

public:
    explicit BuiltInRelay(RelayClient *client, QObject *parent = nullptr);

    // At start-up, before the client connects (to the result's url).
    RelayHost::Result start(const RelayConfig &config);
    void stop() { m_host.stop(); }

    QString notice() const { return m_notice; }
    bool canStartOwn() const { return m_offerOwn; }
    int port() const { return m_host.isRunning() ? m_host.port() : 0; }
    QString webRoot() const { return m_host.isRunning() ? m_config.webRoot.dir : QString(); }

    // Only after start() chose UsingExisting: starts ours on a free port and reconnects the
    // client to it. False, with the reason logged and in the notice, if it cannot listen.
    Q_INVOKABLE bool startOnOtherPort();
    Q_INVOKABLE void dismiss(); // the user read the notice

Q_SIGNALS:
    void changed();
    // Ours now serves `to` in place of the relay at `from` (the demo swarm may follow).
    void moved(const QUrl &from, const QUrl &to, const QString &message);
    void logEvent(int level, const QString &category, const QString &text);

private:
    RelayClient *m_client;
    RelayHost m_host;
    RelayConfig m_config;
    bool m_offerOwn = false;
    QUrl m_url;
    QString m_notice;
};

} // namespace GroupLoop
