#include "emulatorcontroller.h"

#include "lightwebsocket.h"
#include "logmodel.h"
#include "protocol.h"
#include "relayclient.h"
#include "roommodel.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace GroupLoop {

namespace {

// A fresh id per run, like a different board's MAC; never 0000.
quint16 randomId()
{
    return quint16(1 + QRandomGenerator::global()->bounded(0xffff));
}

double wrapDegrees(double degrees)
{
    if (!std::isfinite(degrees))
        return 0.0;
    double d = std::fmod(degrees + 180.0, 360.0);
    if (d < 0)
        d += 360.0;
    return d - 180.0;
}

QString signedG(double g)
{
    return (g >= 0 ? QStringLiteral("+") : QString()) + QString::number(g, 'f', 2);
}

} // namespace

EmulatorController::EmulatorController(RelayClient *relay, QObject *parent)
    : QObject(parent)
    , m_relay(relay)
    , m_device(randomId(), QRandomGenerator::global()->generate())
    , m_socket(new LightWebSocket(this))
{
    m_clock.start();
    m_device.setPosition({RoomModel::Width / 2, RoomModel::Height / 2});
    if (m_relay)
        connect(m_relay, &RelayClient::urlChanged, this, &EmulatorController::defaultUrlChanged);
    connect(m_socket, &LightWebSocket::connected, this, &EmulatorController::onConnected);
    connect(m_socket, &LightWebSocket::disconnected, this, &EmulatorController::onDisconnected);
    connect(m_socket, &LightWebSocket::textReceived, this, &EmulatorController::onText);

    // The ring is drawn from the device model at a fixed UI rate, whatever the send rate.
    m_uiTimer.setInterval(1000 / UiHz);
    m_uiTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_uiTimer, &QTimer::timeout, this, &EmulatorController::refreshUi);
    m_uiTimer.start();
    m_sendTimer.setTimerType(Qt::PreciseTimer);
    m_sendTimer.setInterval(int(std::lround(1000.0 / m_hz)));
    connect(&m_sendTimer, &QTimer::timeout, this, &EmulatorController::sendFrame);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &EmulatorController::openSocket);
    refreshUi();
}

EmulatorController::~EmulatorController()
{
    m_wanted = false;
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
}

bool EmulatorController::isValidId(const QString &text)
{
    return SensorFrame::idFromText(QStringView(text).trimmed()).has_value();
}

bool EmulatorController::setIdText(const QString &text)
{
    const auto id = SensorFrame::idFromText(QStringView(text).trimmed());
    if (!id) {
        setError(tr("Device id must be exactly 4 hex digits (0-9, a-f), e.g. 1a2b; got '%1'").arg(text));
        return false;
    }
    setError({});
    if (*id == m_device.id())
        return true;
    m_device.setId(*id);
    Q_EMIT idChanged();
    return true;
}

void EmulatorController::setUrl(const QString &url)
{
    if (url == m_url)
        return;
    m_url = url;
    Q_EMIT urlChanged();
}

QString EmulatorController::defaultUrl() const
{
    return m_relay ? m_relay->urlText() : QString();
}

QString EmulatorController::stateText() const
{
    switch (m_state) {
    case Connecting:
        return tr("Connecting");
    case Connected:
        return tr("Connected");
    case Reconnecting:
        return tr("Reconnecting");
    case Disconnected:
        break;
    }
    return tr("Disconnected");
}

void EmulatorController::setHz(double hz)
{
    hz = std::clamp(std::isfinite(hz) ? hz : 20.0, 1.0, 100.0);
    if (hz == m_hz)
        return;
    m_hz = hz;
    m_sendTimer.setInterval(int(std::lround(1000.0 / m_hz)));
    Q_EMIT hzChanged();
}

void EmulatorController::setPosition(QPointF position)
{
    position.setX(std::clamp(position.x(), 0.0, RoomModel::Width));
    position.setY(std::clamp(position.y(), 0.0, RoomModel::Height));
    if (position == m_device.position())
        return;
    m_device.setPosition(position);
    Q_EMIT motionChanged();
}

void EmulatorController::setRoll(double degrees)
{
    Orientation o = m_device.orientation();
    o.roll = wrapDegrees(degrees);
    if (o.roll == m_device.orientation().roll)
        return;
    m_device.setOrientation(o);
    Q_EMIT motionChanged();
}

void EmulatorController::setPitch(double degrees)
{
    Orientation o = m_device.orientation();
    o.pitch = wrapDegrees(degrees);
    if (o.pitch == m_device.orientation().pitch)
        return;
    m_device.setOrientation(o);
    Q_EMIT motionChanged();
}

