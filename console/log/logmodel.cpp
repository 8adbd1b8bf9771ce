#include "logmodel.h"

#include "consolelogging.h"

#include <QClipboard>
#include <QGuiApplication>

namespace GroupLoop {

QString LogModel::Entry::line() const
{
    static const char *const names[] = {"INFO", "WARN", "ERROR"};
    return at.toString(QStringLiteral("HH:mm:ss.zzz")) + QLatin1Char(' ')
        + QLatin1String(names[qBound(0, level, 2)]) + QStringLiteral(" [") + category + QStringLiteral("] ")
        + message;
}

LogModel::LogModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void LogModel::append(int level, const QString &category, const QString &message)
{
    // The terminal gets the line too, in the source's category and at the entry's level.
    const LoggingCategoryFunction lc = consoleCategoryFor(category);
    const QString line = QLatin1Char('[') + category + QStringLiteral("] ") + message;
    if (level >= Error)
        qCCritical(lc).noquote() << line;
    else if (level == Warning)
        qCWarning(lc).noquote() << line;
    else
        qCInfo(lc).noquote() << line;

    if (m_entries.size() >= m_maxEntries) {
        const int drop = int(m_entries.size()) - m_maxEntries + 1;
        beginRemoveRows({}, 0, drop - 1);
        m_entries.remove(0, drop);
        endRemoveRows();
    }
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.append(Entry {QDateTime::currentDateTime(), qBound(0, level, 2), category, message});
    endInsertRows();
    Q_EMIT countChanged();
}

void LogModel::clear()
{
    beginResetModel();
    m_entries.clear();
    endResetModel();
    Q_EMIT countChanged();
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Entry &e = m_entries[index.row()];
    switch (role) {
    case TimeRole:
        return e.at.toString(QStringLiteral("HH:mm:ss.zzz"));
    case LevelRole:
        return e.level;
    case CategoryRole:
        return e.category;
    case Qt::DisplayRole:
    case MessageRole:
        return e.message;
    case LineRole:
        return e.line();
    default:
        return {};
    }
}

QHash<int, QByteArray> LogModel::roleNames() const
{
    return {{TimeRole, "time"},
            {LevelRole, "level"},
            {CategoryRole, "category"},
            {MessageRole, "message"},
            {LineRole, "line"}};
}

LogFilterModel::LogFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    connect(this, &QAbstractItemModel::rowsInserted, this, &LogFilterModel::countChanged);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &LogFilterModel::countChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &LogFilterModel::countChanged);
    connect(this, &QAbstractItemModel::layoutChanged, this, &LogFilterModel::countChanged);
}

void LogFilterModel::setFilterText(const QString &text)
{
    if (text == m_filterText)
        return;
    m_filterText = text;
    invalidateRowsFilter();
    Q_EMIT filterChanged();
    Q_EMIT countChanged();
}

void LogFilterModel::setMinimumLevel(int level)
{
    if (level == m_minimumLevel)
        return;
    m_minimumLevel = level;
    invalidateRowsFilter();
    Q_EMIT filterChanged();
    Q_EMIT countChanged();
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
    if (idx.data(LogModel::LevelRole).toInt() < m_minimumLevel)
        return false;
    return m_filterText.isEmpty()
        || idx.data(LogModel::LineRole).toString().contains(m_filterText, Qt::CaseInsensitive);
}

QString LogFilterModel::text() const
{
    QStringList lines;
    lines.reserve(rowCount());
    for (int row = 0; row < rowCount(); ++row)
        lines << index(row, 0).data(LogModel::LineRole).toString();
    return lines.join(QLatin1Char('\n'));
}

void LogFilterModel::copyToClipboard() const
{
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(text());
}

} // namespace GroupLoop
