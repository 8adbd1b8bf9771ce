// RelayConfig: everything a RelayServer can be told, with the defaults the headless relay uses.
#pragma once

#include "busymeter.h"
#include "clusterprotocol.h"
#include "commandregistry.h"
#include "protocol.h"
#include "relayauth.h"
#include "webroot.h"

#include <QHostAddress>
#include <QSslConfiguration>
#include <QString>

namespace GroupLoop {

struct RelayConfig;
// The firmware folder the relay serves: firmwareDir, else <web root>/firmware when that folder
// exists (the old hub's layout), else none (empty). The headless relay and the console's
// built-in one alike.
QString firmwareFolder(const RelayConfig &config);

struct RelayConfig
{
    QHostAddress host = QHostAddress::Any;
    quint16 port = Protocol::DefaultPort; // 0 picks a free port (tests)

    CommandRegistry registry = CommandRegistry::builtIn();
    // ota also needs a sender that authenticated with a controller token.
    bool allowOta = false;

    // Firmware (docs/ota.md): the folder served under /firmware/ (empty: the web root's
    // firmware/ if there is one, see firmwareFolder(), else none), the largest image
    // PUT /firmware/<name> takes, and the http(s):// base devices fetch images from when the
    // relay's own address on their connection is not one they can reach (a proxy, NAT).
    QString firmwareDir;
    qint64 maxFirmwareBytes = 8 * 1024 * 1024;
    QString publicHttpUrl;

    // Tokens (relayauth.h). Empty sets let everybody in, as the original relay did.
    RelayAccess access;

    // TLS: with tlsEnabled, wss:// and HTTPS are served on tlsPort and plain ws:// stays on
    // port; with tlsPort -1, TLS replaces plain on port. tls holds the certificate and key.
    bool tlsEnabled = false;
    QSslConfiguration tls;
    int tlsPort = -1; // 0 picks a free port (tests)

    // Fan-out: frames that arrive within one event-loop pass (under load, within fanoutMs; or
    // within batchMs) are joined into one newline-separated message per subscriber.
    // oneFramePerMessage restores the original relay's one message per frame.
    int batchMs = 0;
    bool oneFramePerMessage = false;
    // While frames keep coming, each subscriber gets at most one message per fanoutMs: the
    // frames of the passes in between are joined into it. A frame after a quiet spell goes out
    // at the end of its pass, as with 0. Under load, each message to a subscriber costs far more
    // CPU than the frames in it, so this buys CPU for at most fanoutMs of latency.
    int fanoutMs = 8;
    // On the epoll loop, while busy: at least this long between two passes over the sockets, so
    // each pass reads (and each message to a subscriber carries) what arrived meanwhile. An idle
    // relay answers at once. 0: a pass for every wake-up.
    qint64 coalesceUs = 4000;
    // Busy, for both: from this many frames (fan-out) or socket reports (epoll) a second, and
    // until the rate falls under half of it (BusyMeter). Below it every pass's frames leave at
    // once: at light load pacing saves little CPU and costs latency. 0: always paced.
    int busyPerSecond = BusyMeter::DefaultPerSecond;

    // Slow consumers: over outboxHighWaterBytes queued, sensor frames are coalesced per device
    // (last value wins); stuck over it for slowConsumerTimeoutMs, the subscriber is closed.
    qint64 outboxHighWaterBytes = 1024 * 1024;
    int slowConsumerTimeoutMs = 10000;

    // Input limits.
    qint64 maxMessageBytes = 8 * 1024;
    qint64 maxFrameBytes = 8 * 1024;
    int maxRequestHeadBytes = 8 * 1024;
    int handshakeTimeoutMs = 5000;
    int maxConnections = 10000;
    // Per connection, sustained; bursts up to one second's worth (see protocol.h).
    double maxFramesPerSecond = Protocol::DefaultMaxFramesPerSecond;

    // Keepalive, as the original: ping every 20 s, drop a peer silent for 20 s after a ping.
    int pingIntervalMs = 20000;
    int pongTimeoutMs = 20000;

    // Recording (docs/recording.md): every frame (once per fan-out pass) and every command
    // with its result go to a session file; empty = off. Rotation starts a new part when a
    // part reaches recordRotateBytes or recordRotateMs (0 = never).
    QString recordPath;
    qint64 recordRotateBytes = 0;
    qint64 recordRotateMs = 0;

    // --web-root (docs/hub.md): the browser apps, shared JavaScript and commands.json of the old
    // hub, served on the relay's port; its commands.json is merged into the registry by listen().
    WebRootSettings webRoot;

    // Cluster mode (--redis): relays sharing one Redis; unset, a single relay as ever.
    std::optional<Cluster::ClusterSettings> cluster;
};

} // namespace GroupLoop
