// RelayServer: the GroupLoop relay. One TCP port serves WebSocket clients (devices, browsers,
// consoles) and a small HTTP side door (/health, /devices, /commands.json).
// Runs entirely in the thread it lives in; the console may host it in a worker thread.
#pragma once

#include "relayconfig.h"
#include "relaystats.h"

#include <QDateTime>
#include <QObject>
#include <QString>

#include <memory>

namespace GroupLoop {

struct DeviceInfo
{
    QString id; // 4 lowercase hex digits
    QString label; // the owning connection's id: label, may be empty
    QString remoteAddress;
    QDateTime firstSeen;
    QDateTime lastSeen;
    quint64 frames = 0;
    double rate = 0.0; // frames per second, recent
};

class RelayServerPrivate;

class RelayServer : public QObject
{
    Q_OBJECT
public:
    // Call first thing in main(), before the application object exists, in every program
    // that hosts a relay: selects Qt's UNIX event dispatcher instead of glib's (which
    // unregisters a socket notifier by a linear scan over all of them, and Qt toggles a
    // socket's read notifier around every read; see docs/relay.md). Respects a QT_NO_GLIB the
    // user set.
    static void preferScalableEventDispatcher();
    // The thread a relay runs in gets GroupLoop::createEventDispatcher() (eventdispatcher.h).

    explicit RelayServer(RelayConfig config, QObject *parent = nullptr);
    ~RelayServer() override;

    // Binds and starts serving. On failure returns false and sets *error to one line.
    bool listen(QString *error = nullptr);
    bool isListening() const;
    quint16 serverPort() const; // ws:// (or wss:// when TLS replaces plain)
    quint16 tlsServerPort() const; // wss://; 0 without TLS
    QHostAddress serverAddress() const;

    // Closes every client with 1001 (going away) and stops listening.
    void shutdown();

    const RelayConfig &config() const;
    void setRegistry(const CommandRegistry &registry); // e.g. after a background fetch
    const CommandRegistry &registry() const;

    RelayStats stats() const;
    QList<DeviceInfo> devices() const;

Q_SIGNALS:
    void registryChanged();
    void deviceCountChanged(int devices);
    void connectionCountChanged(int connections);

private:
    std::unique_ptr<RelayServerPrivate> d;
};

} // namespace GroupLoop
