// DeviceFilterModel: sorting and filtering on top of DeviceTableModel for the device table.
// The filter matches the device id (substring, case-insensitive); "selected" keeps only
// selected devices.
#pragma once

#include <QSortFilterProxyModel>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

class DeviceFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString filterText READ filterText WRITE setFilterText NOTIFY filterTextChanged)
    Q_PROPERTY(bool onlySelected READ onlySelected WRITE setOnlySelected NOTIFY onlySelectedChanged)
    // DeviceStore::Sources: all, only live or only replayed devices.
    Q_PROPERTY(int sources READ sources WRITE setSources NOTIFY sourcesChanged)
    Q_PROPERTY(int sortColumn READ sortColumn NOTIFY sortChanged)
    Q_PROPERTY(bool sortDescending READ sortDescending NOTIFY sortChanged)

public:
    explicit DeviceFilterModel(QObject *parent = nullptr);

    QString filterText() const { return m_filterText; }
    void setFilterText(const QString &text);
    bool onlySelected() const { return m_onlySelected; }
    void setOnlySelected(bool on);
    int sources() const { return m_sources; }
    void setSources(int sources);
    bool sortDescending() const { return sortOrder() == Qt::DescendingOrder; }

    // Sorts by `column`; the same column again flips the order (header clicks).
    Q_INVOKABLE void sortBy(int column);
    Q_INVOKABLE QString deviceIdAt(int row) const;
    Q_INVOKABLE QStringList deviceIdsBetween(int firstRow, int lastRow) const;

Q_SIGNALS:
    void filterTextChanged();
    void onlySelectedChanged();
    void sourcesChanged();
    void sortChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_filterText;
    bool m_onlySelected = false;
    int m_sources = 0;
};

} // namespace GroupLoop
