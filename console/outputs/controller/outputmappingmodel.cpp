#include "outputmappingmodel.h"

#include "outputsengine.h"

namespace GroupLoop {

namespace {
QString number(double value)
{
    return QString::number(value, 'g', 4);
}
} // namespace

OutputMappingModel::OutputMappingModel(OutputsEngine *engine, QObject *parent)
    : QAbstractListModel(parent)
    , m_engine(engine)
    , m_mappings(engine->mappings().mappings())
{
    connect(engine, &OutputsEngine::mappingsChanged, this, [this] {
        beginResetModel();
        m_mappings = m_engine->mappings().mappings();
        endResetModel();
        Q_EMIT countChanged();
        if (!m_mappings.isEmpty())
            m_meters.start();
        else
            m_meters.stop();
    });
    m_meters.setInterval(1000 / MeterHz);
    connect(&m_meters, &QTimer::timeout, this, &OutputMappingModel::refreshMeters);
    if (!m_mappings.isEmpty())
        m_meters.start();
}

void OutputMappingModel::refreshMeters()
{
    if (!m_mappings.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_mappings.size()) - 1),
                           {MeterRole, HasValueRole, ValueRole, OutputsRole, SentRole, ErrorRole});
}

QString OutputMappingModel::targetText(const Mapping &mapping)
{
    switch (mapping.target) {
    case Mapping::Target::Osc:
        return QStringLiteral("OSC %1 %2").arg(mapping.address, QString(QLatin1Char(mapping.oscType)));
    case Mapping::Target::MidiCc:
        return QStringLiteral("MIDI ch %1 CC %2").arg(mapping.channel, mapping.number);
    case Mapping::Target::MidiNote:
        return QStringLiteral("MIDI ch %1 note %2, velocity %3, %4 ms")
            .arg(mapping.channel, mapping.number)
            .arg(mapping.velocity)
            .arg(mapping.durationMs);
    }
    return {};
}

QString OutputMappingModel::transformText(const Mapping &mapping)
{
    QStringList parts {QStringLiteral("%1..%2 → %3..%4")
                           .arg(number(mapping.inMin), number(mapping.inMax), number(mapping.outMin),
                                number(mapping.outMax))};
    if (mapping.invert)
        parts << tr("inverted");
    if (mapping.curve == Mapping::Curve::Exponential)
        parts << tr("exponential %1").arg(number(mapping.curveAmount));
    if (mapping.smoothing > 0.0)
        parts << tr("smoothing %1").arg(number(mapping.smoothing));
    if (mapping.deadband > 0.0)
        parts << tr("deadband %1").arg(number(mapping.deadband));
    if (mapping.maxRateHz > 0.0)
        parts << tr("≤ %1 Hz").arg(number(mapping.maxRateHz));
    return parts.join(QStringLiteral(", "));
}

int OutputMappingModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_engine ? 0 : int(m_mappings.size());
}

QVariant OutputMappingModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_engine
        || index.row() >= m_engine->mappings().count())
        return {};
    const MappingEngine::Stats &stats = m_engine->mappings().stats(index.row());
    const Mapping &mapping = m_mappings.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return mapping.name;
    case EnabledRole:
        return mapping.enabled;
    case SourceRole:
        return MappingSources::info(mapping.source).name;
    case ScopeRole:
        return mapping.scope == Mapping::Scope::Device
            ? QStringLiteral("device %1").arg(mapping.device, 4, 16, QLatin1Char('0'))
            : Mapping::scopeName(mapping.scope);
    case TargetRole:
        return targetText(mapping);
    case TransformRole:
        return transformText(mapping);
    case MeterRole:
        return stats.hasValue ? qBound(0.0, stats.lastNormalized, 1.0) : 0.0;
    case HasValueRole:
        return stats.hasValue;
    case ValueRole:
        if (!stats.hasValue)
            return QString();
        return stats.lastIsRoom ? number(stats.lastValue)
                                : QStringLiteral("%1 (%2)")
                                      .arg(number(stats.lastValue))
                                      .arg(stats.lastDevice, 4, 16, QLatin1Char('0'));
    case OutputsRole:
        return stats.outputs;
    case SentRole:
        return double(stats.sent);
    case ErrorRole:
        return stats.error;
    default:
        return {};
    }
}

QHash<int, QByteArray> OutputMappingModel::roleNames() const
{
    return {{NameRole, "name"},     {EnabledRole, "mappingEnabled"},
            {SourceRole, "source"}, {ScopeRole, "scope"},
            {TargetRole, "target"}, {TransformRole, "transformText"},
            {MeterRole, "meter"},   {HasValueRole, "hasValue"},
            {ValueRole, "value"},   {OutputsRole, "outputs"},
            {SentRole, "sent"},     {ErrorRole, "error"}};
}

} // namespace GroupLoop
