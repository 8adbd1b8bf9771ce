// SimCommandLine: grouploop-sim's flags, parsed into a SimulationConfig without side effects
// (no printing, no exiting) so every flag and every error can be tested.
#pragma once

#include "swarmconfig.h"

#include <QString>
#include <QStringList>

namespace GroupLoop {

struct SimOptions
{
    enum class Action { Run, ShowHelp, ShowVersion };

    Action action = Action::Run;
    SimulationConfig config;
    int seconds = 0; // 0 = until Ctrl-C
    int connectTimeoutSeconds = 10; // give up when nothing connected this long
    bool quiet = false; // no per-second progress lines

    // Replay (docs/recording.md): the session file is read by SimApp, not by the parser.
    QString replayPath;
    double replaySpeed = 1.0;
    bool replayLoop = false;
    QString exportCsvPath; // with replayPath: write decoded values as CSV and exit, no network
};

class SimCommandLine
{
public:
    // arguments includes the program name first, as QCoreApplication::arguments().
    // On failure returns false and sets *error to one line naming the flag and the problem.
    static bool parse(const QStringList &arguments, SimOptions *options, QString *error);
    static QString helpText();
};

} // namespace GroupLoop
