#include "ledprediction.h"

namespace GroupLoop {

namespace {

QColor toColour(Rgb rgb)
{
    return QColor(rgb.r, rgb.g, rgb.b);
}

} // namespace

bool LedPrediction::apply(quint16 deviceId, const QString &command, const QString &params, qint64 nowMs)
{
    const QString text = params.isEmpty() ? command : command + QLatin1Char(':') + params;
    auto it = m_devices.find(deviceId);
    if (it == m_devices.end()) {
        Predicted fresh {VirtualDevice(deviceId)};
        fresh.device.advanceTo(nowMs);
        fresh.device.networkUp();
        it = m_devices.insert(deviceId, fresh);
    }
    VirtualDevice &device = it->device;
    device.advanceTo(nowMs);
    switch (device.applyCommand(text)) {
    case VirtualDevice::CommandResult::Ignored:
        return false;
    case VirtualDevice::CommandResult::OtaStarted:
        m_devices.erase(it);
        return true;
    case VirtualDevice::CommandResult::Applied:
        break;
    }
    if (command == u"led")
        it->knownColours.set(size_t(device.leds().pattern()));
    return command != u"status" && command != u"led_get_state" && command != u"vibrate";
}

bool LedPrediction::colourKnown(const Predicted &p) const
{
    return p.device.leds().isPerLedMode() || p.knownColours.test(size_t(p.device.leds().pattern()));
}

QColor LedPrediction::displayColour(quint16 deviceId) const
{
    const auto it = m_devices.constFind(deviceId);
    if (it == m_devices.constEnd() || !colourKnown(*it))
        return {};
    const LedRing &ring = it->device.leds();
    const double gain = ring.brightness() / 255.0;
    if (ring.isPerLedMode()) {
        int r = 0, g = 0, b = 0, lit = 0;
        for (const Rgb &led : ring.perLedColours()) {
            if (led.isOff())
                continue;
            r += led.r;
            g += led.g;
            b += led.b;
            ++lit;
        }
        if (lit == 0)
            return QColor(Qt::black);
        return toColour(Rgb {quint8(r / lit), quint8(g / lit), quint8(b / lit)}.scaled(gain));
    }
    if (ring.pattern() == LedPattern::Off)
        return QColor(Qt::black);
    return toColour(ring.colour().scaled(gain));
}

QStringList LedPrediction::ringAt(quint16 deviceId, qint64 nowMs) const
{
    const auto it = m_devices.constFind(deviceId);
    if (it == m_devices.constEnd() || !colourKnown(*it))
        return {};
    QStringList out;
    for (const Rgb &led : it->device.leds().coloursAt(nowMs))
        out << QLatin1Char('#') + led.toHex();
    return out;
}

QString LedPrediction::patternName(quint16 deviceId) const
{
    const auto it = m_devices.constFind(deviceId);
    if (it == m_devices.constEnd())
        return {};
    const LedRing &ring = it->device.leds();
    return ring.isPerLedMode() ? QStringLiteral("per-LED") : ledPatternName(ring.pattern());
}

std::optional<int> LedPrediction::brightness(quint16 deviceId) const
{
    const auto it = m_devices.constFind(deviceId);
    if (it == m_devices.constEnd())
        return std::nullopt;
    return it->device.leds().brightness();
}

} // namespace GroupLoop
