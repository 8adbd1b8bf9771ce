#include "mapping.h"

#include "outputtemplate.h"

#include <cmath>

namespace GroupLoop {

QString Mapping::validate() const
{
    if (!std::isfinite(inMin) || !std::isfinite(inMax) || inMin == inMax)
        return QStringLiteral("input: min and max must be different numbers");
    if (!std::isfinite(outMin) || !std::isfinite(outMax))
        return QStringLiteral("output: min and max must be numbers");
    if (curve == Curve::Exponential && (!(std::abs(curveAmount) <= MaxCurveAmount) || curveAmount == 0.0))
        return QStringLiteral("curveAmount: must be between -%1 and %1 and not 0").arg(MaxCurveAmount);
    if (!(smoothing >= 0.0 && smoothing <= MaxSmoothing))
        return QStringLiteral("smoothing: must be between 0 and %1").arg(MaxSmoothing);
    if (!(deadband >= 0.0) || !std::isfinite(deadband))
        return QStringLiteral("deadband: must be 0 or more");
    if (!(maxRateHz >= 0.0 && maxRateHz <= 1000.0))
        return QStringLiteral("maxRateHz: must be between 0 (no limit) and 1000");
    const bool roomLevel = MappingSources::isRoomLevel(source);
    QString why;
    switch (target) {
    case Target::Osc: {
        const auto parsed = AddressTemplate::parse(address, &why);
        if (!parsed)
            return QStringLiteral("target.address: ") + why;
        if (roomLevel && parsed->usesDevice())
            return QStringLiteral("target.address: %1 is room-level, so {id} and {index} have no device")
                .arg(MappingSources::info(source).name);
        if (oscType != 'f' && oscType != 'i')
            return QStringLiteral("target.type: must be \"f\" or \"i\"");
        break;
    }
    case Target::MidiNote:
        if (source != MappingSource::Tap)
            return QStringLiteral("target: midi-note plays on taps, so the source must be tap");
        if (velocity < 1 || velocity > 127)
            return QStringLiteral("target.velocity: must be 1..127");
        if (durationMs < 1 || durationMs > 10000)
            return QStringLiteral("target.durationMs: must be 1..10000");
        Q_FALLTHROUGH();
    case Target::MidiCc: {
        const QString numberField
            = target == Target::MidiCc ? QStringLiteral("number") : QStringLiteral("note");
        for (const auto &[field, text] :
             {std::pair {QStringLiteral("channel"), channel}, std::pair {numberField, number}}) {
            const auto parsed = NumberTemplate::parse(text, &why);
            if (!parsed)
                return QStringLiteral("target.") + field + QStringLiteral(": ") + why;
            if (roomLevel && parsed->usesDevice())
                return QStringLiteral("target.%1: %2 is room-level, so {index} has no device")
                    .arg(field, MappingSources::info(source).name);
            if (!parsed->usesDevice()) {
                const qint64 value = parsed->evaluate(0);
                const bool isChannel = field == u"channel";
                if (isChannel ? (value < 1 || value > 16) : (value < 0 || value > 127))
                    return QStringLiteral("target.%1: %2 is outside %3")
                        .arg(field)
                        .arg(value)
                        .arg(isChannel ? QStringLiteral("1..16") : QStringLiteral("0..127"));
            }
        }
        break;
    }
    }
    return {};
}

double Mapping::normalize(double raw) const
{
    double t = (raw - inMin) / (inMax - inMin);
    t = std::clamp(t, 0.0, 1.0);
    if (invert)
        t = 1.0 - t;
    if (curve == Curve::Exponential)
        t = std::expm1(curveAmount * t) / std::expm1(curveAmount);
    return t;
}

double Mapping::quantize(double output) const
{
    if (target == Target::Osc)
        return oscType == 'i' ? std::round(output) : output;
    return std::clamp(std::round(output), 0.0, 127.0);
}

QString Mapping::scopeName(Scope scope)
{
    switch (scope) {
    case Scope::Device:
        return QStringLiteral("device");
    case Scope::Selection:
        return QStringLiteral("selection");
    case Scope::All:
        break;
    }
    return QStringLiteral("all");
}

QString Mapping::curveName(Curve curve)
{
    return curve == Curve::Exponential ? QStringLiteral("exponential") : QStringLiteral("linear");
}

QString Mapping::targetName(Target target)
{
    switch (target) {
    case Target::MidiCc:
        return QStringLiteral("midi-cc");
    case Target::MidiNote:
        return QStringLiteral("midi-note");
    case Target::Osc:
        break;
    }
    return QStringLiteral("osc");
}

bool operator==(const Mapping &a, const Mapping &b)
{
    return a.name == b.name && a.enabled == b.enabled && a.source == b.source && a.scope == b.scope
        && a.device == b.device && a.inMin == b.inMin && a.inMax == b.inMax && a.outMin == b.outMin
        && a.outMax == b.outMax && a.invert == b.invert && a.curve == b.curve
        && a.curveAmount == b.curveAmount && a.smoothing == b.smoothing && a.deadband == b.deadband
        && a.maxRateHz == b.maxRateHz && a.target == b.target && a.address == b.address
        && a.oscType == b.oscType && a.channel == b.channel && a.number == b.number
        && a.velocity == b.velocity && a.durationMs == b.durationMs;
}

} // namespace GroupLoop
