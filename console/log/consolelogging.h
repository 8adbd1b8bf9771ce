// Logging categories of the console, as the relay has its own (relay/server/relaylogging.h).
// Everything the log panel shows reaches the terminal through them too (LogModel::append), at
// the entry's level: QT_LOGGING_RULES="grouploop.console.*=true" shows all of it, and
// grouploop-console itself prints warnings and errors (main() sets grouploop.* to warning).
#pragma once

#include <QLoggingCategory>
#include <QStringView>

Q_DECLARE_LOGGING_CATEGORY(lcConsole) // the program: start-up, anything without a room
Q_DECLARE_LOGGING_CATEGORY(lcConsoleConnection) // the relay connection, /health, /commands.json
Q_DECLARE_LOGGING_CATEGORY(lcConsoleDevices) // devices appearing and being forgotten (debug)
Q_DECLARE_LOGGING_CATEGORY(lcConsoleCommands) // sends and their results
Q_DECLARE_LOGGING_CATEGORY(lcConsoleSessions) // recording and replay
Q_DECLARE_LOGGING_CATEGORY(lcConsoleVirtual) // the simulator's swarm and the emulator

namespace GroupLoop {

using LoggingCategoryFunction = const QLoggingCategory &(*)();

// The category of a log panel entry by its source as the panel shows it ("connection", "relay",
// "command", "record", "replay", "simulator", "emulator"); lcConsole for any other.
LoggingCategoryFunction consoleCategoryFor(QStringView source);

} // namespace GroupLoop
