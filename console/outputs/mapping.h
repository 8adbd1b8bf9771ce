// Mapping: one source turned into one output stream (an OSC address, a MIDI CC or a MIDI note),
// per device of a scope or once for the room. The transform runs in this order: input range
// (clamped), invert, curve, smoothing, output range; then deadband and rate limit decide
// whether the value is sent (docs/outputs.md, "Mappings").
#pragma once

#include "mappingsource.h"

#include <QString>

namespace GroupLoop {

struct Mapping
{
    enum class Scope { Device, Selection, All };
    enum class Curve { Linear, Exponential };
    enum class Target { Osc, MidiCc, MidiNote };

    static constexpr int MaxTapsPerTick = 4; // a tap output fires once per tap, at most this often a tick
    static constexpr double MaxSmoothing = 0.99;
    static constexpr double MaxCurveAmount = 20.0;

    QString name;
    bool enabled = true;
    MappingSource source = MappingSource::Roll;
    Scope scope = Scope::All;
    quint16 device = 0; // Scope::Device

    double inMin = -180.0;
    double inMax = 180.0;
    double outMin = 0.0;
    double outMax = 1.0;
    bool invert = false;
    Curve curve = Curve::Linear;
    double curveAmount = 3.0; // Exponential: (e^(k t) - 1) / (e^k - 1); k < 0 bends the other way
    double smoothing = 0.0; // 0..0.99: the share of the previous value kept each tick
    double deadband = 0.0; // in output units: a change this small or smaller is not sent
    double maxRateHz = 0.0; // at most this many values a second per output; 0: every tick

    Target target = Target::Osc;
    QString address = QStringLiteral("/grouploop/{id}/roll"); // Osc
    char oscType = 'f'; // Osc: 'f' (float32) or 'i' (int32, rounded)
    QString channel = QStringLiteral("1"); // MIDI channel 1..16, a number template
    QString number = QStringLiteral("{index}"); // CC number or note 0..127, a number template
    int velocity = 100; // MidiNote, 1..127
    int durationMs = 150; // MidiNote, 1..10000

    // The first problem as "field: reason" (field names as in mapping files), or empty.
    QString validate() const;

    // The transform without state: input range, invert, curve. Returns 0..1.
    double normalize(double raw) const;
    double toOutput(double normalized) const { return outMin + normalized * (outMax - outMin); }
    // MIDI and OSC 'i' outputs are whole numbers; MIDI ones also 0..127.
    double quantize(double output) const;

    static QString scopeName(Scope scope);
    static QString curveName(Curve curve);
    static QString targetName(Target target);
    friend bool operator==(const Mapping &a, const Mapping &b);
    friend bool operator!=(const Mapping &a, const Mapping &b) { return !(a == b); }
};

} // namespace GroupLoop
