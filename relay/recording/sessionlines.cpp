#include "sessionlines.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace GroupLoop {

namespace {

QString quoted(QByteArrayView text)
{
    constexpr qsizetype MaxShown = 40;
    const QString shown = QString::fromUtf8(text.first(std::min(text.size(), MaxShown)));
    return QLatin1Char('"') + shown
        + (text.size() > MaxShown ? QStringLiteral("...\"") : QStringLiteral("\""));
}

} // namespace

void SessionProblems::skip(const QString &name, qint64 line, const QString &reason)
{
    ++skippedLines;
    if (list.size() < MaxListed)
        list.append(name + QLatin1Char(':') + QString::number(line) + QStringLiteral(": ") + reason);
}

void SessionProblems::note(const QString &problem)
{
    if (list.size() < MaxListed)
        list.append(problem);
}

bool SessionLineParser::parse(QByteArrayView line, bool complete, SessionRecord *record, QString *problem)
{
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.isEmpty())
        return false;
    const QString truncated = complete ? QString() : QStringLiteral(" (the file ends inside this line)");

    // "<ms> <kind> <rest>"
    qsizetype i = 0;
    qint64 ms = 0;
    while (i < line.size() && i < 16 && line[i] >= '0' && line[i] <= '9')
        ms = ms * 10 + (line[i++] - '0');
    if (i == 0 || i + 2 >= line.size() || line[i] != ' ' || line[i + 2] != ' ') {
        *problem = QStringLiteral("expected \"<ms> <type> <data>\", got ") + quoted(line) + truncated;
        return false;
    }
    if (ms < m_lastMs) {
        *problem = QStringLiteral("time goes backwards (%1 ms after %2 ms)").arg(ms).arg(m_lastMs);
        return false;
    }
    const char kind = line[i + 1];
    const QByteArrayView rest = line.sliced(i + 3);
    record->ms = ms;
    record->kind = kind;
    record->frames.clear();
    if (kind == 'f') {
        qsizetype p = 0;
        while (p < rest.size()) {
            qsizetype q = p;
            while (q < rest.size() && rest[q] != ' ')
                ++q;
            const QByteArrayView token = rest.sliced(p, q - p);
            const auto frame = SensorFrame::parse(token);
            if (!frame) {
                *problem = QStringLiteral("not a 20-hex-digit frame: ") + quoted(token) + truncated;
                return false;
            }
            record->frames.push_back(*frame);
            p = q + 1;
        }
    } else if (kind == 'c') {
        const QJsonDocument doc = QJsonDocument::fromJson(rest.toByteArray());
        const QJsonObject o = doc.object();
        if (!doc.isObject() || !o.value(QStringLiteral("command")).isString()) {
            *problem = QStringLiteral("not a command record: ") + quoted(rest) + truncated;
            return false;
        }
        record->command = SessionCommand {
            ms, o.value(QStringLiteral("target")).toString(), o.value(QStringLiteral("command")).toString(),
            o.value(QStringLiteral("params")).toString(), o.value(QStringLiteral("result")).toString()};
    } else {
        *problem = QStringLiteral("unknown record type '%1'").arg(QLatin1Char(kind)) + truncated;
        return false;
    }
    m_lastMs = ms;
    return true;
}

} // namespace GroupLoop
