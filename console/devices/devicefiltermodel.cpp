#include "devicefiltermodel.h"

#include "devicestore.h"
#include "devicetablemodel.h"

namespace GroupLoop {

DeviceFilterModel::DeviceFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(DeviceTableModel::ValueRole);
    setDynamicSortFilter(true);
}

void DeviceFilterModel::setFilterText(const QString &text)
{
    if (text == m_filterText)
        return;
    m_filterText = text;
    invalidateRowsFilter();
    Q_EMIT filterTextChanged();
}

void DeviceFilterModel::setOnlySelected(bool on)
{
    if (on == m_onlySelected)
        return;
    m_onlySelected = on;
    invalidateRowsFilter();
    Q_EMIT onlySelectedChanged();
}

void DeviceFilterModel::setSources(int sources)
{
    if (sources == m_sources)
        return;
    m_sources = sources;
    invalidateRowsFilter();
    Q_EMIT sourcesChanged();
}

void DeviceFilterModel::sortBy(int column)
{
    const Qt::SortOrder order = (column == sortColumn() && sortOrder() == Qt::AscendingOrder)
        ? Qt::DescendingOrder
        : Qt::AscendingOrder;
    sort(column, order);
    Q_EMIT sortChanged();
}

QString DeviceFilterModel::deviceIdAt(int row) const
{
    return data(index(row, 0), DeviceTableModel::DeviceIdRole).toString();
}

QStringList DeviceFilterModel::deviceIdsBetween(int firstRow, int lastRow) const
{
    QStringList out;
    if (firstRow > lastRow)
        std::swap(firstRow, lastRow);
    for (int row = qMax(0, firstRow); row <= lastRow && row < rowCount(); ++row)
        out << deviceIdAt(row);
    return out;
}

bool DeviceFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_onlySelected && !idx.data(DeviceTableModel::SelectedRole).toBool())
        return false;
    if (m_sources != DeviceStore::AllSources
        && idx.data(DeviceTableModel::ReplayedRole).toBool() != (m_sources == DeviceStore::ReplaySources))
        return false;
    if (m_filterText.isEmpty())
        return true;
    return idx.data(DeviceTableModel::DeviceIdRole)
        .toString()
        .contains(m_filterText.trimmed(), Qt::CaseInsensitive);
}

} // namespace GroupLoop
