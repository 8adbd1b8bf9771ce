#include "devicefeeder.h"

#include "roommodel.h"
#include "sensorframe.h"

#include <algorithm>
#include <cmath>

namespace GroupLoop::Testing {

DeviceFeeder::DeviceFeeder(Config config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(10);
    connect(&m_timer, &QTimer::timeout, this, &DeviceFeeder::tick);
}

DeviceFeeder::~DeviceFeeder()
{
    stop();
}

QString DeviceFeeder::idText(int device) const
{
    return SensorFrame::idToText(quint16(m_config.firstId + device));
}

void DeviceFeeder::start()
{
    for (int g = 0; g < m_config.gateways; ++g) {
        auto socket = std::make_unique<QWebSocket>();
        socket->setMaxAllowedIncomingMessageSize(1 << 20);
        connect(socket.get(), &QWebSocket::connected, this, [this] {
            if (++m_connected == m_config.gateways)
                Q_EMIT allConnected();
        });
        connect(socket.get(), &QWebSocket::disconnected, this, [this] { --m_connected; });
        connect(socket.get(), &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            if (!text.startsWith(QLatin1String("Connected to")))
                m_received << text;
        });
        socket->open(m_config.url);
        m_sockets.push_back(std::move(socket));
    }
    m_clock.start();
    m_timer.start();
}

void DeviceFeeder::stop()
{
    m_timer.stop();
    for (auto &socket : m_sockets) {
        socket->disconnect(this);
        socket->abort();
    }
    m_sockets.clear();
    m_connected = 0;
}

int DeviceFeeder::connectedGateways() const
{
    return m_connected;
}

QByteArray DeviceFeeder::frameFor(int device, double seconds) const
{
    // Each device circles its own spot in the room; acceleration follows the motion.
    const double phase = device * 2.399963; // golden angle spreads the devices
    const double cx = 400.0 + 300.0 * std::cos(phase) * std::sqrt((device % 97) / 97.0);
    const double cy = 300.0 + 220.0 * std::sin(phase) * std::sqrt((device % 89) / 89.0);
    const double angle = seconds * m_config.circlingRadPerSecond + phase;
    SensorFrame frame;
    frame.id = quint16(m_config.firstId + device);
    const auto beacons = RoomModel::beaconBytesAt({cx + 40.0 * std::cos(angle), cy + 40.0 * std::sin(angle)});
    frame.beacons = beacons;
    frame.ax = SensorFrame::accelToByte(0.3 * std::cos(angle * 3.0));
    frame.ay = SensorFrame::accelToByte(0.3 * std::sin(angle * 2.0));
    frame.az = SensorFrame::accelToByte(1.0 + 0.1 * std::sin(angle * 5.0));
    return frame.toHex();
}

void DeviceFeeder::tick()
{
    const double seconds = m_clock.elapsed() / 1000.0;
    const double due = seconds * m_config.hz;
    int frames = int(due - m_sentUpTo);
    if (frames <= 0)
        return;
    m_sentUpTo += frames;
    // After a long pass of this thread (seconds, under sanitizers), a device skips the samples it
    // missed, as the firmware does: all of them in one message would trip the relay's size and
    // rate limits and get the device closed (tst_uismoke under ASan on a busy machine).
    constexpr int MaxCatchUpFrames = 5;
    frames = std::min(frames, MaxCatchUpFrames);
    const int perGateway = (m_config.devices + m_config.gateways - 1) / m_config.gateways;
    for (int g = 0; g < int(m_sockets.size()); ++g) {
        QWebSocket *socket = m_sockets[size_t(g)].get();
        if (socket->state() != QAbstractSocket::ConnectedState)
            continue;
        QByteArray batch;
        for (int f = 0; f < frames; ++f) {
            for (int d = g * perGateway; d < std::min(m_config.devices, (g + 1) * perGateway); ++d) {
                QByteArray line = frameFor(d, seconds);
                if (m_config.tapRate > 0.0) {
                    m_rng = m_rng * 1664525u + 1013904223u;
                    if ((m_rng >> 8) / double(1 << 24) < m_config.tapRate / m_config.hz)
                        line.replace(18, 2, "ff");
                }
                batch += line;
                batch += '\n';
                ++m_framesSent;
            }
        }
        if (!batch.isEmpty())
            socket->sendTextMessage(QString::fromLatin1(batch));
    }
}

} // namespace GroupLoop::Testing
