// RelayOptions: the grouploop-relay command line (flags first, then the old relay's
// environment variables as fallbacks).
#pragma once

#include "relayconfig.h"

#include <QProcessEnvironment>
#include <QStringList>
#include <QUrl>

namespace GroupLoop {

struct RelayOptions
{
    enum class Outcome { Run, ShowHelp, ShowVersion, Error };

    RelayConfig config;
    QString commandsFile;
    QUrl commandsUrl; // fetched in the background; the relay serves built-ins meanwhile
    QString logLevel = QStringLiteral("info");
    QString logFormat = QStringLiteral("text"); // or json

    // Parses arguments (argv[0] first). On Error, *error holds one line for the user.
    Outcome parse(const QStringList &arguments, const QProcessEnvironment &environment, QString *error);
    QString helpText() const { return m_helpText; }

    // Applies logLevel (debug, info, warning, error) to the grouploop.* logging categories.
    static bool applyLogLevel(const QString &level);

private:
    QString m_helpText;
};

} // namespace GroupLoop
