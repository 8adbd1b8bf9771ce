#include "ledring.h"

#include "sensorframe.h"

#include <algorithm>
#include <cmath>

namespace GroupLoop {

namespace {

constexpr double Pi = 3.14159265358979323846;
constexpr Rgb Red {255, 0, 0};
constexpr Rgb White {255, 255, 255};

std::optional<int> hexByte(QStringView text, int at)
{
    const int hi = Hex::digitValue(text[at].unicode());
    const int lo = Hex::digitValue(text[at + 1].unicode());
    if (hi < 0 || lo < 0)
        return std::nullopt;
    return hi << 4 | lo;
}

// Linear ramp of `t` over [from, from + length): 0 at from, 1 at the end.
double ramp(qint64 t, qint64 from, qint64 length)
{
    return double(t - from) / double(length);
}

} // namespace

std::optional<Rgb> Rgb::fromHex(QStringView text)
{
    if (text.size() != 6)
        return std::nullopt;
    const auto r = hexByte(text, 0), g = hexByte(text, 2), b = hexByte(text, 4);
    if (!r || !g || !b)
        return std::nullopt;
    return Rgb {quint8(*r), quint8(*g), quint8(*b)};
}

QString Rgb::toHex() const
{
    QString out;
    for (quint8 channel : {r, g, b})
        out += QLatin1Char(Hex::lowerDigit(channel >> 4)) + QLatin1Char(Hex::lowerDigit(channel));
    return out;
}

Rgb Rgb::scaled(double factor) const
{
    const double f = std::clamp(factor, 0.0, 1.0);
    auto scale = [f](quint8 c) { return quint8(std::lround(c * f)); };
    return {scale(r), scale(g), scale(b)};
}

std::optional<LedPattern> ledPatternFromName(QStringView name)
{
    for (LedPattern p : {LedPattern::Breathing, LedPattern::Heartbeat, LedPattern::Solid, LedPattern::Cycle,
                         LedPattern::Spring, LedPattern::Off}) {
        if (name == ledPatternName(p))
            return p;
    }
    return std::nullopt;
}

QString ledPatternName(LedPattern pattern)
{
    switch (pattern) {
    case LedPattern::Breathing:
        return QStringLiteral("breathing");
    case LedPattern::Heartbeat:
        return QStringLiteral("heartbeat");
    case LedPattern::Solid:
        return QStringLiteral("solid");
    case LedPattern::Cycle:
        return QStringLiteral("cycle");
    case LedPattern::Spring:
        return QStringLiteral("spring");
    case LedPattern::Off:
        break;
    }
    return QStringLiteral("off");
}

std::optional<SpringParams> SpringParams::fromHex(QStringView text)
{
    if (text.size() != 6)
        return std::nullopt;
    const auto kk = hexByte(text, 0), dd = hexByte(text, 2), mm = hexByte(text, 4);
    if (!kk || !dd || !mm)
        return std::nullopt;
    return SpringParams {*kk / 10.0, *dd / 10.0, *mm / 10.0 + 0.1};
}

double SpringParams::displacement(double t) const
{
    // m x'' + c x' + k x = 0 with x(0) = 1, x'(0) = 0, in closed form so it is exact at any t.
    const double gamma = damping / (2.0 * mass);
    const double omega0Sq = k / mass;
    const double discriminant = omega0Sq - gamma * gamma;
    if (discriminant > 1e-12) { // underdamped: the ring rings
        const double omega = std::sqrt(discriminant);
        return std::exp(-gamma * t) * (std::cos(omega * t) + gamma / omega * std::sin(omega * t));
    }
    if (discriminant > -1e-12) // critically damped
        return std::exp(-gamma * t) * (1.0 + gamma * t);
    const double root = std::sqrt(-discriminant); // overdamped: creeps back
    const double r1 = -gamma + root;
    const double r2 = -gamma - root;
    return (r2 * std::exp(r1 * t) - r1 * std::exp(r2 * t)) / (r2 - r1);
}

LedRing::LedRing()
{
    m_colours[int(LedPattern::Breathing)] = Red;
    m_colours[int(LedPattern::Heartbeat)] = Red;
    m_colours[int(LedPattern::Solid)] = White;
    m_colours[int(LedPattern::Cycle)] = White;
    m_colours[int(LedPattern::Spring)] = White;
    m_colours[int(LedPattern::Off)] = Rgb {};
}

double LedRing::breathingLevel(qint64 elapsedMs)
{
    // Starts dark, peaks at half the period.
    const double phase = double(elapsedMs % BreathingPeriodMs) / BreathingPeriodMs;
    return 0.5 - 0.5 * std::cos(2.0 * Pi * phase);
}

double LedRing::heartbeatLevel(qint64 elapsedMs)
{
    const qint64 t = elapsedMs % HeartbeatPeriodMs;
    constexpr qint64 in1 = HeartbeatDarkMs, out1 = in1 + 60, pause = out1 + 150, in2 = pause + 100,
                     out2 = in2 + 60;
    if (t < in1)
        return 0.0;
    if (t < out1)
        return ramp(t, in1, 60);
    if (t < pause)
        return 1.0 - ramp(t, out1, 150);
    if (t < in2)
        return 0.0;
    if (t < out2)
        return ramp(t, in2, 60);
    return 1.0 - ramp(t, out2, 400);
}

int LedRing::cycleIndex(qint64 elapsedMs)
{
    return int((elapsedMs / CycleStepMs) % Count);
}

void LedRing::setPattern(LedPattern pattern, qint64 nowMs)
{
    m_pattern = pattern;
    m_perLed = false;
    m_startMs = nowMs;
}

void LedRing::restart(qint64 nowMs)
{
    m_startMs = nowMs;
}

void LedRing::setColour(Rgb colour)
{
    m_colours[int(m_pattern)] = colour;
    m_perLed = false;
}

void LedRing::setBrightness(int value)
{
    m_brightness = std::clamp(value, 0, 255);
}

void LedRing::setLed(int index, Rgb colour)
{
    if (index < 0 || index >= Count)
        return;
    m_perLed = true;
    m_leds[index] = colour;
}

void LedRing::setAllLedsOff()
{
    m_perLed = true;
    m_leds.fill(Rgb {});
}

LedRing::Colours LedRing::coloursAt(qint64 nowMs) const
{
    const double gain = m_brightness / 255.0;
    Colours out {};
    if (m_perLed) {
        for (int i = 0; i < Count; ++i)
            out[i] = m_leds[i].scaled(gain);
        return out;
    }
    const qint64 elapsed = std::max<qint64>(0, nowMs - m_startMs);
    const Rgb colour = this->colour();
    switch (m_pattern) {
    case LedPattern::Breathing:
        out.fill(colour.scaled(gain * breathingLevel(elapsed)));
        break;
    case LedPattern::Heartbeat:
        out.fill(colour.scaled(gain * heartbeatLevel(elapsed)));
        break;
    case LedPattern::Solid:
        out.fill(colour.scaled(gain));
        break;
    case LedPattern::Cycle:
        out[cycleIndex(elapsed)] = colour.scaled(gain);
        break;
    case LedPattern::Spring:
        out.fill(colour.scaled(gain * std::abs(m_spring.displacement(elapsed / 1000.0))));
        break;
    case LedPattern::Off:
        break;
    }
    return out;
}

} // namespace GroupLoop
