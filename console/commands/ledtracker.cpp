#include "ledtracker.h"

#include "sensorframe.h"

namespace GroupLoop {

QColor LedState::displayColour() const
{
    if (pattern == QLatin1String("off") || brightness == 0)
        return QColor(Qt::black);
    if (perLed) {
        int r = 0, g = 0, b = 0, lit = 0;
        for (const QColor &c : ring) {
            if (!c.isValid())
                continue;
            r += c.red();
            g += c.green();
            b += c.blue();
            ++lit;
        }
        return lit ? QColor(r / lit, g / lit, b / lit) : QColor(Qt::black);
    }
    return colour;
}

std::optional<QColor> LedTracker::parseColour(const QString &hex6)
{
    if (hex6.size() != 6)
        return std::nullopt;
    int value = 0;
    for (QChar c : hex6) {
        const int digit = Hex::digitValue(c.unicode());
        if (digit < 0)
            return std::nullopt;
        value = value << 4 | digit;
    }
    return QColor::fromRgb(QRgb(value));
}

static std::optional<int> parseLedIndex(const QString &text)
{
    bool ok = false;
    const int index = text.toInt(&ok);
    if (!ok || index < 0 || index > 5)
        return std::nullopt;
    return index;
}

bool LedTracker::apply(quint16 deviceId, const QString &command, const QString &params)
{
    if (command == QLatin1String("led")) {
        const auto colour = parseColour(params);
        if (!colour)
            return false;
        LedState &s = m_states[deviceId];
        s.colour = *colour;
        s.perLed = false;
        if (s.pattern == QLatin1String("off"))
            s.pattern.clear();
        return true;
    }
    if (command == QLatin1String("pattern")) {
        static const QStringList known
            = {QStringLiteral("breathing"), QStringLiteral("heartbeat"), QStringLiteral("solid"),
               QStringLiteral("cycle"),     QStringLiteral("spring"),    QStringLiteral("off")};
        if (!known.contains(params))
            return false;
        LedState &s = m_states[deviceId];
        s.pattern = params;
        s.perLed = false;
        return true;
    }
    if (command == QLatin1String("brightness")) {
        bool ok = false;
        const int value = params.toInt(&ok);
        if (!ok || value < 0 || value > 255)
            return false;
        m_states[deviceId].brightness = value;
        return true;
    }
    if (command == QLatin1String("led_set")) {
        const int colon = params.indexOf(QLatin1Char(':'));
        if (colon < 0)
            return false;
        const auto index = parseLedIndex(params.left(colon));
        const auto colour = parseColour(params.mid(colon + 1));
        if (!index || !colour)
            return false;
        LedState &s = m_states[deviceId];
        if (!s.perLed)
            s.ring = {};
        s.perLed = true;
        s.ring[size_t(*index)] = *colour;
        return true;
    }
    if (command == QLatin1String("led_off")) {
        const auto index = parseLedIndex(params);
        if (!index)
            return false;
        LedState &s = m_states[deviceId];
        if (!s.perLed)
            s.ring = {};
        s.perLed = true;
        s.ring[size_t(*index)] = QColor();
        return true;
    }
    if (command == QLatin1String("led_all_off")) {
        LedState &s = m_states[deviceId];
        s.perLed = true;
        s.ring = {};
        return true;
    }
    return false;
}

std::optional<LedState> LedTracker::state(quint16 deviceId) const
{
    const auto it = m_states.constFind(deviceId);
    if (it == m_states.constEnd())
        return std::nullopt;
    return *it;
}

QColor LedTracker::displayColour(quint16 deviceId) const
{
    const auto it = m_states.constFind(deviceId);
    return it == m_states.constEnd() ? QColor() : it->displayColour();
}

} // namespace GroupLoop
