#include "outputdestinationmodel.h"

#include "oscsender.h"

namespace GroupLoop {

OutputDestinationModel::OutputDestinationModel(OscSender *sender, QObject *parent)
    : QAbstractListModel(parent)
    , m_sender(sender)
    , m_rows(sender->count())
{
    connect(sender, &OscSender::destinationsChanged, this, [this] {
        beginResetModel();
        m_rows = m_sender->count();
        endResetModel();
        Q_EMIT countChanged();
    });
    connect(sender, &OscSender::statusChanged, this, [this](int row) {
        if (row >= 0 && row < m_rows)
            Q_EMIT dataChanged(index(row), index(row), {StatusRole, StatusTextRole});
    });
}

void OutputDestinationModel::setCommandLine(const QSet<QString> &labels)
{
    m_commandLine = labels;
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0), index(m_rows - 1), {CommandLineRole});
}

bool OutputDestinationModel::isCommandLine(int row) const
{
    return row >= 0 && row < m_rows && m_commandLine.contains(m_sender->destination(row).config.label());
}

void OutputDestinationModel::refreshCounters()
{
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0), index(m_rows - 1), {DatagramsRole, DroppedRole});
}

int OutputDestinationModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_sender ? 0 : m_rows;
}

QVariant OutputDestinationModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_sender
        || index.row() >= m_sender->count())
        return {};
    const OscSender::Destination &d = m_sender->destination(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case LabelRole:
        return d.config.label();
    case StatusRole:
        return int(d.status);
    case StatusTextRole:
        return d.statusText;
    case DatagramsRole:
        return double(d.datagrams);
    case DroppedRole:
        return double(d.dropped);
    case DefaultSchemeRole:
        return d.config.defaultScheme;
    case MappingsRole:
        return d.config.mappings;
    case BundlesRole:
        return d.config.bundles;
    case CommandLineRole:
        return m_commandLine.contains(d.config.label());
    default:
        return {};
    }
}

QHash<int, QByteArray> OutputDestinationModel::roleNames() const
{
    return {{LabelRole, "label"},         {StatusRole, "status"},   {StatusTextRole, "statusText"},
            {DatagramsRole, "datagrams"}, {DroppedRole, "dropped"}, {DefaultSchemeRole, "defaultScheme"},
            {MappingsRole, "mappings"},   {BundlesRole, "bundles"}, {CommandLineRole, "commandLine"}};
}

} // namespace GroupLoop
