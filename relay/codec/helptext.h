// How the programs' --help states a flag's default: "Help." becomes "Help (default X).", and a
// help that ends in its own parentheses, "Help (0: off).", becomes "Help (0: off; default X)."
// grouploop-relay and grouploop-sim build their help from their defaults with it, so the help
// cannot drift from what the program does.
#pragma once

#include <QString>

namespace GroupLoop::HelpText {

inline QString withDefault(const QString &help, const QString &value)
{
    if (help.endsWith(QLatin1String(").")))
        return help.chopped(2) + QStringLiteral("; default ") + value + QStringLiteral(").");
    return (help.endsWith(u'.') ? help.chopped(1) : help) + QStringLiteral(" (default ") + value
        + QStringLiteral(").");
}

inline QString withDefault(const QString &help, double value)
{
    return withDefault(help, QString::number(value, 'g', 12));
}

} // namespace GroupLoop::HelpText
