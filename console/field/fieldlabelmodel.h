// FieldLabelModel: the id labels the device field shows when zoomed in (few enough devices in
// view). Rows are updated in place so the QML Repeater reuses its delegates between ticks.
#pragma once

#include <QAbstractListModel>
#include <QPointF>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

class FieldLabelModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by DeviceField")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    struct Label
    {
        QString id;
        QPointF position; // item pixels, centre of the dot
        bool replayed = false; // tagged "replay" in the field
        bool operator==(const Label &o) const
        {
            return id == o.id && position == o.position && replayed == o.replayed;
        }
    };
    enum Role { IdRole = Qt::UserRole + 1, XRole, YRole, ReplayedRole };

    using QAbstractListModel::QAbstractListModel;
    void setLabels(const QList<Label> &labels);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    QList<Label> m_labels;
};

} // namespace GroupLoop
