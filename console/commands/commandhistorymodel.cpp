#include "commandhistorymodel.h"

namespace GroupLoop {

bool SendRecord::answersOnSerialOnly() const
{
    return command == QLatin1String("status") || command == QLatin1String("led_get_state");
}

QString SendRecord::summary() const
{
    if (local)
        return errors.value(0);
    if (!finished())
        return QObject::tr("waiting for %1 of %2 replies…").arg(expected - succeeded - failed).arg(expected);
    if (reachedNone())
        return QObject::tr("sent to 0 devices: no device is connected to the relay");
    const QString outcome = outcomeText();
    if (answersOnSerialOnly() && succeeded > 0)
        return outcome + QObject::tr("; the answer appears on the device's serial console only");
    return outcome;
}

QString SendRecord::outcomeText() const
{
    const QString reasons = errors.isEmpty()
        ? QString()
        : QStringLiteral(" (") + errors.join(QStringLiteral("; ")) + QLatin1Char(')');
    if (expected == 1) {
        if (failed)
            return QObject::tr("failed") + reasons;
        if (target == QLatin1String("all"))
            return deliveredTo == 1 ? QObject::tr("sent to 1 device")
                                    : QObject::tr("sent to %1 devices").arg(deliveredTo);
        return QObject::tr("delivered");
    }
    QString text = QObject::tr("sent to %1 of %2 devices").arg(succeeded).arg(expected);
    if (!failedIds.isEmpty())
        text += QObject::tr("; failed: %1").arg(failedIds.mid(0, 8).join(QStringLiteral(", ")))
            + (failedIds.size() > 8 ? QObject::tr(" and %1 more").arg(failedIds.size() - 8) : QString())
            + reasons;
    return text;
}

void CommandHistoryModel::add(const SendRecord &record)
{
    if (m_records.size() >= MaxRows) {
        beginRemoveRows({}, int(m_records.size()) - 1, int(m_records.size()) - 1);
        m_records.removeLast();
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_records.prepend(record);
    endInsertRows();
    Q_EMIT countChanged();
}

SendRecord *CommandHistoryModel::find(int sendId)
{
    for (SendRecord &r : m_records)
        if (r.sendId == sendId)
            return &r;
    return nullptr;
}

void CommandHistoryModel::changed(int sendId)
{
    for (int row = 0; row < m_records.size(); ++row) {
        if (m_records[row].sendId == sendId) {
            Q_EMIT dataChanged(index(row), index(row));
            return;
        }
    }
}

int CommandHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

QVariant CommandHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const SendRecord &r = m_records[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case SummaryRole:
        return r.summary();
    case SendIdRole:
        return r.sendId;
    case TimeRole:
        return r.at.toString(QStringLiteral("HH:mm:ss"));
    case TargetRole:
        return r.target;
    case CommandRole:
        return r.command;
    case ParamsRole:
        return r.params;
    case StatusRole:
        return !r.finished()  ? QStringLiteral("pending")
            : r.reachedNone() ? QStringLiteral("warning")
            : r.ok()          ? QStringLiteral("ok")
                              : QStringLiteral("failed");
    default:
        return {};
    }
}

QHash<int, QByteArray> CommandHistoryModel::roleNames() const
{
    return {{SendIdRole, "sendId"},   {TimeRole, "time"},     {TargetRole, "target"},
            {CommandRole, "command"}, {ParamsRole, "params"}, {SummaryRole, "summary"},
            {StatusRole, "status"}};
}

void CommandHistoryModel::clear()
{
    beginResetModel();
    m_records.clear();
    endResetModel();
    Q_EMIT countChanged();
}

} // namespace GroupLoop
