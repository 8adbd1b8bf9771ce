// LED-ring checks shared by the console's controller tests. Colours come as "#rrggbb" strings,
// six of them, as the controllers expose the ring to QML.
#pragma once

#include <QColor>
#include <QStringList>

namespace GroupLoop::Testing {

// All six LEDs lit in pure red (any brightness).
inline bool isPureRed(const QStringList &leds)
{
    if (leds.size() != 6)
        return false;
    for (const QString &led : leds) {
        const QColor c(led);
        if (c.red() == 0 || c.green() != 0 || c.blue() != 0)
            return false;
    }
    return true;
}

inline bool isDark(const QStringList &leds)
{
    return leds.size() == 6 && leds.count(QStringLiteral("#000000")) == 6;
}

} // namespace GroupLoop::Testing
