#include "mappingjson.h"

#include "jsonfields.h"

namespace GroupLoop::MappingJson {

namespace {
QJsonObject range(double min, double max)
{
    return QJsonObject {{QStringLiteral("min"), min}, {QStringLiteral("max"), max}};
}

bool readRange(JsonFields &fields, const QString &key, double *min, double *max)
{
    QJsonObject object;
    if (!fields.readObject(key, &object) || !fields.has(key))
        return fields.ok();
    JsonFields inner(object, fields.path(key));
    inner.read(QStringLiteral("min"), min, true);
    inner.read(QStringLiteral("max"), max, true);
    inner.finish();
    return fields.absorb(inner);
}

template<typename Enum>
bool readName(JsonFields &fields, const QString &key, Enum *out, QString (*name)(Enum),
              std::initializer_list<Enum> all)
{
    QString text;
    if (!fields.read(key, &text) || !fields.has(key))
        return fields.ok();
    QStringList names;
    for (Enum value : all) {
        if (name(value) == text) {
            *out = value;
            return true;
        }
        names.append(name(value));
    }
    return fields.fail(key,
                       QStringLiteral("\"%1\" is not one of %2").arg(text, names.join(QStringLiteral(", "))));
}

QString sourceName(MappingSource source)
{
    return MappingSources::info(source).name;
}
} // namespace

QJsonObject toJson(const Mapping &mapping)
{
    QJsonObject target {{QStringLiteral("kind"), Mapping::targetName(mapping.target)}};
    switch (mapping.target) {
    case Mapping::Target::Osc:
        target.insert(QStringLiteral("address"), mapping.address);
        target.insert(QStringLiteral("type"), QString(QLatin1Char(mapping.oscType)));
        break;
    case Mapping::Target::MidiCc:
        target.insert(QStringLiteral("channel"), mapping.channel);
        target.insert(QStringLiteral("number"), mapping.number);
        break;
    case Mapping::Target::MidiNote:
        target.insert(QStringLiteral("channel"), mapping.channel);
        target.insert(QStringLiteral("note"), mapping.number);
        target.insert(QStringLiteral("velocity"), mapping.velocity);
        target.insert(QStringLiteral("durationMs"), mapping.durationMs);
        break;
    }
    QJsonObject object {
        {QStringLiteral("name"), mapping.name},
        {QStringLiteral("enabled"), mapping.enabled},
        {QStringLiteral("source"), sourceName(mapping.source)},
        {QStringLiteral("scope"), Mapping::scopeName(mapping.scope)},
        {QStringLiteral("input"), range(mapping.inMin, mapping.inMax)},
        {QStringLiteral("output"), range(mapping.outMin, mapping.outMax)},
        {QStringLiteral("invert"), mapping.invert},
        {QStringLiteral("curve"), Mapping::curveName(mapping.curve)},
        {QStringLiteral("curveAmount"), mapping.curveAmount},
        {QStringLiteral("smoothing"), mapping.smoothing},
        {QStringLiteral("deadband"), mapping.deadband},
        {QStringLiteral("maxRateHz"), mapping.maxRateHz},
        {QStringLiteral("target"), target},
    };
    if (mapping.scope == Mapping::Scope::Device)
        object.insert(QStringLiteral("device"), SensorFrame::idToText(mapping.device));
    return object;
}

std::optional<Mapping> fromJson(const QJsonValue &value, const QString &path, QString *error)
{
    auto fail = [error](const QString &why) -> std::optional<Mapping> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!value.isObject())
        return fail(path + QStringLiteral(": must be an object"));
    Mapping mapping;
    JsonFields fields(value.toObject(), path);
    fields.read(QStringLiteral("name"), &mapping.name);
    fields.read(QStringLiteral("enabled"), &mapping.enabled);
    readName(fields, QStringLiteral("source"), &mapping.source, sourceName,
             {MappingSource::Ax, MappingSource::Ay, MappingSource::Az, MappingSource::Magnitude,
              MappingSource::Roll, MappingSource::Pitch, MappingSource::Tap, MappingSource::RoomX,
              MappingSource::RoomY, MappingSource::RssiNW, MappingSource::RssiNE, MappingSource::RssiSE,
              MappingSource::RssiSW, MappingSource::DeviceCount, MappingSource::MeanMotion});
    if (!fields.has(QStringLiteral("source")) && fields.ok())
        fields.fail(QStringLiteral("source"), QStringLiteral("missing"));
    readName(fields, QStringLiteral("scope"), &mapping.scope, Mapping::scopeName,
             {Mapping::Scope::Device, Mapping::Scope::Selection, Mapping::Scope::All});
    QString device;
    fields.read(QStringLiteral("device"), &device, mapping.scope == Mapping::Scope::Device);
    if (fields.ok() && fields.has(QStringLiteral("device"))) {
        const auto id = SensorFrame::idFromText(device);
        if (!id)
            fields.fail(QStringLiteral("device"),
                        QStringLiteral("\"%1\" is not a device id (4 hex digits)").arg(device));
        else
            mapping.device = *id;
    }
    // A new mapping's input range is its source's natural one.
    mapping.inMin = MappingSources::info(mapping.source).min;
    mapping.inMax = MappingSources::info(mapping.source).max;
    readRange(fields, QStringLiteral("input"), &mapping.inMin, &mapping.inMax);
    readRange(fields, QStringLiteral("output"), &mapping.outMin, &mapping.outMax);
    fields.read(QStringLiteral("invert"), &mapping.invert);
    readName(fields, QStringLiteral("curve"), &mapping.curve, Mapping::curveName,
             {Mapping::Curve::Linear, Mapping::Curve::Exponential});
    fields.read(QStringLiteral("curveAmount"), &mapping.curveAmount);
    fields.read(QStringLiteral("smoothing"), &mapping.smoothing);
    fields.read(QStringLiteral("deadband"), &mapping.deadband);
    fields.read(QStringLiteral("maxRateHz"), &mapping.maxRateHz);

