#include "relaylogging.h"

Q_LOGGING_CATEGORY(lcRelay, "grouploop.relay", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelayCommands, "grouploop.relay.commands", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelayLimits, "grouploop.relay.limits", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelayHttp, "grouploop.relay.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelayFrames, "grouploop.relay.frames", QtWarningMsg)
Q_LOGGING_CATEGORY(lcRelayCluster, "grouploop.relay.cluster", QtInfoMsg)
