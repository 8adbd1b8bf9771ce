// LedTracker: the LED colour the console believes each device shows.
// The wire protocol carries no LED state back from devices, so the console remembers what it
// last told each one (led, pattern, brightness, led_set, led_off, led_all_off) once the relay
// accepted the command. Devices the console never commanded have no known colour.
#pragma once

#include <QColor>
#include <QHash>
#include <QString>

#include <array>
#include <optional>

namespace GroupLoop {

struct LedState
{
    QColor colour; // pattern colour (led); invalid until set
    QString pattern; // empty until set
    int brightness = 255;
    bool perLed = false; // led_set/led_off/led_all_off switch the firmware to per-LED mode
    std::array<QColor, 6> ring {}; // per-LED mode colours; invalid = off

    // What to draw: the ring's mean lit colour in per-LED mode, black when off, else `colour`.
    QColor displayColour() const;
};

class LedTracker
{
public:
    // Records a command the relay accepted for `deviceId`. Returns false for commands that do
    // not change the LEDs or carry parameters the firmware would reject.
    bool apply(quint16 deviceId, const QString &command, const QString &params);

    std::optional<LedState> state(quint16 deviceId) const;
    QColor displayColour(quint16 deviceId) const; // invalid when unknown
    void forget(quint16 deviceId) { m_states.remove(deviceId); }
    void clear() { m_states.clear(); }

    static std::optional<QColor> parseColour(const QString &hex6); // "ff0000", no '#'

private:
    QHash<quint16, LedState> m_states;
};

} // namespace GroupLoop
