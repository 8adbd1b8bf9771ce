// CommandHistoryModel: one row per send from the command panel (a send to a selection is one
// row covering one `cmd:` per device), newest first, with its outcome once every reply is in.
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

struct SendRecord
{
    int sendId = 0;
    QDateTime at;
    QString target; // "all", "ab12" or "3 selected"
    QString command;
    QString params;
    int expected = 0; // cmd: messages sent
    int succeeded = 0;
    int failed = 0;
    int deliveredTo = 0; // devices reached: 1 per success, N for sent_to_N_devices
    QStringList failedIds;
    QStringList errors; // distinct reasons
    bool local = false; // rejected before anything was sent

    bool finished() const { return local || succeeded + failed >= expected; }
    bool ok() const { return finished() && failed == 0 && !local; }
    // Accepted, but no device got it (`cmd:all` with none connected): a warning, not a success.
    bool reachedNone() const { return ok() && deliveredTo == 0; }
    // `status` and `led_get_state` answer on the device's serial console, never over the relay.
    bool answersOnSerialOnly() const;
    QString summary() const;

private:
    QString outcomeText() const; // delivered / sent to N / failed ids, without notes
};

class CommandHistoryModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by the CommandController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role {
        SendIdRole = Qt::UserRole + 1,
        TimeRole,
        TargetRole,
        CommandRole,
        ParamsRole,
        SummaryRole,
        StatusRole
    };
    static constexpr int MaxRows = 500;

    using QAbstractListModel::QAbstractListModel;

    void add(const SendRecord &record);
    SendRecord *find(int sendId);
    void changed(int sendId);
    const QList<SendRecord> &records() const { return m_records; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE void clear();

Q_SIGNALS:
    void countChanged();

private:
    QList<SendRecord> m_records; // newest first
};

} // namespace GroupLoop
