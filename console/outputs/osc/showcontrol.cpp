#include "showcontrol.h"

#include "sensorframe.h"

namespace GroupLoop {

QString ShowRequest::label() const
{
    if (kind == Kind::Select)
        return QStringLiteral("select");
    return QStringLiteral("cmd %1 %2").arg(target, command);
}

RegistryCommandGate::RegistryCommandGate(const CommandRegistry &registry)
    : m_registry(registry)
{
}

std::optional<QString> RegistryCommandGate::rejection(const QString &command, const QString &params) const
{
    const auto reply = m_registry.rejection(command, params);
    if (!reply)
        return std::nullopt;
    static const QString prefix = QStringLiteral("cmd:result:");
    return reply->startsWith(prefix) ? reply->mid(prefix.size()) : *reply;
}

namespace ShowControl {

QByteArray commandAddress()
{
    return QByteArrayLiteral("/grouploop/cmd");
}

QByteArray selectAddress()
{
    return QByteArrayLiteral("/grouploop/select");
}

QByteArray resultAddress()
{
    return QByteArrayLiteral("/grouploop/result");
}

namespace {
bool hasControlCharacter(const QString &text)
{
    return std::any_of(text.begin(), text.end(),
                       [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; });
}

std::optional<QString> argumentText(const Osc::Message &message, int index, QString *error)
{
    const Osc::Argument &argument = message.arguments[index];
    const auto text = argument.toText();
    if (!text) {
        *error = QStringLiteral("argument %1 has OSC type '%2'; commands take strings and numbers")
                     .arg(index + 1)
                     .arg(QLatin1Char(char(argument.type())));
        return std::nullopt;
    }
    if (hasControlCharacter(*text)) {
        *error = QStringLiteral("argument %1 has a control character").arg(index + 1);
        return std::nullopt;
    }
    return text;
}

std::optional<ShowRequest> parseCommand(const Osc::Message &message, QString *why)
{
    if (message.arguments.size() < 2) {
        *why = QStringLiteral("/grouploop/cmd needs <target> <command> [<params>...]");
        return std::nullopt;
    }
    ShowRequest request;
    QStringList parts;
    for (int i = 0; i < message.arguments.size(); ++i) {
        const auto text = argumentText(message, i, why);
        if (!text)
            return std::nullopt;
        parts.append(*text);
    }
    request.target = parts[0].trimmed().toLower();
    request.command = parts[1].trimmed();
    request.params = parts.mid(2).join(u':');
    if (request.target != u"all" && !SensorFrame::idFromText(request.target)) {
        *why = QStringLiteral("target \"%1\" is neither all nor a device id (4 hex digits)").arg(parts[0]);
        return std::nullopt;
    }
    if (request.command.isEmpty() || request.command.contains(u':')) {
        *why = QStringLiteral("command \"%1\" is empty or has a ':'").arg(parts[1]);
        return std::nullopt;
    }
    // Flashing firmware is not a show cue: whatever the registry allows, not from here.
    if (request.command.compare(u"ota", Qt::CaseInsensitive) == 0) {
        *why = QStringLiteral("refused: ota is not accepted over OSC");
        return std::nullopt;
    }
    return request;
}

std::optional<ShowRequest> parseSelect(const Osc::Message &message, QString *why)
{
    if (message.arguments.size() > MaxIds) {
        *why = QStringLiteral("/grouploop/select takes at most %1 ids").arg(MaxIds);
        return std::nullopt;
    }
    ShowRequest request;
    request.kind = ShowRequest::Kind::Select;
    for (int i = 0; i < message.arguments.size(); ++i) {
        const auto text = argumentText(message, i, why);
        if (!text)
            return std::nullopt;
        const auto id = SensorFrame::idFromText(text->trimmed());
        if (!id) {
            *why = QStringLiteral("argument %1 \"%2\" is not a device id (4 hex digits)")
                       .arg(i + 1)
                       .arg(*text);
            return std::nullopt;
        }
        if (!request.ids.contains(*id))
            request.ids.append(*id);
    }
    return request;
}
} // namespace

std::optional<ShowRequest> parse(const Osc::Message &message, QString *error)
{
    QString why;
    std::optional<ShowRequest> request;
    if (message.address == commandAddress())
        request = parseCommand(message, &why);
    else if (message.address == selectAddress())
        request = parseSelect(message, &why);
    else
        why = QStringLiteral("unknown address %1 (this port takes /grouploop/cmd and /grouploop/select)")
                  .arg(QString::fromLatin1(message.address));
    if (!request && error)
        *error = why;
    return request;
}

Osc::Message result(const QString &text)
{
    return Osc::Message {resultAddress(), {Osc::Argument::string(text)}};
}

} // namespace ShowControl

} // namespace GroupLoop