void EmulatorController::setYaw(double degrees)
{
    Orientation o = m_device.orientation();
    o.yaw = wrapDegrees(degrees);
    if (o.yaw == m_device.orientation().yaw)
        return;
    m_device.setOrientation(o);
    Q_EMIT motionChanged();
}

void EmulatorController::tiltBy(double rollDegrees, double pitchDegrees)
{
    Orientation o = m_device.orientation();
    o.roll = wrapDegrees(o.roll + rollDegrees);
    o.pitch = wrapDegrees(o.pitch + pitchDegrees);
    m_device.setOrientation(o);
    Q_EMIT motionChanged();
}

void EmulatorController::level()
{
    m_device.setOrientation(Orientation {});
    Q_EMIT motionChanged();
}

QVariantList EmulatorController::acceleration() const
{
    const SensorFrame frame = m_device.peekFrame();
    return {frame.axG(), frame.ayG(), frame.azG()};
}

QVariantList EmulatorController::beacons() const
{
    const SensorFrame frame = m_device.peekFrame();
    return {int(frame.beacons[0]), int(frame.beacons[1]), int(frame.beacons[2]), int(frame.beacons[3])};
}

QString EmulatorController::phaseText() const
{
    switch (m_device.phase()) {
    case VirtualDevice::Phase::Online:
        return tr("online");
    case VirtualDevice::Phase::Updating:
        return tr("updating firmware");
    case VirtualDevice::Phase::Booting:
        break;
    }
    return tr("booting (no network)");
}

QString EmulatorController::patternText() const
{
    const LedRing &ring = m_device.leds();
    if (ring.isPerLedMode())
        return tr("per-LED");
    return ledPatternName(ring.pattern()) + QLatin1Char(' ') + QLatin1Char('#') + ring.colour().toHex();
}

void EmulatorController::tap()
{
    m_device.tap();
    // The tap goes out in the very next frame; do not wait for the send timer.
    if (m_state == Connected)
        sendFrame();
}

void EmulatorController::clearReceived()
{
    m_received.clear();
    Q_EMIT receivedChanged();
}

void EmulatorController::setWatched(bool watched)
{
    if (watched == isWatched())
        return;
    // The device model is time-driven, so pausing the refresh loses nothing: the next refresh
    // (or command, or frame) brings it to the present.
    if (watched) {
        m_uiTimer.start();
        refreshUi();
    } else {
        m_uiTimer.stop();
    }
    Q_EMIT watchedChanged();
}

void EmulatorController::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged();
}

void EmulatorController::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

bool EmulatorController::connectToRelay()
{
    const QString text = m_url.trimmed().isEmpty() ? defaultUrl() : m_url.trimmed();
    if (text.isEmpty()) {
        setError(tr("No relay to connect to: enter a ws:// URL"));
        return false;
    }
    const QUrl url(text, QUrl::StrictMode);
    QString why;
    if (!url.isValid() || !LightWebSocket::isSupportedUrl(url, &why)) {
        setError(tr("Bad relay URL '%1': %2").arg(text, why.isEmpty() ? url.errorString() : why));
        return false;
    }
    m_target = url;
    m_wanted = true;
    setError({});
    m_reconnectTimer.stop();
    if (m_socket->state() != LightWebSocket::State::Unconnected) {
        disconnect(m_socket, &LightWebSocket::disconnected, this, &EmulatorController::onDisconnected);
        m_socket->abort();
        connect(m_socket, &LightWebSocket::disconnected, this, &EmulatorController::onDisconnected);
    }
    openSocket();
    return true;
}

void EmulatorController::disconnectFromRelay()
{
    m_wanted = false;
    m_reconnectTimer.stop();
    m_sendTimer.stop();
    if (m_socket->state() == LightWebSocket::State::Unconnected) {
        setState(Disconnected);
        return;
    }
    m_socket->close();
}

void EmulatorController::openSocket()
{
    if (!m_wanted)
        return;
    setState(m_state == Reconnecting ? Reconnecting : Connecting);
    m_socket->open(m_target);
}

void EmulatorController::onConnected()
{
    advanceClock();
    m_device.networkUp(); // first network after boot: breathing in a random colour
    setState(Connected);
    setError({});
    m_sendTimer.start();
    Q_EMIT logEvent(LogModel::Info, QStringLiteral("emulator"),
                    tr("Emulated device %1 connected to %2").arg(idText(), m_target.toString()));
    sendFrame();
}

