// DeviceTableModel: the device store as a table (one row per device), refreshed at a fixed
// rate from the store's ticks, never per frame: each cell every refreshEveryTicks ticks
// (10 Hz at the default 20 Hz store), a share of the columns per tick. Sort and filter with
// DeviceFilterModel.
#pragma once

#include "devicestore.h"
#include <QAbstractTableModel>

#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

struct DeviceState;

class DeviceTableModel : public QAbstractTableModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(GroupLoop::DeviceStore *store READ store WRITE setStore NOTIFY storeChanged)
    // false while no view shows the table: rows still follow the store, cell refreshes pause
    // (each one would cost the window a frame), and resume with one full refresh.
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(int refreshEveryTicks READ refreshEveryTicks WRITE setRefreshEveryTicks NOTIFY
                   refreshEveryTicksChanged)

public:
    enum Column { Id, LastSeen, Rate, Ax, Ay, Az, BeaconNW, BeaconNE, BeaconSE, BeaconSW, Taps, ColumnCount };
    Q_ENUM(Column)
    enum Role {
        ValueRole = Qt::UserRole + 1, // number used for sorting
        BarRole, // 0..1 for the inline mini bar, -1 when the column has none
        SelectedRole,
        StaleRole,
        DeviceIdRole,
        LedColourRole, // the colour the console last commanded; invalid when unknown
        SignedRole, // the bar is centred (acceleration): value -1..1 maps to the bar
        ReplayedRole, // heard only from the console's own replay
    };

    explicit DeviceTableModel(QObject *parent = nullptr);

    DeviceStore *store() const { return m_store; }
    void setStore(DeviceStore *store);
    bool isActive() const { return m_active; }
    void setActive(bool active);
    int refreshEveryTicks() const { return m_refreshEveryTicks; }
    void setRefreshEveryTicks(int ticks);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    static QString columnTitle(int column);

Q_SIGNALS:
    void storeChanged();
    void refreshEveryTicksChanged();
    void activeChanged();

private:
    QVariant cellValue(const DeviceState &d, int column) const;
    QVariant cellText(const DeviceState &d, int column) const;
    void refreshSome();

    QPointer<DeviceStore> m_store;
    int m_refreshEveryTicks = 2;
    int m_tick = 0;
    bool m_active = true;
};

} // namespace GroupLoop
