// Show control over OSC: what a show controller (QLab, TouchDesigner, a script) may ask.
//   /grouploop/cmd <target> <command> [<param>...]   target "all" or a device id; params are
//                                                    joined with ':' (led_set 2 00ff00 -> "2:00ff00")
//   /grouploop/select [<id>...]                      sets the console's selection (none: clears it)
// Each is answered with /grouploop/result <text> to the sender. `ota` is always refused here:
// flashing firmware is never a show cue. Other commands pass a CommandGate, which the console
// backs with the registry its command panel uses.
#pragma once

#include "commandregistry.h"
#include "oscmessage.h"

#include <QList>
#include <QString>

#include <optional>

namespace GroupLoop {

struct ShowRequest
{
    enum class Kind { Command, Select };
    Kind kind = Kind::Command;
    QString target; // Command: "all" or four lowercase hex digits
    QString command;
    QString params;
    QList<quint16> ids; // Select

    // "cmd 00ab led", "select": what a reply is about.
    QString label() const;
};

class CommandGate
{
public:
    virtual ~CommandGate() = default;
    // Why the command may not be sent, in the relay's words ("Unknown command: x"), or nullopt.
    virtual std::optional<QString> rejection(const QString &command, const QString &params) const = 0;
};

// The gate over a CommandRegistry (by default the 12 built-in commands).
class RegistryCommandGate : public CommandGate
{
public:
    explicit RegistryCommandGate(const CommandRegistry &registry = CommandRegistry::builtIn());
    std::optional<QString> rejection(const QString &command, const QString &params) const override;

private:
    CommandRegistry m_registry;
};

namespace ShowControl {

inline constexpr int MaxIds = 1024;
QByteArray commandAddress(); // /grouploop/cmd
QByteArray selectAddress(); // /grouploop/select
QByteArray resultAddress(); // /grouploop/result

// The request in an OSC message, or nullopt with *error saying why it is not one (including
// "refused: ota is not accepted over OSC").
std::optional<ShowRequest> parse(const Osc::Message &message, QString *error);
Osc::Message result(const QString &text);

} // namespace ShowControl

} // namespace GroupLoop
