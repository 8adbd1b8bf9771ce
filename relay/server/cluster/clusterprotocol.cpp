#include "clusterprotocol.h"

#include "sensorframe.h"

#include <QList>
#include <QUrl>

#include <limits>

namespace GroupLoop::Cluster {

namespace {

constexpr qsizetype RecordLength = SensorFrame::TextLength + 1; // a frame and its newline

bool isLowerHex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool isToken(QByteArrayView token)
{
    if (token.isEmpty())
        return false;
    for (char c : token) {
        if (c <= ' ' || c == 0x7f)
            return false;
    }
    return true;
}

std::optional<quint64> number(QByteArrayView token)
{
    if (token.isEmpty() || token.size() > 20)
        return std::nullopt;
    quint64 value = 0;
    for (char c : token) {
        const quint64 digit = quint64(c - '0');
        if (c < '0' || c > '9' || value > (std::numeric_limits<quint64>::max() - digit) / 10)
            return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

QByteArray header(const char *kind, const QByteArray &relayId, quint64 serial)
{
    return QByteArray(kind) + ' ' + relayId + ' ' + QByteArray::number(serial);
}

} // namespace

std::optional<RedisUrl> RedisUrl::parse(const QString &text, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<RedisUrl> {
        if (error)
            *error = QStringLiteral("--redis: '%1' %2").arg(text, why);
        return std::nullopt;
    };
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return fail(QStringLiteral("is not a URL (redis://host[:port][/db])"));
    if (url.scheme() == u"rediss")
        return fail(QStringLiteral("uses TLS, which this relay does not speak to Redis; use redis://"));
    if (url.scheme() != u"redis")
        return fail(QStringLiteral("is not a redis:// URL (redis://host[:port][/db])"));
    if (url.host().isEmpty())
        return fail(QStringLiteral("has no host"));
    if (url.hasQuery() || url.hasFragment())
        return fail(QStringLiteral("has a query or fragment; only redis://host[:port][/db] is understood"));
    RedisUrl out;
    out.host = url.host();
    const int port = url.port(6379);
    if (port <= 0 || port > 65535)
        return fail(QStringLiteral("has no valid port"));
    out.port = quint16(port);
    const QString path = url.path();
    if (!path.isEmpty() && path != u"/") {
        bool ok = false;
        const int db = path.mid(1).toInt(&ok);
        if (!ok || db < 0 || path.mid(1).contains(u'/') || path.mid(1) != QString::number(db))
            return fail(QStringLiteral("has a path that is not a database number (/0, /1, ...)"));
        out.db = db;
    }
    out.password = url.password();
    return out;
}

QString RedisUrl::toDisplayString() const
{
    const QString hostPart = host.contains(u':') ? u'[' + host + u']' : host;
    return QStringLiteral("redis://%1:%2/%3").arg(hostPart).arg(port).arg(db);
}

QByteArray deviceKey(const QByteArray &prefix, quint16 id)
{
    return prefix + "device:" + SensorFrame::idToText(id).toLatin1();
}

QByteArray makeRelayId(const QString &host, quint16 port, qint64 pid)
{
    QByteArray id = host.toUtf8() + ':' + QByteArray::number(port) + ':' + QByteArray::number(pid);
    for (char &c : id) {
        if (c <= ' ' || c == 0x7f)
            c = '_';
    }
    return id;
}

bool isFramesBody(QByteArrayView body)
{
    if (body.size() % RecordLength != 0)
        return false;
    for (qsizetype at = 0; at < body.size(); at += RecordLength) {
        const char *frame = body.data() + at;
        for (int i = 0; i < SensorFrame::TextLength; ++i) {
            if (!isLowerHex(frame[i]))
                return false;
        }
        if (frame[SensorFrame::TextLength] != '\n')
            return false;
    }
    return true;
}

std::optional<Message> Message::decode(QByteArrayView bytes)
{
    const qsizetype newline = bytes.indexOf('\n');
    const QByteArrayView head = newline < 0 ? bytes : bytes.first(newline);
    const QByteArrayView body = newline < 0 ? QByteArrayView() : bytes.sliced(newline + 1);
    QList<QByteArrayView> tokens;
    for (qsizetype start = 0; start <= head.size();) {
        qsizetype space = head.indexOf(' ', start);
        if (space < 0)
            space = head.size();
        tokens.append(head.sliced(start, space - start));
        start = space + 1;
        if (tokens.size() > 4)
            return std::nullopt;
    }
    if (tokens.size() < 2 || !isToken(tokens[1]))
        return std::nullopt;
    for (const QByteArrayView token : std::as_const(tokens)) {
        if (!isToken(token))
            return std::nullopt;
    }
    Message m;
    m.relay = tokens[1];
    const QByteArrayView kind = tokens[0];
    const auto serial = tokens.size() > 2 ? number(tokens[2]) : std::nullopt;
    if (kind == "frames") {
        if (tokens.size() != 2 || newline < 0 || !isFramesBody(body))
            return std::nullopt;
        m.kind = Kind::Frames;
        m.body = body;
        return m;
    }
    if (kind == "gone") {
        const auto id
            = tokens.size() == 3 ? SensorFrame::idFromText(QString::fromLatin1(tokens[2])) : std::nullopt;
        if (!id || newline >= 0)
            return std::nullopt;
        m.kind = Kind::Gone;
        m.device = *id;
        return m;
    }
    if (!serial)
        return std::nullopt;
    m.serial = *serial;
    if (kind == "cmd") {
        const auto id
            = tokens.size() == 4 ? SensorFrame::idFromText(QString::fromLatin1(tokens[3])) : std::nullopt;
        if (!id || newline < 0)
            return std::nullopt;
        m.kind = Kind::Command;
        m.device = *id;
        m.body = body;
        return m;
    }
    if (kind == "all") {
        if (tokens.size() != 3 || newline < 0)
            return std::nullopt;
        m.kind = Kind::Broadcast;
        m.body = body;
        return m;
    }
    if (kind == "result") {
        if (tokens.size() != 4 || newline >= 0 || (tokens[3] != "success" && tokens[3] != "failed"))
            return std::nullopt;
        m.kind = Kind::Result;
        m.success = tokens[3] == "success";
        return m;
    }
    if (kind == "count") {
        const auto count = tokens.size() == 4 ? number(tokens[3]) : std::nullopt;
        if (!count || *count > 65536 || newline >= 0)
            return std::nullopt;
        m.kind = Kind::Count;
        m.count = int(*count);
        return m;
    }
    return std::nullopt;
}

QByteArray framesHeader(const QByteArray &relayId)
{
    return "frames " + relayId + '\n';
}

QByteArray encodeGone(const QByteArray &relayId, quint16 device)
{
    return "gone " + relayId + ' ' + SensorFrame::idToText(device).toLatin1();
}

QByteArray encodeCommand(const QByteArray &relayId, quint64 serial, quint16 device, const QString &payload)
{
    return header("cmd", relayId, serial) + ' ' + SensorFrame::idToText(device).toLatin1() + '\n'
        + payload.toUtf8();
}

QByteArray encodeBroadcast(const QByteArray &relayId, quint64 serial, const QString &payload)
{
    return header("all", relayId, serial) + '\n' + payload.toUtf8();
}

QByteArray encodeResult(const QByteArray &relayId, quint64 serial, bool success)
{
    return header("result", relayId, serial) + (success ? " success" : " failed");
}

QByteArray encodeCount(const QByteArray &relayId, quint64 serial, int count)
{
    return header("count", relayId, serial) + ' ' + QByteArray::number(count);
}

} // namespace GroupLoop::Cluster
