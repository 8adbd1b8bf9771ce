// Logging categories of the simulator, named like the relay's (relaylogging.h): select them with
// QT_LOGGING_RULES, e.g. "grouploop.sim.link.debug=true" for every socket's connects and closes.
// Messages start with a [TAG]. grouploop-sim's own progress lines go to stdout, not through these.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcSim) // the swarm: start, stop, firmware updates
Q_DECLARE_LOGGING_CATEGORY(lcSimLink) // each device socket: connects, closes, back-off (debug)
Q_DECLARE_LOGGING_CATEGORY(lcSimReplay) // replaying a recorded session
