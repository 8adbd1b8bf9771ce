#include "consolelogging.h"

Q_LOGGING_CATEGORY(lcConsole, "grouploop.console", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConsoleConnection, "grouploop.console.connection", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConsoleDevices, "grouploop.console.devices", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConsoleCommands, "grouploop.console.commands", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConsoleSessions, "grouploop.console.sessions", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConsoleVirtual, "grouploop.console.virtual", QtInfoMsg)

namespace GroupLoop {

LoggingCategoryFunction consoleCategoryFor(QStringView source)
{
    struct Room
    {
        QStringView source;
        LoggingCategoryFunction category;
    };
    static constexpr Room rooms[] = {
        {u"connection", lcConsoleConnection}, {u"relay", lcConsoleConnection},
        {u"command", lcConsoleCommands},      {u"record", lcConsoleSessions},
        {u"replay", lcConsoleSessions},       {u"simulator", lcConsoleVirtual},
        {u"emulator", lcConsoleVirtual},
    };
    for (const Room &room : rooms)
        if (room.source == source)
            return room.category;
    return lcConsole;
}

} // namespace GroupLoop
