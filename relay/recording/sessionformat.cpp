#include "sessionformat.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace GroupLoop {

QByteArray SessionHeader::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("format"), QString::fromLatin1(formatName()));
    o.insert(QStringLiteral("version"), version);
    o.insert(QStringLiteral("started"), started.toUTC().toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("relay"), relay);
    o.insert(QStringLiteral("devices"), devices);
    o.insert(QStringLiteral("source"), source);
    o.insert(QStringLiteral("part"), part);
    o.insert(QStringLiteral("offset_ms"), double(offsetMs));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool SessionHeader::fromJson(QByteArrayView line, SessionHeader *header, QString *reason)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    const QJsonObject o = doc.object();
    if (!doc.isObject() || o.value(QStringLiteral("format")).toString() != QLatin1String(formatName())) {
        *reason = QStringLiteral("not a GroupLoop session file (the first line must be its JSON header)");
        return false;
    }
    const int version = o.value(QStringLiteral("version")).toInt(0);
    if (version < 1 || version > CurrentVersion) {
        *reason = QStringLiteral("session format version %1 is not supported (this build reads 1 to %2)")
                      .arg(o.value(QStringLiteral("version")).toVariant().toString())
                      .arg(CurrentVersion);
        return false;
    }
    SessionHeader h;
    h.version = version;
    h.started = QDateTime::fromString(o.value(QStringLiteral("started")).toString(), Qt::ISODateWithMs);
    h.relay = o.value(QStringLiteral("relay")).toString();
    h.devices = o.value(QStringLiteral("devices")).toInt();
    h.source = o.value(QStringLiteral("source")).toString();
    h.part = std::max(1, o.value(QStringLiteral("part")).toInt(1));
    h.offsetMs = std::max<qint64>(0, qint64(o.value(QStringLiteral("offset_ms")).toDouble()));
    *header = h;
    return true;
}

qint64 SessionRecording::endMs() const
{
    qint64 end = startMs();
    if (!frames.empty())
        end = std::max(end, frames.back().ms);
    if (!commands.empty())
        end = std::max(end, commands.back().ms);
    return end;
}

QList<quint16> SessionRecording::deviceIds() const
{
    QList<quint16> ids;
    QSet<quint16> seen;
    for (const SessionFrame &f : frames) {
        if (!seen.contains(f.frame.id)) {
            seen.insert(f.frame.id);
            ids.append(f.frame.id);
        }
    }
    return ids;
}

} // namespace GroupLoop
