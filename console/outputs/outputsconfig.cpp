#include "outputsconfig.h"

#include "jsonfields.h"
#include "mappingjson.h"
#include "oscwriter.h"

#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace GroupLoop {

QString OscDestination::label() const
{
    const bool v6 = host.contains(u':');
    return (v6 ? u'[' + host + u']' : host) + u':' + QString::number(port);
}

std::optional<OscDestination> OscDestination::fromText(const QString &text, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<OscDestination> {
        if (error)
            *error = QStringLiteral("\"%1\": %2").arg(text, why);
        return std::nullopt;
    };
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return fail(QStringLiteral("expected HOST:PORT"));
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    else if (host.contains(u':'))
        return fail(QStringLiteral("write an IPv6 address in brackets: [::1]:9000"));
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port < 1 || port > 65535)
        return fail(QStringLiteral("the port must be 1..65535"));
    if (host.isEmpty())
        return fail(QStringLiteral("the host is empty"));
    OscDestination destination;
    destination.host = host;
    destination.port = quint16(port);
    return destination;
}

QByteArray OutputsConfig::toJson() const
{
    QJsonArray destinationList;
    for (const OscDestination &destination : destinations) {
        destinationList.append(QJsonObject {
            {QStringLiteral("host"), destination.host},
            {QStringLiteral("port"), destination.port},
            {QStringLiteral("defaultScheme"), destination.defaultScheme},
            {QStringLiteral("mappings"), destination.mappings},
            {QStringLiteral("bundles"), destination.bundles},
        });
    }
    QJsonArray mappingList;
    for (const Mapping &mapping : mappings)
        mappingList.append(MappingJson::toJson(mapping));
    const QJsonObject root {
        {QStringLiteral("format"), formatName()},
        {QStringLiteral("version"), CurrentVersion},
        {QStringLiteral("osc"),
         QJsonObject {{QStringLiteral("destinations"), destinationList},
                      {QStringLiteral("maxDatagramBytes"), maxDatagramBytes}}},
        {QStringLiteral("midi"),
         QJsonObject {{QStringLiteral("enabled"), midiEnabled}, {QStringLiteral("port"), midiPort}}},
        {QStringLiteral("mappings"), mappingList},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

namespace {
bool readDestinations(JsonFields &osc, QList<OscDestination> *out)
{
    const QString key = QStringLiteral("destinations");
    const QJsonValue value = osc.rawValue(key);
    if (value.isUndefined())
        return true;
    if (!value.isArray())
        return osc.fail(key, QStringLiteral("must be a list"));
    const QJsonArray list = value.toArray();
    if (list.size() > OutputsConfig::MaxDestinations)
        return osc.fail(key, QStringLiteral("more than %1 destinations").arg(OutputsConfig::MaxDestinations));
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString path = osc.path(key) + QStringLiteral("[%1]").arg(i);
        if (!list[i].isObject())
            return osc.fail(key + QStringLiteral("[%1]").arg(i), QStringLiteral("must be an object"));
        JsonFields fields(list[i].toObject(), path);
        OscDestination destination;
        fields.read(QStringLiteral("host"), &destination.host, true);
        int port = 0;
        fields.read(QStringLiteral("port"), &port, 1, 65535, true);
        destination.port = quint16(port);
        fields.read(QStringLiteral("defaultScheme"), &destination.defaultScheme);
        fields.read(QStringLiteral("mappings"), &destination.mappings);
        fields.read(QStringLiteral("bundles"), &destination.bundles);
        if (fields.ok() && destination.host.trimmed().isEmpty())
            fields.fail(QStringLiteral("host"), QStringLiteral("is empty"));
        fields.finish();
        if (!osc.absorb(fields))
            return false;
        out->append(destination);
    }
    return true;
}
} // namespace

std::optional<OutputsConfig> OutputsConfig::fromJson(const QByteArray &json, const QString &source,
                                                     QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<OutputsConfig> {
        if (error)
            *error = source + u':' + why;
        return std::nullopt;
    };
    if (json.size() > MaxFileBytes)
        return fail(QStringLiteral(" %1 bytes, more than the %2 allowed").arg(json.size()).arg(MaxFileBytes));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral(" not valid JSON at offset %1: %2")
                        .arg(parseError.offset)
                        .arg(parseError.errorString()));
    if (!doc.isObject())
        return fail(QStringLiteral(" the top level must be an object"));

    OutputsConfig config;
    JsonFields root(doc.object(), QString());
    QString format;
    int version = 0;
    root.read(QStringLiteral("format"), &format, true);
    if (root.ok() && format != formatName())
        root.fail(QStringLiteral("format"), QStringLiteral("\"%1\" is not \"%2\"").arg(format, formatName()));
    root.read(QStringLiteral("version"), &version, 1, 1000000, true);
    if (root.ok() && version > CurrentVersion)
        root.fail(
            QStringLiteral("version"),
            QStringLiteral("%1 is newer than this program reads (%2)").arg(version).arg(CurrentVersion));

    QJsonObject oscObject;
    if (root.readObject(QStringLiteral("osc"), &oscObject) && root.has(QStringLiteral("osc"))) {
        JsonFields osc(oscObject, QStringLiteral("osc"));
        readDestinations(osc, &config.destinations);
        osc.read(QStringLiteral("maxDatagramBytes"), &config.maxDatagramBytes,
                 Osc::DatagramPacker::MinMaxBytes, Osc::DatagramPacker::MaxMaxBytes);
        osc.finish();
        root.absorb(osc);
    }
    QJsonObject midiObject;
    if (root.readObject(QStringLiteral("midi"), &midiObject) && root.has(QStringLiteral("midi"))) {
        JsonFields midi(midiObject, QStringLiteral("midi"));
        midi.read(QStringLiteral("enabled"), &config.midiEnabled);
        midi.read(QStringLiteral("port"), &config.midiPort);
        midi.finish();
        root.absorb(midi);
    }
    if (root.ok() && root.has(QStringLiteral("mappings"))) {
        const QJsonValue value = root.rawValue(QStringLiteral("mappings"));
        if (!value.isArray()) {
            root.fail(QStringLiteral("mappings"), QStringLiteral("must be a list"));
        } else if (value.toArray().size() > MaxMappings) {
            root.fail(QStringLiteral("mappings"), QStringLiteral("more than %1 mappings").arg(MaxMappings));
        } else {
            const QJsonArray list = value.toArray();
            for (qsizetype i = 0; i < list.size(); ++i) {
                QString why;
                const auto mapping
                    = MappingJson::fromJson(list[i], QStringLiteral("mappings[%1]").arg(i), &why);
                if (!mapping)
                    return fail(why);
                config.mappings.append(*mapping);
            }
        }
    }
    if (!root.finish())
        return fail(root.error());
    return config;
}

std::optional<OutputsConfig> OutputsConfig::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = path + QStringLiteral(": cannot read: ") + file.errorString();
        return std::nullopt;
    }
    return fromJson(file.read(MaxFileBytes + 1), path, error);
}

bool OutputsConfig::save(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(toJson()) < 0 || !file.commit()) {
        if (error)
            *error = path + QStringLiteral(": cannot write: ") + file.errorString();
        return false;
    }
    return true;
}

} // namespace GroupLoop
