#include "sessionreader.h"

#include "sessionstorage.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace GroupLoop {

namespace {

constexpr int MaxProblemsListed = 100;

QString quoted(QByteArrayView text)
{
    constexpr qsizetype MaxShown = 40;
    const QString shown = QString::fromUtf8(text.first(std::min(text.size(), MaxShown)));
    return QLatin1Char('"') + shown
        + (text.size() > MaxShown ? QStringLiteral("...\"") : QStringLiteral("\""));
}

} // namespace

SessionRecording SessionReader::read(const QString &path)
{
    SessionFileBytes file = readSessionFile(path);
    if (!file.error.isEmpty()) {
        SessionRecording empty;
        empty.path = path;
        empty.error = file.error;
        return empty;
    }
    SessionRecording recording = parse(file.text, path);
    if (!file.problem.isEmpty())
        recording.problems.prepend(file.problem);
    return recording;
}

SessionRecording SessionReader::parse(const QByteArray &text, const QString &name)
{
    SessionRecording rec;
    rec.path = name;
    auto problem = [&rec, &name](int line, const QString &reason) {
        ++rec.skippedLines;
        if (rec.problems.size() < MaxProblemsListed)
            rec.problems.append(name + QLatin1Char(':') + QString::number(line) + QStringLiteral(": ")
                                + reason);
    };

    const char *data = text.constData();
    const qsizetype size = text.size();
    qsizetype start = 0;
    int lineNo = 0;
    qint64 lastMs = -1;
    while (start < size) {
        qsizetype end = start;
        while (end < size && data[end] != '\n')
            ++end;
        const bool complete = end < size;
        QByteArrayView line(data + start, end - start);
        if (line.endsWith('\r'))
            line.chop(1);
        start = end + 1;
        ++lineNo;

        if (lineNo == 1) {
            QString reason;
            if (!SessionHeader::fromJson(line, &rec.header, &reason)) {
                rec.error = name + QStringLiteral(":1: ") + reason;
                return rec;
            }
            lastMs = rec.header.offsetMs;
            continue;
        }
        if (line.isEmpty())
            continue;
        const QString truncated = complete ? QString() : QStringLiteral(" (the file ends inside this line)");

        // "<ms> <kind> <rest>"
        qsizetype i = 0;
        qint64 ms = 0;
        while (i < line.size() && i < 16 && line[i] >= '0' && line[i] <= '9')
            ms = ms * 10 + (line[i++] - '0');
        if (i == 0 || i + 2 >= line.size() || line[i] != ' ' || line[i + 2] != ' ') {
            problem(lineNo,
                    QStringLiteral("expected \"<ms> <type> <data>\", got ") + quoted(line) + truncated);
            continue;
        }
        if (ms < lastMs) {
            problem(lineNo, QStringLiteral("time goes backwards (%1 ms after %2 ms)").arg(ms).arg(lastMs));
            continue;
        }
        const char kind = line[i + 1];
        const QByteArrayView rest = line.sliced(i + 3);
        if (kind == 'f') {
            const qsizetype before = qsizetype(rec.frames.size());
            bool ok = true;
            qsizetype p = 0;
            while (p < rest.size()) {
                qsizetype q = p;
                while (q < rest.size() && rest[q] != ' ')
                    ++q;
                const QByteArrayView token = rest.sliced(p, q - p);
                const auto frame = SensorFrame::parse(token);
                if (!frame) {
                    problem(lineNo, QStringLiteral("not a 20-hex-digit frame: ") + quoted(token) + truncated);
                    ok = false;
                    break;
                }
                rec.frames.push_back(SessionFrame {ms, *frame});
                p = q + 1;
            }
            if (!ok) {
                rec.frames.resize(size_t(before));
                continue;
            }
        } else if (kind == 'c') {
            const QJsonDocument doc = QJsonDocument::fromJson(rest.toByteArray());
            const QJsonObject o = doc.object();
            if (!doc.isObject() || !o.value(QStringLiteral("command")).isString()) {
                problem(lineNo, QStringLiteral("not a command record: ") + quoted(rest) + truncated);
                continue;
            }
            rec.commands.push_back(SessionCommand {ms, o.value(QStringLiteral("target")).toString(),
                                                   o.value(QStringLiteral("command")).toString(),
                                                   o.value(QStringLiteral("params")).toString(),
                                                   o.value(QStringLiteral("result")).toString()});
        } else {
            problem(lineNo, QStringLiteral("unknown record type '%1'").arg(QLatin1Char(kind)) + truncated);
            continue;
        }
        lastMs = ms;
    }
    if (lineNo == 0)
        rec.error = name + QStringLiteral(":1: empty file (no session header)");
    return rec;
}

} // namespace GroupLoop