    QJsonObject targetObject;
    fields.readObject(QStringLiteral("target"), &targetObject, true);
    if (!fields.finish())
        return fail(fields.error());

    JsonFields target(targetObject, fields.path(QStringLiteral("target")));
    readName(target, QStringLiteral("kind"), &mapping.target, Mapping::targetName,
             {Mapping::Target::Osc, Mapping::Target::MidiCc, Mapping::Target::MidiNote});
    if (!target.has(QStringLiteral("kind")) && target.ok())
        target.fail(QStringLiteral("kind"), QStringLiteral("missing"));
    switch (mapping.target) {
    case Mapping::Target::Osc: {
        target.read(QStringLiteral("address"), &mapping.address, true);
        QString type = QStringLiteral("f");
        target.read(QStringLiteral("type"), &type);
        if (target.ok() && type != u"f" && type != u"i")
            target.fail(QStringLiteral("type"), QStringLiteral("must be \"f\" or \"i\""));
        mapping.oscType = type == u"i" ? 'i' : 'f';
        break;
    }
    case Mapping::Target::MidiNote:
        target.readTemplate(QStringLiteral("note"), &mapping.number, true);
        target.read(QStringLiteral("velocity"), &mapping.velocity, 1, 127);
        target.read(QStringLiteral("durationMs"), &mapping.durationMs, 1, 10000);
        Q_FALLTHROUGH();
    case Mapping::Target::MidiCc:
        target.readTemplate(QStringLiteral("channel"), &mapping.channel, true);
        if (mapping.target == Mapping::Target::MidiCc)
            target.readTemplate(QStringLiteral("number"), &mapping.number, true);
        break;
    }
    if (!target.finish())
        return fail(target.error());
    const QString problem = mapping.validate();
    if (!problem.isEmpty())
        return fail(path + u'.' + problem);
    return mapping;
}

} // namespace GroupLoop::MappingJson
