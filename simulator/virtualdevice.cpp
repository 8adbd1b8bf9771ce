#include "virtualdevice.h"

#include "roommodel.h"

#include <cmath>

namespace GroupLoop {

namespace {

constexpr double DegToRad = 3.14159265358979323846 / 180.0;
constexpr Rgb Green {0, 255, 0};

std::optional<int> decimal(QStringView text)
{
    bool ok = false;
    const int value = text.trimmed().toInt(&ok, 10);
    return ok ? std::optional<int>(value) : std::nullopt;
}

std::optional<int> ledIndex(QStringView text)
{
    const auto index = decimal(text);
    if (!index || *index < 0 || *index >= LedRing::Count)
        return std::nullopt;
    return index;
}

} // namespace

VirtualDevice::VirtualDevice(quint16 id, quint32 seed)
    : m_id(id)
    , m_rng((quint64(seed) << 16 | id) * 0x9E3779B97F4A7C15ULL | 1)
{
    m_otaRing.setPattern(LedPattern::Breathing, 0);
    m_otaRing.setColour(Green);
    setPosition(m_position);
    setOrientation(m_orientation);
}

void VirtualDevice::setPosition(QPointF position)
{
    m_position = position;
    m_beaconsStale = true;
}

void VirtualDevice::setOrientation(const Orientation &orientation)
{
    m_orientation = orientation;
    const auto g = gravityIn(orientation);
    m_accel
        = {SensorFrame::accelToByte(g[0]), SensorFrame::accelToByte(g[1]), SensorFrame::accelToByte(g[2])};
}

void VirtualDevice::advance(qint64 ms)
{
    if (ms > 0)
        m_nowMs += ms;
}

void VirtualDevice::advanceTo(qint64 ms)
{
    if (ms > m_nowMs)
        m_nowMs = ms;
}

void VirtualDevice::networkUp()
{
    if (m_phase != Phase::Booting || m_hadNetwork)
        return;
    m_hadNetwork = true;
    m_phase = Phase::Online;
    m_ring.setPattern(LedPattern::Breathing, m_nowMs);
    m_ring.setColour(randomColour());
}

VirtualDevice::CommandResult VirtualDevice::applyCommand(QStringView text)
{
    if (m_phase == Phase::Updating)
        return CommandResult::Ignored; // busy flashing
    const qsizetype colon = text.indexOf(u':');
    const QStringView command = colon < 0 ? text : text.left(colon);
    const QStringView params = colon < 0 ? QStringView() : text.mid(colon + 1);

    if (command == u"led") {
        const auto colour = Rgb::fromHex(params);
        if (!colour)
            return CommandResult::Ignored;
        m_ring.setColour(*colour);
    } else if (command == u"pattern") {
        const auto pattern = ledPatternFromName(params);
        if (!pattern)
            return CommandResult::Ignored;
        m_ring.setPattern(*pattern, m_nowMs);
    } else if (command == u"brightness") {
        const auto value = decimal(params);
        if (!value)
            return CommandResult::Ignored;
        m_ring.setBrightness(*value);
    } else if (command == u"spring_param") {
        const auto spring = SpringParams::fromHex(params);
        if (!spring)
            return CommandResult::Ignored;
        m_ring.setSpring(*spring);
    } else if (command == u"vibrate") {
        const auto ms = decimal(params);
        if (!ms || *ms < 0)
            return CommandResult::Ignored;
        m_vibrateUntilMs = m_nowMs + *ms;
    } else if (command == u"reset") {
        m_ring.restart(m_nowMs);
    } else if (command == u"status" || command == u"led_get_state") {
        // Serial output only: nothing visible changes.
    } else if (command == u"led_set") {
        const qsizetype split = params.indexOf(u':');
        const auto index = split < 0 ? std::nullopt : ledIndex(params.left(split));
        const auto colour = split < 0 ? std::nullopt : Rgb::fromHex(params.mid(split + 1));
        if (!index || !colour)
            return CommandResult::Ignored;
        m_ring.setLed(*index, *colour);
    } else if (command == u"led_off") {
        const auto index = ledIndex(params);
        if (!index)
            return CommandResult::Ignored;
        m_ring.setLed(*index, Rgb {});
    } else if (command == u"led_all_off") {
        m_ring.setAllLedsOff();
    } else if (command == u"ota") {
        const QUrl url(params.toString(), QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty())
            return CommandResult::Ignored;
        m_otaUrl = url;
        m_phase = Phase::Updating;
        m_otaRing.restart(m_nowMs);
        m_vibrateUntilMs = m_nowMs;
        return CommandResult::OtaStarted;
    } else {
        return CommandResult::Ignored;
    }
    return CommandResult::Applied;
}

void VirtualDevice::finishOta(bool ok)
{
    if (m_phase != Phase::Updating)
        return;
    if (!ok) {
        m_phase = Phase::Online;
        return;
    }
    // Flashed: reboot. Everything the commands changed is gone; boot shows red breathing.
    m_ring = LedRing();
    m_ring.restart(m_nowMs);
    m_phase = Phase::Booting;
    m_hadNetwork = false;
    m_tapPending = false;
}

QString VirtualDevice::statusText() const
{
    const LedRing &ring = m_ring;
    return QStringLiteral("id ") + idText() + QStringLiteral(" pattern ") + ledPatternName(ring.pattern())
        + QStringLiteral(" colour ") + ring.colour().toHex() + QStringLiteral(" brightness ")
        + QString::number(ring.brightness()) + QStringLiteral(" per-led ")
        + (ring.isPerLedMode() ? QStringLiteral("on") : QStringLiteral("off")) + QStringLiteral(" vibrating ")
        + QString::number(vibrationRemainingMs()) + QStringLiteral(" ms");
}

std::array<double, 3> VirtualDevice::gravityIn(const Orientation &orientation)
{
    const double roll = orientation.roll * DegToRad;
    const double pitch = orientation.pitch * DegToRad;
    return {-std::sin(pitch), std::sin(roll) * std::cos(pitch), std::cos(roll) * std::cos(pitch)};
}

SensorFrame VirtualDevice::peekFrame() const
{
    SensorFrame frame;
    frame.id = m_id;
    frame.ax = m_accel[0];
    frame.ay = m_accel[1];
    frame.az = m_accel[2];
    if (m_beaconsStale) {
        m_beacons = RoomModel::beaconBytesAt(m_position); // the model the console inverts
        m_beaconsStale = false;
    }
    frame.beacons = m_beacons;
    frame.tap = m_tapPending ? SensorFrame::TapByte : 0;
    return frame;
}

SensorFrame VirtualDevice::takeFrame()
{
    const SensorFrame frame = peekFrame();
    m_tapPending = false;
    return frame;
}

Rgb VirtualDevice::randomColour()
{
    // A vivid colour: random hue at full saturation and value (never dark).
    m_rng ^= m_rng >> 12;
    m_rng ^= m_rng << 25;
    m_rng ^= m_rng >> 27;
    const double hue = double((m_rng * 0x2545F4914F6CDD1DULL) >> 11) / double(1ULL << 53) * 6.0;
    const int sector = int(hue) % 6;
    const auto rising = quint8(std::lround((hue - std::floor(hue)) * 255.0));
    const auto falling = quint8(255 - rising);
    switch (sector) {
    case 0:
        return {255, rising, 0};
    case 1:
        return {falling, 255, 0};
    case 2:
        return {0, 255, rising};
    case 3:
        return {0, falling, 255};
    case 4:
        return {rising, 0, 255};
    default:
        return {255, 0, falling};
    }
}

} // namespace GroupLoop
