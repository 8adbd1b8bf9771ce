// OscSender: the OSC destinations and their UDP sockets. Each destination resolves its host
// (QHostInfo, retried every RetryMs while it fails), then gets the datagrams of every tick it
// asked for: the default scheme, the mappings' outputs, or both, bundled or one message per
// datagram. A datagram the kernel does not take is dropped and counted, never queued, so a
// slow network cannot make later values late (docs/outputs.md, "Limits").
#pragma once

#include "outputsconfig.h"

#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

class QUdpSocket;

namespace GroupLoop {

// One tick's datagrams, packed once per packing a destination may ask for.
struct OscTickDatagrams
{
    std::vector<QByteArray> defaultScheme;
    std::vector<QByteArray> mapped;
};

class OscSender : public QObject
{
    Q_OBJECT

public:
    static constexpr int RetryMs = 5000;

    enum class Status { Resolving, Sending, Error };
    struct Destination
    {
        OscDestination config;
        Status status = Status::Resolving;
        QString statusText; // "resolving show.local", "sending to 10.0.0.5:9000", "error: ..."
        QHostAddress address;
        quint64 datagrams = 0;
        quint64 bytes = 0;
        quint64 dropped = 0; // datagrams the socket refused (send buffer full, network down)
    };

    explicit OscSender(QObject *parent = nullptr);
    ~OscSender() override;

    // Destinations that stay (same host and port) keep their socket, address and counters.
    void setDestinations(const QList<OscDestination> &destinations);
    QList<OscDestination> configs() const;
    int count() const { return int(m_destinations.size()); }
    const Destination &destination(int index) const { return m_destinations[size_t(index)]->state; }

    // Which packings this tick needs (destinations that resolved and want something).
    bool wantsBundled() const { return wants(true); }
    bool wantsPlain() const { return wants(false); }
    bool wantsDefaultScheme() const;
    bool wantsMapped() const;
    // Sends to every resolved destination what it asked for. Returns the datagrams sent.
    int send(const OscTickDatagrams &bundled, const OscTickDatagrams &plain);

Q_SIGNALS:
    void statusChanged(int index); // status or statusText of destination `index` changed
    void destinationsChanged(); // the list itself changed

private:
    struct Slot
    {
        Destination state;
        std::unique_ptr<QUdpSocket> socket;
        int lookupId = -1;
        qint64 retryAtMs = 0;
    };

    bool wants(bool bundled) const;
    void resolve(Slot &slot);
    void retryFailed();
    void setStatus(Slot &slot, Status status, const QString &text);
    int sendAll(Slot &slot, const std::vector<QByteArray> &datagrams);
    int indexOf(const Slot *slot) const;
    static QString sendingText(const Destination &destination);

    std::vector<std::unique_ptr<Slot>> m_destinations;
    QTimer m_retry;
};

} // namespace GroupLoop
