#include "registrymodel.h"

#include <algorithm>

namespace GroupLoop {

RegistryModel::RegistryModel(QObject *parent)
    : QAbstractListModel(parent)
    , m_registry(CommandRegistry::builtIn())
{
}

void RegistryModel::setRegistry(const CommandRegistry &registry)
{
    beginResetModel();
    m_registry = registry;
    endResetModel();
    Q_EMIT countChanged();
}

bool RegistryModel::hasDedicatedWidget(const QString &name)
{
    static const QStringList dedicated
        = {QStringLiteral("led"),          QStringLiteral("pattern"), QStringLiteral("brightness"),
           QStringLiteral("spring_param"), QStringLiteral("vibrate"), QStringLiteral("reset"),
           QStringLiteral("status"),       QStringLiteral("led_set"), QStringLiteral("led_off"),
           QStringLiteral("led_all_off"),  QStringLiteral("ota")};
    return dedicated.contains(name);
}

int RegistryModel::genericCount() const
{
    return int(std::count_if(m_registry.commands().cbegin(), m_registry.commands().cend(),
                             [](const CommandRegistry::Command &c) { return !hasDedicatedWidget(c.name); }));
}

int RegistryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_registry.size());
}

QVariant RegistryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const CommandRegistry::Command &c = m_registry.commands()[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return c.name;
    case ParametersRole:
        return c.parameters;
    case DescriptionRole:
        return c.description;
    case HasWidgetRole:
        return hasDedicatedWidget(c.name);
    default:
        return {};
    }
}

QHash<int, QByteArray> RegistryModel::roleNames() const
{
    return {{NameRole, "name"},
            {ParametersRole, "parameters"},
            {DescriptionRole, "description"},
            {HasWidgetRole, "hasWidget"}};
}

QStringList RegistryModel::parametersOf(const QString &name) const
{
    const auto *c = m_registry.find(name);
    return c ? c->parameters : QStringList();
}

QString RegistryModel::descriptionOf(const QString &name) const
{
    const auto *c = m_registry.find(name);
    return c ? c->description : QString();
}

QStringList RegistryModel::complete(const QString &prefix) const
{
    QStringList out;
    const int colon = prefix.indexOf(QLatin1Char(':'));
    if (colon < 0) {
        for (const QString &name : m_registry.names())
            if (name.startsWith(prefix, Qt::CaseInsensitive))
                out << (parametersOf(name).isEmpty() ? name : name + QLatin1Char(':'));
        return out;
    }
    const QString command = prefix.left(colon);
    const QString rest = prefix.mid(colon + 1);
    QStringList values;
    if (command == QLatin1String("pattern"))
        values = {QStringLiteral("breathing"), QStringLiteral("heartbeat"), QStringLiteral("solid"),
                  QStringLiteral("cycle"),     QStringLiteral("spring"),    QStringLiteral("off")};
    else if (command == QLatin1String("led"))
        values = {QStringLiteral("ff0000"), QStringLiteral("00ff00"), QStringLiteral("0000ff"),
                  QStringLiteral("ffffff")};
    else if (command == QLatin1String("led_set") || command == QLatin1String("led_off"))
        values = {QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2"),
                  QStringLiteral("3"), QStringLiteral("4"), QStringLiteral("5")};
    for (const QString &v : values)
        if (v.startsWith(rest))
            out << command + QLatin1Char(':') + v;
    return out;
}

} // namespace GroupLoop
