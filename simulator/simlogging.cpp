#include "simlogging.h"

Q_LOGGING_CATEGORY(lcSim, "grouploop.sim", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSimLink, "grouploop.sim.link", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSimReplay, "grouploop.sim.replay", QtInfoMsg)
