#include "devicetablemodel.h"

#include "devicestore.h"

namespace GroupLoop {

DeviceTableModel::DeviceTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void DeviceTableModel::setStore(DeviceStore *store)
{
    if (store == m_store)
        return;
    beginResetModel();
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = store;
    if (m_store) {
        connect(m_store, &DeviceStore::devicesAboutToBeInserted, this,
                [this](int first, int last) { beginInsertRows({}, first, last); });
        connect(m_store, &DeviceStore::devicesInserted, this, [this] { endInsertRows(); });
        connect(m_store, &DeviceStore::deviceAboutToBeRemoved, this,
                [this](int row) { beginRemoveRows({}, row, row); });
        connect(m_store, &DeviceStore::deviceRemoved, this, [this] { endRemoveRows(); });
        connect(m_store, &DeviceStore::ticked, this, &DeviceTableModel::refreshSome);
        connect(m_store, &DeviceStore::selectionChanged, this, [this] {
            if (rowCount() > 0)
                Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {SelectedRole});
        });
        connect(m_store, &DeviceStore::ledsChanged, this, [this] {
            if (rowCount() > 0)
                Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {LedColourRole});
        });
        connect(m_store, &QObject::destroyed, this, [this] {
            beginResetModel();
            m_store = nullptr;
            endResetModel();
        });
    }
    endResetModel();
    Q_EMIT storeChanged();
}

void DeviceTableModel::setRefreshEveryTicks(int ticks)
{
    ticks = qBound(1, ticks, int(ColumnCount) - 1);
    if (ticks == m_refreshEveryTicks)
        return;
    m_refreshEveryTicks = ticks;
    Q_EMIT refreshEveryTicksChanged();
}

void DeviceTableModel::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    if (m_active && rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    Q_EMIT activeChanged();
}

void DeviceTableModel::refreshSome()
{
    if (!m_active)
        return;
    // Every cell refreshes once per refreshEveryTicks ticks, but the changing columns are split
    // into that many groups refreshed on successive ticks, so each tick re-lays out only a share
    // of the visible cells (one dataChanged per tick either way). Id never changes.
    const int phase = m_tick++ % m_refreshEveryTicks;
    if (rowCount() == 0)
        return;
    const int first = LastSeen;
    const int columns = ColumnCount - first;
    const int from = first + columns * phase / m_refreshEveryTicks;
    const int to = first + columns * (phase + 1) / m_refreshEveryTicks - 1;
    if (to < from)
        return;
    Q_EMIT dataChanged(index(0, from), index(rowCount() - 1, to),
                       {Qt::DisplayRole, ValueRole, BarRole, StaleRole, ReplayedRole});
    if (phase == 0) // the id column's replay tag
        Q_EMIT dataChanged(index(0, Id), index(rowCount() - 1, Id), {ReplayedRole});
}

int DeviceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_store ? 0 : m_store->count();
}

int DeviceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString DeviceTableModel::columnTitle(int column)
{
    switch (column) {
    case Id:
        return tr("Device");
    case LastSeen:
        return tr("Last seen");
    case Rate:
        return tr("Rate");
    case Ax:
        return tr("ax (g)");
    case Ay:
        return tr("ay (g)");
    case Az:
        return tr("az (g)");
    case BeaconNW:
        return tr("NW");
    case BeaconNE:
        return tr("NE");
    case BeaconSE:
        return tr("SE");
    case BeaconSW:
        return tr("SW");
    case Taps:
        return tr("Taps");
    default:
        return {};
    }
}

QVariant DeviceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal)
        return columnTitle(section);
    return section + 1;
}

QVariant DeviceTableModel::cellValue(const DeviceState &d, int column) const
{
    switch (column) {
    case Id:
        return int(d.id);
    case LastSeen:
        return double(qMax<qint64>(0, m_store->lastTickMs() - d.lastSeenMs)) / 1000.0;
    case Rate:
        return d.rateHz;
    case Ax:
        return d.last.axG();
    case Ay:
        return d.last.ayG();
    case Az:
        return d.last.azG();
    case BeaconNW:
    case BeaconNE:
    case BeaconSE:
    case BeaconSW: {
        const int beacon = column - BeaconNW;
        return d.last.beaconHeard(beacon) ? d.last.beaconDbm(beacon) : -200.0;
    }
    case Taps:
        return double(d.taps);
    default:
        return {};
    }
}

QVariant DeviceTableModel::cellText(const DeviceState &d, int column) const
{
    switch (column) {
    case Id:
        return d.idText;
    case LastSeen:
        return tr("%1 s").arg(cellValue(d, column).toDouble(), 0, 'f', 1);
    case Rate:
        return tr("%1 Hz").arg(d.rateHz, 0, 'f', 1);
    case Ax:
    case Ay:
    case Az:
        return QString::number(cellValue(d, column).toDouble(), 'f', 2);
    case BeaconNW:
    case BeaconNE:
    case BeaconSE:
    case BeaconSW: {
        const int beacon = column - BeaconNW;
        return d.last.beaconHeard(beacon) ? tr("%1 dBm").arg(d.last.beaconDbm(beacon), 0, 'f', 0) : tr("—");
    }
    case Taps:
        return QString::number(d.taps);
    default:
        return {};
    }
}

QVariant DeviceTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_store)
        return {};
    const DeviceState &d = m_store->devices()[size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return cellText(d, column);
    case ValueRole:
        return cellValue(d, column);
    case BarRole:
        switch (column) {
        case Ax:
        case Ay:
        case Az:
            return qBound(-1.0, cellValue(d, column).toDouble() / 2.0, 1.0);
        case BeaconNW:
        case BeaconNE:
        case BeaconSE:
        case BeaconSW:
            return double(d.last.beacons[size_t(column - BeaconNW)]) / 255.0;
        default:
            return -1.0;
        }
    case SignedRole:
        return column == Ax || column == Ay || column == Az;
    case SelectedRole:
        return m_store->isSelected(d.id);
    case StaleRole:
        return m_store->isStale(d);
    case DeviceIdRole:
        return d.idText;
    case LedColourRole:
        return m_store->ledColour(d.id);
    case ReplayedRole:
        return m_store->isReplayOnly(d);
    default:
        return {};
    }
}

QHash<int, QByteArray> DeviceTableModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"}, {ValueRole, "value"},      {BarRole, "bar"},
        {SelectedRole, "selected"},   {StaleRole, "stale"},      {DeviceIdRole, "deviceId"},
        {LedColourRole, "ledColour"}, {SignedRole, "signedBar"}, {ReplayedRole, "replayed"},
    };
}

} // namespace GroupLoop
