// LedRing: the device's ring of 6 RGB LEDs as the firmware draws it, as a pure function of
// time. Nothing here reads a clock: callers pass the time in milliseconds, so every pattern
// can be tested at exact instants. See docs/simulator.md for the curves.
#pragma once

#include <QString>
#include <QStringView>

#include <array>
#include <optional>

namespace GroupLoop {

struct Rgb
{
    quint8 r = 0;
    quint8 g = 0;
    quint8 b = 0;

    // Exactly 6 hex digits, no '#', as the `led` and `led_set` commands carry them.
    static std::optional<Rgb> fromHex(QStringView text);
    QString toHex() const;
    Rgb scaled(double factor) const; // factor clamped to 0..1, rounded per channel
    bool isOff() const { return r == 0 && g == 0 && b == 0; }

    friend bool operator==(Rgb a, Rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }
    friend bool operator!=(Rgb a, Rgb b) { return !(a == b); }
};

enum class LedPattern { Breathing, Heartbeat, Solid, Cycle, Spring, Off };

std::optional<LedPattern> ledPatternFromName(QStringView name); // the `pattern` command's names
QString ledPatternName(LedPattern pattern);

// The spring pattern's damped oscillator, plucked to displacement 1 at rest.
struct SpringParams
{
    double k = 20.1;
    double damping = 2.0;
    double mass = 1.0;

    // `spring_param` payload KKDDMM (6 hex digits): k = KK/10, damping = DD/10, mass = MM/10 + 0.1.
    static std::optional<SpringParams> fromHex(QStringView text);
    // Displacement at `seconds` after the pluck: 1 at t = 0, decaying to 0.
    double displacement(double seconds) const;
};

class LedRing
{
public:
    static constexpr int Count = 6;
    using Colours = std::array<Rgb, Count>;

    // Pattern timings, in milliseconds (PROTOCOL.md, "LED ring").
    static constexpr int BreathingPeriodMs = 2000;
    static constexpr int HeartbeatDarkMs = 2000;
    static constexpr int HeartbeatPeriodMs = 2000 + 60 + 150 + 100 + 60 + 400;
    static constexpr int CycleStepMs = 100;

    LedRing(); // boot state: red breathing, brightness 255

    // Pattern level 0..1 at `elapsedMs` after the pattern (re)started.
    static double breathingLevel(qint64 elapsedMs);
    static double heartbeatLevel(qint64 elapsedMs);
    static int cycleIndex(qint64 elapsedMs);

    void setPattern(LedPattern pattern, qint64 nowMs); // restarts it, leaves per-LED mode
    void restart(qint64 nowMs);
    void setColour(Rgb colour); // the current pattern's colour; leaves per-LED mode
    void setBrightness(int value); // 0..255, clamped
    void setSpring(const SpringParams &spring) { m_spring = spring; }
    void setLed(int index, Rgb colour); // per-LED mode; index 0..5, ignored otherwise
    void setAllLedsOff(); // per-LED mode, all dark

    LedPattern pattern() const { return m_pattern; }
    Rgb colour() const { return colourOf(m_pattern); }
    Rgb colourOf(LedPattern pattern) const { return m_colours[int(pattern)]; }
    int brightness() const { return m_brightness; }
    const SpringParams &spring() const { return m_spring; }
    bool isPerLedMode() const { return m_perLed; }
    const Colours &perLedColours() const { return m_leds; }
    qint64 patternStartMs() const { return m_startMs; }

    // What the six LEDs show at `nowMs`, brightness applied.
    Colours coloursAt(qint64 nowMs) const;

private:
    LedPattern m_pattern = LedPattern::Breathing;
    std::array<Rgb, 6> m_colours; // one per LedPattern
    Colours m_leds {}; // per-LED mode contents
    bool m_perLed = false;
    int m_brightness = 255;
    SpringParams m_spring;
    qint64 m_startMs = 0;
};

} // namespace GroupLoop
