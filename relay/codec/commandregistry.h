// CommandRegistry: the commands a relay accepts and the parameters each needs, loaded from
// commands.json ({"commands": {"<name>": {"parameters": [...], "description": "..."}}}).
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace GroupLoop {

class CommandRegistry
{
public:
    struct Command
    {
        QString name;
        QStringList parameters;
        QString description;
        friend bool operator==(const Command &a, const Command &b)
        {
            return a.name == b.name && a.parameters == b.parameters && a.description == b.description;
        }
    };

    static constexpr qsizetype MaxJsonBytes = 1024 * 1024;

    CommandRegistry() = default;

    // The 12 commands the firmware understands, from resources/commands.json.
    static const CommandRegistry &builtIn();

    // Parses a commands.json document. On failure returns nullopt and sets *error to a
    // sentence that says what is wrong and where.
    static std::optional<CommandRegistry> fromJson(const QByteArray &json, QString *error = nullptr);
    static std::optional<CommandRegistry> fromFile(const QString &path, QString *error = nullptr);

    // Commands of `other` replace same-named ones here; new ones are added.
    void merge(const CommandRegistry &other);

    bool isEmpty() const { return m_commands.isEmpty(); }
    qsizetype size() const { return m_commands.size(); }
    const Command *find(const QString &name) const;
    bool contains(const QString &name) const { return find(name) != nullptr; }
    QStringList names() const;
    const QList<Command> &commands() const { return m_commands; }

    // The reply the original relay gave when `command` with `params` cannot be sent,
    // or nullopt when it may be sent.
    std::optional<QString> rejection(const QString &command, const QString &params) const;

    QByteArray toJson() const; // same shape as commands.json, compact

private:
    QList<Command> m_commands; // kept sorted by name
};

} // namespace GroupLoop
