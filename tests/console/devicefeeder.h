// DeviceFeeder: test and benchmark devices. Opens `gateways` plain QWebSocket connections to a
// relay and streams frames for `devices` ids (spread over the gateways) at `hz`, each device
// circling the room so its beacon bytes (RoomModel::beaconBytesAt) move. Records every text
// message a connection receives, so tests can check that a command reached "the device".
#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <memory>
#include <vector>

namespace GroupLoop::Testing {

class DeviceFeeder : public QObject
{
    Q_OBJECT
public:
    struct Config
    {
        QUrl url;
        int devices = 10;
        int gateways = 1;
        double hz = 20.0;
        quint16 firstId = 0x1000;
        double tapRate = 0.0; // taps per second per device
        // How fast each device circles its spot; 0 holds it still (tests that point at a device).
        double circlingRadPerSecond = 0.6;
    };

    explicit DeviceFeeder(Config config, QObject *parent = nullptr);
    ~DeviceFeeder() override;

    void start();
    void stop();
    int connectedGateways() const;
    quint64 framesSent() const { return m_framesSent; }
    QStringList received() const { return m_received; } // every non-greeting text message
    QString idText(int device) const;

Q_SIGNALS:
    void allConnected();

private:
    void tick();
    QByteArray frameFor(int device, double seconds) const;

    Config m_config;
    std::vector<std::unique_ptr<QWebSocket>> m_sockets;
    QTimer m_timer;
    QElapsedTimer m_clock;
    double m_sentUpTo = 0.0; // fractional frames already sent per device
    quint64 m_framesSent = 0;
    QStringList m_received;
    int m_connected = 0;
    quint32 m_rng = 12345;
};

} // namespace GroupLoop::Testing
