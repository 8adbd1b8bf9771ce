// RelayStats: counters a running relay exposes on /health and /metrics.
#pragma once

#include <QtGlobal>

namespace GroupLoop {

struct RelayStats
{
    qint64 uptimeMs = 0;
    int connections = 0;
    int devices = 0;
    int subscribers = 0;

    quint64 framesIn = 0;
    quint64 framesOut = 0; // frame deliveries: one per frame per subscriber
    quint64 messagesOut = 0;
    quint64 bytesIn = 0;
    quint64 bytesOut = 0;
    quint64 framesCoalesced = 0; // dropped for a slow subscriber (a newer frame replaced it)
    quint64 junkLines = 0;
    qint64 outboxPeakBytes = 0; // most bytes ever queued in user space for one subscriber

    quint64 commandsSent = 0;
    quint64 commandsFailed = 0;
    quint64 commandsRejected = 0;

    // Limit violations, by kind.
    quint64 closedOversize = 0;
    quint64 closedRateLimit = 0;
    quint64 closedSlowConsumer = 0;
    quint64 closedPingTimeout = 0;
    quint64 rejectedHandshake = 0; // bad/oversized request head or handshake timeout
    quint64 rejectedConnectionLimit = 0;

    quint64 authFailures = 0; // unknown tokens, and actions refused for want of one
    quint64 tlsHandshakeFailures = 0;
};

} // namespace GroupLoop
