// OutputsController's mapping table: the editor's mappings as outputs-file JSON, checked by the
// same reader as a file, so the editor names a bad field the way a file load would.
#include "outputscontroller.h"

#include "mappingjson.h"

#include <QJsonObject>

namespace GroupLoop {

namespace {
const QString MappingPath = QStringLiteral("mapping");
} // namespace

QVariantMap OutputsController::newMapping(const QString &source) const
{
    Mapping mapping;
    if (const auto known = MappingSources::fromName(source))
        mapping.source = *known;
    const SourceInfo &info = MappingSources::info(mapping.source);
    mapping.name = info.name;
    mapping.inMin = info.min;
    mapping.inMax = info.max;
    mapping.address = info.roomLevel ? QStringLiteral("/grouploop/room/") + info.name
                                     : QStringLiteral("/grouploop/{id}/") + info.name;
    if (mapping.source == MappingSource::Tap) {
        mapping.target = Mapping::Target::MidiNote;
        mapping.number = QStringLiteral("{index}+36");
    }
    return MappingJson::toJson(mapping).toVariantMap();
}

QVariantMap OutputsController::mappingAt(int row) const
{
    const QList<Mapping> mappings = m_engine.mappings().mappings();
    return row >= 0 && row < mappings.size() ? MappingJson::toJson(mappings.at(row)).toVariantMap()
                                             : QVariantMap();
}

std::optional<Mapping> OutputsController::mappingFrom(const QVariantMap &map, QString *error) const
{
    const auto mapping = MappingJson::fromJson(QJsonObject::fromVariantMap(map), MappingPath, error);
    if (!mapping && error->startsWith(MappingPath + u'.'))
        *error = error->mid(MappingPath.size() + 1);
    return mapping;
}

void OutputsController::setMappingList(const QList<Mapping> &mappings)
{
    m_engine.setMappings(mappings);
    changed();
}

QString OutputsController::addMapping(const QVariantMap &map)
{
    QString error;
    const auto mapping = mappingFrom(map, &error);
    if (!mapping)
        return error;
    QList<Mapping> mappings = m_engine.mappings().mappings();
    if (mappings.size() >= OutputsConfig::MaxMappings)
        return tr("at most %1 mappings").arg(OutputsConfig::MaxMappings);
    mappings.append(*mapping);
    setMappingList(mappings);
    return QString();
}

QString OutputsController::updateMapping(int row, const QVariantMap &map)
{
    QList<Mapping> mappings = m_engine.mappings().mappings();
    if (row < 0 || row >= mappings.size())
        return tr("no mapping %1").arg(row + 1);
    QString error;
    const auto mapping = mappingFrom(map, &error);
    if (!mapping)
        return error;
    mappings[row] = *mapping;
    setMappingList(mappings);
    return QString();
}

void OutputsController::removeMapping(int row)
{
    QList<Mapping> mappings = m_engine.mappings().mappings();
    if (row < 0 || row >= mappings.size())
        return;
    mappings.removeAt(row);
    setMappingList(mappings);
}

void OutputsController::setMappingEnabled(int row, bool enabled)
{
    QList<Mapping> mappings = m_engine.mappings().mappings();
    if (row < 0 || row >= mappings.size() || mappings[row].enabled == enabled)
        return;
    mappings[row].enabled = enabled;
    setMappingList(mappings);
}

QVariantMap OutputsController::sourceInfo(const QString &source) const
{
    const auto known = MappingSources::fromName(source);
    if (!known)
        return {};
    const SourceInfo &info = MappingSources::info(*known);
    return {{QStringLiteral("unit"), info.unit},
            {QStringLiteral("min"), info.min},
            {QStringLiteral("max"), info.max},
            {QStringLiteral("roomLevel"), info.roomLevel}};
}

} // namespace GroupLoop
