// LogModel: connection events, command results and errors, newest last, bounded.
// LogFilterModel filters it by text and minimum level and copies what is shown.
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QSortFilterProxyModel>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

class LogModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by the console")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Level { Info = 0, Warning = 1, Error = 2 };
    Q_ENUM(Level)
    enum Role { TimeRole = Qt::UserRole + 1, LevelRole, CategoryRole, MessageRole, LineRole };

    struct Entry
    {
        QDateTime at;
        int level = Info;
        QString category;
        QString message;
        QString line() const;
    };

    explicit LogModel(QObject *parent = nullptr);
    void setMaxEntries(int max) { m_maxEntries = qMax(10, max); }

    Q_INVOKABLE void append(int level, const QString &category, const QString &message);
    Q_INVOKABLE void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    QList<Entry> m_entries;
    int m_maxEntries = 5000;
};

class LogFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString filterText READ filterText WRITE setFilterText NOTIFY filterChanged)
    Q_PROPERTY(int minimumLevel READ minimumLevel WRITE setMinimumLevel NOTIFY filterChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    explicit LogFilterModel(QObject *parent = nullptr);

    QString filterText() const { return m_filterText; }
    void setFilterText(const QString &text);
    int minimumLevel() const { return m_minimumLevel; }
    void setMinimumLevel(int level);
    int count() const { return rowCount(); }

    // The shown lines, one per line, as "HH:mm:ss.zzz LEVEL [category] message".
    Q_INVOKABLE QString text() const;
    Q_INVOKABLE void copyToClipboard() const;

Q_SIGNALS:
    void filterChanged();
    void countChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_filterText;
    int m_minimumLevel = LogModel::Info;
};

} // namespace GroupLoop
