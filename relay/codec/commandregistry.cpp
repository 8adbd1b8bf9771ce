#include "commandregistry.h"

#include "protocol.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace GroupLoop {

namespace {
QString quoteForPython(const QString &item)
{
    // repr(str): single quotes unless the text has a single quote and no double quote.
    const bool useDouble = item.contains(u'\'') && !item.contains(u'"');
    const QChar quote = useDouble ? u'"' : u'\'';
    QString out = quote;
    for (QChar c : item) {
        if (c == u'\\')
            out += QStringLiteral("\\\\");
        else if (c == quote)
            out += QStringLiteral("\\") + c;
        else if (c == u'\n')
            out += QStringLiteral("\\n");
        else if (c == u'\r')
            out += QStringLiteral("\\r");
        else if (c == u'\t')
            out += QStringLiteral("\\t");
        else
            out += c;
    }
    return out + quote;
}
} // namespace

QString Protocol::pythonListRepr(const QStringList &items)
{
    QStringList quoted;
    quoted.reserve(items.size());
    for (const QString &item : items)
        quoted.append(quoteForPython(item));
    return QLatin1Char('[') + quoted.join(QStringLiteral(", ")) + QLatin1Char(']');
}

const CommandRegistry &CommandRegistry::builtIn()
{
    static const CommandRegistry registry = [] {
        QString error;
        auto loaded = fromFile(QStringLiteral(":/grouploop/commands.json"), &error);
        Q_ASSERT_X(loaded, "CommandRegistry::builtIn", qPrintable(error));
        return loaded.value_or(CommandRegistry());
    }();
    return registry;
}

std::optional<CommandRegistry> CommandRegistry::fromJson(const QByteArray &json, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (json.size() > MaxJsonBytes)
        return fail(QStringLiteral("command registry is %1 bytes, more than the %2 allowed")
                        .arg(json.size())
                        .arg(MaxJsonBytes));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("command registry is not valid JSON at offset %1: %2")
                        .arg(parseError.offset)
                        .arg(parseError.errorString()));
    if (!doc.isObject() || !doc.object().value(u"commands").isObject())
        return fail(QStringLiteral("command registry has no \"commands\" object at the top level"));

    CommandRegistry registry;
    const QJsonObject commands = doc.object().value(u"commands").toObject();
    for (auto it = commands.begin(); it != commands.end(); ++it) {
        if (it.key().isEmpty() || it.key().contains(u':'))
            return fail(QStringLiteral("command name \"%1\" is empty or contains ':'").arg(it.key()));
        if (!it.value().isObject())
            return fail(QStringLiteral("command \"%1\" is not an object").arg(it.key()));
        const QJsonObject entry = it.value().toObject();
        Command command {it.key(), {}, entry.value(u"description").toString()};
        const QJsonValue parameters = entry.value(u"parameters");
        if (!parameters.isUndefined() && !parameters.isNull()) {
            if (!parameters.isArray())
                return fail(QStringLiteral("command \"%1\": \"parameters\" is not a list").arg(it.key()));
            for (const QJsonValue &parameter : parameters.toArray()) {
                if (!parameter.isString())
                    return fail(QStringLiteral("command \"%1\": every parameter name must be a string")
                                    .arg(it.key()));
                command.parameters.append(parameter.toString());
            }
        }
        registry.m_commands.append(command); // QJsonObject iterates in key order: stays sorted
    }
    return registry;
}

std::optional<CommandRegistry> CommandRegistry::fromFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read command registry %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    QString why;
    auto registry = fromJson(file.read(MaxJsonBytes + 1), &why);
    if (!registry && error)
        *error = path + QStringLiteral(": ") + why;
    return registry;
}

void CommandRegistry::merge(const CommandRegistry &other)
{
    for (const Command &command : other.m_commands) {
        auto it = std::lower_bound(m_commands.begin(), m_commands.end(), command.name,
                                   [](const Command &c, const QString &name) { return c.name < name; });
        if (it != m_commands.end() && it->name == command.name)
            *it = command;
        else
            m_commands.insert(it, command);
    }
}

const CommandRegistry::Command *CommandRegistry::find(const QString &name) const
{
    auto it = std::lower_bound(m_commands.cbegin(), m_commands.cend(), name,
                               [](const Command &c, const QString &n) { return c.name < n; });
    return (it != m_commands.cend() && it->name == name) ? &*it : nullptr;
}

QStringList CommandRegistry::names() const
{
    QStringList out;
    out.reserve(m_commands.size());
    for (const Command &command : m_commands)
        out.append(command.name);
    return out;
}

std::optional<QString> CommandRegistry::rejection(const QString &command, const QString &params) const
{
    const Command *entry = find(command);
    if (!entry)
        return Protocol::commandUnknown(command);
    if (!entry->parameters.isEmpty() && params.isEmpty())
        return Protocol::commandNeedsParameters(command, entry->parameters);
    return std::nullopt;
}

QByteArray CommandRegistry::toJson() const
{
    QJsonObject commands;
    for (const Command &command : m_commands) {
        commands.insert(
            command.name,
            QJsonObject {{QStringLiteral("parameters"), QJsonArray::fromStringList(command.parameters)},
                         {QStringLiteral("description"), command.description}});
    }
    return QJsonDocument(QJsonObject {{QStringLiteral("commands"), commands}}).toJson(QJsonDocument::Compact);
}

} // namespace GroupLoop
