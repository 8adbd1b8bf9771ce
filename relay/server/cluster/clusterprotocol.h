// The cluster backplane's wire format on Redis (docs/operations.md, "Cluster on Redis"):
// the --redis URL, channel and key names, and the messages relays publish to each other.
// Pure functions, no network: RedisBackplane speaks them, tests check them.
#pragma once

#include "sensorframe.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <optional>

class QHostInfo;
class QObject;

namespace GroupLoop::Cluster {

// redis://[[user]:password@]host[:port][/db]
struct RedisUrl
{
    QString host;
    quint16 port = 6379;
    int db = 0;
    QString password;

    // On failure returns nullopt and sets *error to one line.
    static std::optional<RedisUrl> parse(const QString &text, QString *error);
    QString toDisplayString() const; // without the password
};

// What --redis and its companion flags configure.
struct ClusterSettings
{
    RedisUrl url;
    QByteArray prefix = "grouploop:";
    int deviceTtlMs = 10000; // registry expiry; refreshed every third of it
    int commandTimeoutMs = 2000; // a routed command with no answer by then failed
    // Looks a host name up without blocking the caller and calls `done` on `context`'s thread
    // (never after `context` is gone). Empty: QHostInfo::lookupHost. Tests inject slow or failing ones.
    using HostResolver = std::function<void(const QString &host, QObject *context,
                                            std::function<void(const QHostInfo &info)> done)>;
    HostResolver resolveHost;
};

// Names under the key prefix (default "grouploop:").
inline QByteArray framesChannel(const QByteArray &prefix)
{
    return prefix + "frames";
}
inline QByteArray broadcastChannel(const QByteArray &prefix)
{
    return prefix + "all";
}
inline QByteArray relayChannel(const QByteArray &prefix, const QByteArray &relayId)
{
    return prefix + "relay:" + relayId;
}
QByteArray deviceKey(const QByteArray &prefix, quint16 id); // prefix + "device:" + 4 hex digits

// A relay id: no spaces or newlines (it is a token in every message header).
QByteArray makeRelayId(const QString &host, quint16 port, qint64 pid);

// Every message is "<kind> <relay>[ <fields>...]\n<body>": a header line of space-separated
// tokens, then a body that may hold anything (a command's payload keeps its own newlines).
//   frames <relay>\n<frame>\n<frame>\n...      on <prefix>frames, one per flush per relay
//   gone <relay> <device>                      on <prefix>frames: the device left that relay
//   cmd <relay> <serial> <device>\n<payload>   on <prefix>relay:<owner>: send payload to device
//   all <relay> <serial>\n<payload>            on <prefix>all: send payload to every local device
//   result <relay> <serial> success|failed     on <prefix>relay:<asker>: answer to cmd
//   count <relay> <serial> <n>                 on <prefix>relay:<asker>: answer to all
// <relay> is always the sender's relay id; a relay ignores its own messages.
struct Message
{
    enum class Kind { Frames, Gone, Command, Broadcast, Result, Count };

    Kind kind = Kind::Frames;
    QByteArrayView relay;
    quint64 serial = 0;
    quint16 device = 0; // Gone, Command
    bool success = false; // Result
    int count = 0; // Count
    QByteArrayView body; // Frames: the frame lines; Command, Broadcast: the payload

    // Views into `bytes`; nullopt for anything malformed.
    static std::optional<Message> decode(QByteArrayView bytes);
};

QByteArray framesHeader(const QByteArray &relayId); // "frames <relay>\n"; frame lines follow
QByteArray encodeGone(const QByteArray &relayId, quint16 device); // after the relay's last frames of it
QByteArray encodeCommand(const QByteArray &relayId, quint64 serial, quint16 device, const QString &payload);
QByteArray encodeBroadcast(const QByteArray &relayId, quint64 serial, const QString &payload);
QByteArray encodeResult(const QByteArray &relayId, quint64 serial, bool success);
QByteArray encodeCount(const QByteArray &relayId, quint64 serial, int count);

// True if body is made of "<20 lowercase hex digits>\n" records only (decode() checks it).
bool isFramesBody(QByteArrayView body);

// Calls f(id, record) for each record of a body that isFramesBody().
template<typename F> void forEachFrameRecord(QByteArrayView body, F &&f)
{
    for (qsizetype at = 0; at < body.size(); at += SensorFrame::TextLength + 1) {
        const char *record = body.data() + at;
        quint16 id = 0;
        for (int i = 0; i < 4; ++i)
            id = quint16(id << 4 | Hex::digitValue(char16_t(record[i])));
        f(id, record);
    }
}

} // namespace GroupLoop::Cluster
