#include "sessionreader.h"

#include "sessionstream.h"

namespace GroupLoop {

namespace {

void add(SessionRecording &rec, const SessionRecord &record)
{
    if (record.kind == 'c') {
        rec.commands.push_back(record.command);
        return;
    }
    for (const SensorFrame &f : record.frames)
        rec.frames.push_back(SessionFrame {record.ms, f});
}

} // namespace

SessionRecording SessionReader::read(const QString &path)
{
    SessionRecording rec;
    rec.path = path;
    SessionStream stream;
    if (!stream.open(path, SessionStream::Parts::Single, &rec.error))
        return rec;
    rec.header = stream.header();
    SessionRecord record;
    while (stream.next(&record))
        add(rec, record);
    rec.problems = stream.problems().list;
    rec.skippedLines = stream.problems().skippedLines;
    return rec;
}

SessionRecording SessionReader::parse(const QByteArray &text, const QString &name)
{
    SessionRecording rec;
    rec.path = name;
    SessionProblems problems;
    SessionLineParser parser;
    SessionRecord record;
    qsizetype start = 0;
    qint64 lineNo = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        const bool complete = end >= 0;
        if (!complete)
            end = text.size();
        const QByteArrayView line = QByteArrayView(text).sliced(start, end - start);
        start = end + 1;
        if (++lineNo == 1) {
            QString reason;
            if (!SessionHeader::fromJson(line.endsWith('\r') ? line.chopped(1) : line, &rec.header,
                                         &reason)) {
                rec.error = name + QStringLiteral(":1: ") + reason;
                return rec;
            }
            parser.restart(rec.header.offsetMs);
            continue;
        }
        QString problem;
        if (parser.parse(line, complete, &record, &problem))
            add(rec, record);
        else if (!problem.isEmpty())
            problems.skip(name, lineNo, problem);
    }
    if (lineNo == 0)
        rec.error = name + QStringLiteral(":1: empty file (no session header)");
    rec.problems = problems.list;
    rec.skippedLines = problems.skippedLines;
    return rec;
}

} // namespace GroupLoop
