// RegistryModel: the commands the relay accepts (its /commands.json, the built-in list as a
// fallback), for the command panel's generic controls and the raw line's completion.
#pragma once

#include "commandregistry.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

class RegistryModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by the console")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(QStringList names READ names NOTIFY countChanged)
    // Commands without a dedicated control (the panel's generic form lists them).
    Q_PROPERTY(int genericCount READ genericCount NOTIFY countChanged)

public:
    enum Role { NameRole = Qt::UserRole + 1, ParametersRole, DescriptionRole, HasWidgetRole };

    explicit RegistryModel(QObject *parent = nullptr);

    void setRegistry(const CommandRegistry &registry);
    const CommandRegistry &registry() const { return m_registry; }
    QStringList names() const { return m_registry.names(); }
    int genericCount() const;

    // Commands the panel has a dedicated control for; the rest get a generic form.
    static bool hasDedicatedWidget(const QString &name);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE bool contains(const QString &name) const { return m_registry.contains(name); }
    Q_INVOKABLE QStringList parametersOf(const QString &name) const;
    Q_INVOKABLE QString descriptionOf(const QString &name) const;
    // Completions for a raw command line: command names, then known values after the colon.
    Q_INVOKABLE QStringList complete(const QString &prefix) const;

Q_SIGNALS:
    void countChanged();

private:
    CommandRegistry m_registry;
};

} // namespace GroupLoop
