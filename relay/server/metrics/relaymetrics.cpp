#include "relaymetrics.h"

#include "prometheustext.h"

namespace GroupLoop {

namespace {

// Cluster mode (--redis) only: the backplane's state, latency and traffic.
void appendClusterMetrics(PrometheusText &p, const BackplaneStats &c, int remoteDevices)
{
    p.single("redis_up", "gauge", "1 while connected to Redis (cluster mode), 0 while degraded.",
             c.up ? 1 : 0);
    p.single("redis_latency_seconds", "gauge", "Round trip of the last PING to Redis (-1 before the first).",
             c.latencyUs < 0 ? -1.0 : double(c.latencyUs) / 1e6);
    p.single("redis_latency_max_seconds", "gauge", "Longest PING round trip to Redis so far.",
             double(c.latencyMaxUs) / 1e6);
    p.single("redis_reconnects_total", "counter", "Connections to Redis made again after it was lost.",
             double(c.reconnects));
    p.single("cluster_batches_published_total", "counter", "PUBLISHes of local frames (one per flush).",
             double(c.batchesPublished));
    p.single("cluster_frames_published_total", "counter", "Local frames published to other relays.",
             double(c.framesPublished));
    p.single("cluster_frames_dropped_total", "counter",
             "Local frames not published: Redis down or its backlog full.", double(c.framesDropped));
    p.single("cluster_batches_received_total", "counter", "Frame batches received from other relays.",
             double(c.batchesReceived));
    p.single("cluster_frames_received_total", "counter", "Frames received from other relays.",
             double(c.framesReceived));
    p.single("cluster_malformed_total", "counter", "Backplane messages ignored as malformed.",
             double(c.malformed));
    p.single("remote_devices", "gauge", "Devices streaming through other relays.", double(remoteDevices));
    p.family("cluster_commands_total", "counter", "Commands between relays by outcome.");
    p.sample("cluster_commands_total", double(c.commandsRouted), "result=\"routed\"");
    p.sample("cluster_commands_total", double(c.commandsFailed), "result=\"failed\"");
    p.sample("cluster_commands_total", double(c.commandsServed), "result=\"served\"");
}

} // namespace

RelayMetrics::RelayMetrics(const RelayStats &stats, Connections connections)
    : m_stats(stats)
    , m_connections(connections)
{
}

void RelayMetrics::setCluster(const BackplaneStats &cluster, int remoteDevices)
{
    m_cluster = cluster;
    m_remoteDevices = remoteDevices;
}

QByteArray RelayMetrics::text() const
{
    const RelayStats &s = m_stats;
    PrometheusText p("grouploop_relay_");
    p.family("info", "gauge", "Relay version.");
    p.sample("info", 1, "version=\"" GROUPLOOP_VERSION "\"");
    p.single("uptime_seconds", "gauge", "Seconds since the relay started.", double(s.uptimeMs) / 1000.0);
    p.family("connections", "gauge",
             "Open WebSocket connections by role (subscriber, device: sent frames, other).");
    p.sample("connections", m_connections.subscribers, "role=\"subscriber\"");
    p.sample("connections", m_connections.devices, "role=\"device\"");
    p.sample("connections", m_connections.others, "role=\"other\"");
    p.single("pending_handshakes", "gauge", "TCP connections whose request head is still being read.",
             double(m_connections.pendingHandshakes));
    p.single("devices", "gauge", "Device ids with a route.", s.devices);
    p.single("subscribers", "gauge", "Connections that sent s.", s.subscribers);
    p.single("frames_in_total", "counter", "Sensor frames received.", double(s.framesIn));
    p.single("frames_out_total", "counter", "Sensor frames delivered (one per frame per subscriber).",
             double(s.framesOut));
    p.single("frames_coalesced_total", "counter", "Frames replaced by a newer one for a slow subscriber.",
             double(s.framesCoalesced));
    p.single("junk_lines_total", "counter", "Lines of device data that were not frames.",
             double(s.junkLines));
    p.single("messages_out_total", "counter", "WebSocket messages sent.", double(s.messagesOut));
    p.single("bytes_in_total", "counter", "Text received, in characters.", double(s.bytesIn));
    p.single("bytes_out_total", "counter", "Bytes of WebSocket frames sent.", double(s.bytesOut));
    p.single("outbox_peak_bytes", "gauge", "Most bytes ever queued for one subscriber.",
             double(s.outboxPeakBytes));
    p.family("commands_total", "counter", "Commands by result.");
    p.sample("commands_total", double(s.commandsSent), "result=\"sent\"");
    p.sample("commands_total", double(s.commandsFailed), "result=\"failed\"");
    p.sample("commands_total", double(s.commandsRejected), "result=\"rejected\"");
    p.family("limit_violations_total", "counter", "Connections closed or refused by a limit, by kind.");
    p.sample("limit_violations_total", double(s.closedOversize), "kind=\"oversize\"");
    p.sample("limit_violations_total", double(s.closedRateLimit), "kind=\"rate\"");
    p.sample("limit_violations_total", double(s.closedSlowConsumer), "kind=\"slow_consumer\"");
    p.sample("limit_violations_total", double(s.closedPingTimeout), "kind=\"ping_timeout\"");
    p.sample("limit_violations_total", double(s.rejectedHandshake), "kind=\"handshake\"");
    p.sample("limit_violations_total", double(s.rejectedConnectionLimit), "kind=\"connection_limit\"");
    p.single("auth_failures_total", "counter",
             "Unknown tokens, and subscriptions, commands or frames refused for want of a token.",
             double(s.authFailures));
    p.single("tls_handshake_failures_total", "counter", "TLS handshakes that failed.",
             double(s.tlsHandshakeFailures));
    if (m_cluster)
        appendClusterMetrics(p, *m_cluster, m_remoteDevices);
    return p.text();
}

} // namespace GroupLoop
