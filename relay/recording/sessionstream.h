// SessionStream: a session read record by record from disk, in bounded memory (a chunk plus the
// longest line), across rotated parts ("show.session.gz", "show-2.session.gz", ...) as one
// session. Every record says where it starts (SessionPosition), so an index of positions
// (SessionIndex) lets a player seek without reading from the start.
#pragma once

#include "sessionlines.h"
#include "sessionstorage.h"

#include <memory>

namespace GroupLoop {

// Where a record line starts: its part, the restart point before it and its own text offset.
struct SessionPosition
{
    qint64 ms = 0;
    int part = 0; // index into SessionStream::parts()
    SessionRestartPoint restart;
    qint64 text = 0;
    qint64 line = 0; // line number in its part
};

class SessionStream
{
public:
    static constexpr qsizetype ChunkBytes = 256 * 1024;
    static constexpr qsizetype MaxLineBytes = 4 * 1024 * 1024;

    enum class Parts { Follow, Single };

    // Opens path and reads its header; with Parts::Follow, the parts that continue it (by name,
    // part number and offset) are read after it. On failure returns false with a reason.
    bool open(const QString &path, Parts parts, QString *error);

    const SessionHeader &header() const { return m_header; } // of the part opened
    const QStringList &parts() const { return m_parts; }
    qint64 totalRawBytes() const { return m_totalRaw; }
    qint64 rawBytesRead() const; // progress, all parts

    // The next valid record, or false at the end of the last part. Bad lines are skipped and
    // named in problems().
    bool next(SessionRecord *record);
    SessionPosition position() const { return m_position; } // of the record next() returned
    bool seek(const SessionPosition &position);

    const SessionProblems &problems() const { return m_problems; }

private:
    bool openPart(int part, QString *error);
    bool readLine(QByteArrayView *line, bool *complete);
    bool fill();

    QStringList m_parts;
    std::vector<qint64> m_partSizes;
    qint64 m_totalRaw = 0;
    int m_part = -1;
    std::unique_ptr<SessionInputFile> m_input;
    SessionHeader m_header;
    SessionLineParser m_parser;
    SessionProblems m_problems;
    QByteArray m_buffer;
    qsizetype m_pos = 0; // next unread byte of m_buffer
    qint64 m_bufferText = 0; // text offset of m_buffer[0]
    qint64 m_lineNo = 0;
    bool m_eof = false;
    bool m_skipping = false; // inside a line longer than MaxLineBytes
    SessionPosition m_position;
};

} // namespace GroupLoop
