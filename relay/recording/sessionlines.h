// SessionLineParser: one record line of a session file ("<ms> <type> <data>", docs/recording.md)
// at a time, so the whole-file reader and the streaming reader parse alike. SessionProblems
// collects the "file:line: reason" of every line skipped (the first MaxListed of them).
#pragma once

#include "sessionformat.h"

namespace GroupLoop {

struct SessionProblems
{
    static constexpr int MaxListed = 100;

    QStringList list;
    int skippedLines = 0;

    void skip(const QString &name, qint64 line, const QString &reason);
    void note(const QString &problem); // not a line (a damaged gzip stream): listed, not counted
};

// One parsed line: frames or a command (kind 'f' or 'c').
struct SessionRecord
{
    qint64 ms = 0;
    char kind = 0;
    std::vector<SensorFrame> frames;
    SessionCommand command;
};

class SessionLineParser
{
public:
    // Times must not go below startMs (a part's offset_ms) and never decrease.
    void restart(qint64 startMs) { m_lastMs = startMs; }
    // Parses a line without its newline; complete is false when the file ends inside it.
    // Returns false for a blank line (nothing, no problem) or a bad one (*problem set).
    bool parse(QByteArrayView line, bool complete, SessionRecord *record, QString *problem);

private:
    qint64 m_lastMs = 0;
};

} // namespace GroupLoop