void EmulatorController::onDisconnected(const QString &reason)
{
    m_sendTimer.stop();
    if (std::exchange(m_rebootAfterOta, false) && m_wanted) {
        // Flashed: the firmware reboots and connects again at once.
        setState(Connecting);
        m_reconnectTimer.start(100);
        return;
    }
    if (!m_wanted) {
        setState(Disconnected);
        return;
    }
    // Like the firmware, keep trying while the user wants the device online.
    const bool wasConnected = m_state == Connected;
    setError(wasConnected ? tr("Lost the relay at %1: %2. Retrying every %3 s.")
                                .arg(m_target.toString(), reason)
                                .arg(ReconnectMs / 1000)
                          : tr("Cannot reach the relay at %1: %2. Retrying every %3 s.")
                                .arg(m_target.toString(), reason)
                                .arg(ReconnectMs / 1000));
    if (wasConnected)
        Q_EMIT logEvent(LogModel::Warning, QStringLiteral("emulator"), m_error);
    setState(Reconnecting);
    m_reconnectTimer.start(ReconnectMs);
}

void EmulatorController::onText(const QByteArray &text)
{
    const QString message = QString::fromUtf8(text);
    if (message == Protocol::greeting())
        return;
    advanceClock();
    const VirtualDevice::CommandResult result = m_device.applyCommand(message);
    QString outcome;
    switch (result) {
    case VirtualDevice::CommandResult::Applied:
        outcome = tr("applied");
        break;
    case VirtualDevice::CommandResult::Ignored:
        outcome = tr("ignored");
        break;
    case VirtualDevice::CommandResult::OtaStarted:
        outcome = tr("OTA started");
        break;
    }
    logReceived(message + QStringLiteral("  (") + outcome + QLatin1Char(')'));
    if (result == VirtualDevice::CommandResult::OtaStarted)
        startOta();
    refreshUi();
}

void EmulatorController::startOta()
{
    if (!m_ota)
        m_ota = std::make_unique<NetworkOtaFetcher>();
    QPointer<EmulatorController> self(this);
    m_ota->fetch(m_device.otaUrl(), [self](bool ok, const QString &error) {
        if (!self)
            return;
        self->advanceClock();
        self->m_device.finishOta(ok);
        self->logReceived(ok ? tr("OTA image fetched: rebooting") : tr("OTA failed: %1").arg(error));
        if (ok && self->m_socket->state() != LightWebSocket::State::Unconnected) {
            self->m_rebootAfterOta = true;
            self->m_socket->close(WebSocketRfc::CloseGoingAway);
        }
        self->refreshUi();
    });
}

void EmulatorController::sendFrame()
{
    if (m_state != Connected || !m_device.isPublishing())
        return;
    const SensorFrame frame = m_device.takeFrame();
    const QByteArray hex = frame.toHex();
    if (!m_socket->sendText(QByteArray(hex + '\n')))
        return;
    ++m_framesSent;
    m_lastFrameHex = QString::fromLatin1(hex);
    m_lastFrameDecoded
        = tr("id %1 · accel %2 %3 %4 g · beacons NW %5 NE %6 SE %7 SW %8 · tap %9")
              .arg(frame.idText(), signedG(frame.axG()), signedG(frame.ayG()), signedG(frame.azG()))
              .arg(frame.beacons[0])
              .arg(frame.beacons[1])
              .arg(frame.beacons[2])
              .arg(frame.beacons[3])
              .arg(frame.isTap() ? tr("yes") : tr("no"));
    Q_EMIT frameSent();
}

void EmulatorController::refreshUi()
{
    advanceClock();
    const LedRing::Colours colours = m_device.ledColours();
    QStringList leds;
    int level = 0;
    for (const Rgb &led : colours) {
        leds << QLatin1Char('#') + led.toHex();
        level = std::max({level, int(led.r), int(led.g), int(led.b)});
    }
    if (leds != m_leds) {
        m_leds = leds;
        m_ledLevel = level / 255.0;
        Q_EMIT ledsChanged();
    }
    if (m_device.isVibrating() != m_vibrating) {
        m_vibrating = m_device.isVibrating();
        Q_EMIT vibratingChanged();
    }
    const QString state = phaseText() + patternText() + QString::number(brightness());
    if (state != m_deviceState) {
        m_deviceState = state;
        Q_EMIT deviceStateChanged();
    }
}

void EmulatorController::logReceived(const QString &line)
{
    m_received.prepend(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss.zzz"))
                       + QStringLiteral("  ") + line);
    while (m_received.size() > MaxLogLines)
        m_received.removeLast();
    Q_EMIT receivedChanged();
}

} // namespace GroupLoop
