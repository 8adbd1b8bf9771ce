#include "fieldlabelmodel.h"

namespace GroupLoop {

void FieldLabelModel::setLabels(const QList<Label> &labels)
{
    const qsizetype before = m_labels.size();
    const int common = int(qMin(labels.size(), m_labels.size()));
    if (labels.size() < m_labels.size()) {
        beginRemoveRows({}, common, int(m_labels.size()) - 1);
        m_labels.resize(common);
        endRemoveRows();
    }
    int firstChanged = -1, lastChanged = -1;
    for (int i = 0; i < common; ++i) {
        if (m_labels[i] == labels[i])
            continue;
        m_labels[i] = labels[i];
        if (firstChanged < 0)
            firstChanged = i;
        lastChanged = i;
    }
    if (firstChanged >= 0)
        Q_EMIT dataChanged(index(firstChanged), index(lastChanged));
    if (labels.size() > m_labels.size()) {
        beginInsertRows({}, common, int(labels.size()) - 1);
        for (qsizetype i = common; i < labels.size(); ++i)
            m_labels.append(labels[i]);
        endInsertRows();
    }
    if (m_labels.size() != before)
        Q_EMIT countChanged();
}

int FieldLabelModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_labels.size());
}

QVariant FieldLabelModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Label &l = m_labels[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case IdRole:
        return l.id;
    case XRole:
        return l.position.x();
    case YRole:
        return l.position.y();
    case ReplayedRole:
        return l.replayed;
    default:
        return {};
    }
}

QHash<int, QByteArray> FieldLabelModel::roleNames() const
{
    return {{IdRole, "deviceId"}, {XRole, "labelX"}, {YRole, "labelY"}, {ReplayedRole, "replayed"}};
}

} // namespace GroupLoop
