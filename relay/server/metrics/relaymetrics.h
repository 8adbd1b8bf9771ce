// RelayMetrics: what GET /metrics answers, the relay's counters as Prometheus text. Built from
// a snapshot (the counters, the connections by role and, in cluster mode, the backplane's), so
// the text is a pure function of what the relay counted.
#pragma once

#include "redisbackplane.h"
#include "relaystats.h"

#include <QByteArray>

#include <optional>

namespace GroupLoop {

class RelayMetrics
{
public:
    // Open connections by what they did: subscribed, sent frames, neither; and those still
    // sending their request head.
    struct Connections
    {
        int subscribers = 0;
        int devices = 0;
        int others = 0;
        int pendingHandshakes = 0;
    };

    RelayMetrics(const RelayStats &stats, Connections connections);
    // Cluster mode (--redis) only: the backplane's state, latency and traffic.
    void setCluster(const BackplaneStats &cluster, int remoteDevices);

    QByteArray text() const;

private:
    RelayStats m_stats;
    Connections m_connections;
    std::optional<BackplaneStats> m_cluster;
    int m_remoteDevices = 0;
};

} // namespace GroupLoop
