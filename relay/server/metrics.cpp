// GET /metrics: the relay's counters in the Prometheus text exposition format (version 0.0.4).
#include "relayserver_p.h"

#include <QWebSocket>

namespace GroupLoop {

namespace {

class PrometheusText
{
public:
    void family(const char *name, const char *type, const char *help)
    {
        m_out += "# HELP grouploop_relay_";
        m_out += name;
        m_out += ' ';
        m_out += help;
        m_out += "\n# TYPE grouploop_relay_";
        m_out += name;
        m_out += ' ';
        m_out += type;
        m_out += '\n';
    }
    void sample(const char *name, double value, const QByteArray &labels = {})
    {
        m_out += "grouploop_relay_";
        m_out += name;
        if (!labels.isEmpty())
            m_out += '{' + labels + '}';
        m_out += ' ';
        m_out += QByteArray::number(value, 'g', 17);
        m_out += '\n';
    }
    void single(const char *name, const char *type, const char *help, double value)
    {
        family(name, type, help);
        sample(name, value);
    }
    QByteArray text() const { return m_out; }

private:
    QByteArray m_out;
};

} // namespace

QByteArray RelayServerPrivate::metricsText() const
{
    const RelayStats s = q->stats();
    int devices = 0, subscribers = 0, others = 0;
    for (const Client *client : m_clients) {
        if (client->subscriber)
            ++subscribers;
        else if (!client->ownedIds.isEmpty())
            ++devices;
        else
            ++others;
    }

    PrometheusText p;
    p.family("info", "gauge", "Relay version.");
    p.sample("info", 1, "version=\"" GROUPLOOP_VERSION "\"");
    p.single("uptime_seconds", "gauge", "Seconds since the relay started.", double(s.uptimeMs) / 1000.0);
    p.family("connections", "gauge",
             "Open WebSocket connections by role (subscriber, device: sent frames, other).");
    p.sample("connections", subscribers, "role=\"subscriber\"");
    p.sample("connections", devices, "role=\"device\"");
    p.sample("connections", others, "role=\"other\"");
    p.single("pending_handshakes", "gauge", "TCP connections whose request head is still being read.",
             double(m_pendingHeads.size()));
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
    return p.text();
}

} // namespace GroupLoop
