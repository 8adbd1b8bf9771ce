#include "sessionstream.h"

#include "sessionwriter.h"

#include <QFileInfo>

#include <algorithm>

namespace GroupLoop {

namespace {

// The header of a session file, or nothing (missing, not a session).
bool peekHeader(const QString &path, SessionHeader *header)
{
    SessionInputFile in;
    QString error;
    if (!in.open(path, &error))
        return false;
    QByteArray text(4096, Qt::Uninitialized);
    const qint64 n = in.read(text.data(), text.size());
    const qsizetype end = text.left(n).indexOf('\n');
    return end > 0 && SessionHeader::fromJson(QByteArrayView(text).first(end), header, &error);
}

} // namespace

bool SessionStream::open(const QString &path, Parts parts, QString *error)
{
    m_parts = {path};
    m_part = -1;
    m_problems = {};
    if (!openPart(0, error))
        return false;
    if (parts == Parts::Follow) {
        const QString base = SessionWriter::basePath(path, m_header.part);
        for (int part = m_header.part + 1;; ++part) {
            const QString next = SessionWriter::partPath(base, part);
            SessionHeader h;
            if (!peekHeader(next, &h) || h.part != part)
                break;
            m_parts.append(next);
        }
    }
    m_partSizes.clear();
    m_totalRaw = 0;
    for (const QString &p : std::as_const(m_parts)) {
        m_partSizes.push_back(QFileInfo(p).size());
        m_totalRaw += m_partSizes.back();
    }
    return true;
}

bool SessionStream::openPart(int part, QString *error)
{
    auto input = std::make_unique<SessionInputFile>();
    const QString &path = m_parts[part];
    if (!input->open(path, error))
        return false;
    m_input = std::move(input);
    m_part = part;
    m_buffer.clear();
    m_pos = 0;
    m_bufferText = 0;
    m_lineNo = 0;
    m_eof = false;
    m_skipping = false;
    QByteArrayView line;
    bool complete = false;
    SessionHeader header;
    QString reason = QStringLiteral("empty file (no session header)");
    if (!readLine(&line, &complete) || !SessionHeader::fromJson(line, &header, &reason)) {
        *error = path + QStringLiteral(":1: ") + reason;
        return false;
    }
    if (part == 0)
        m_header = header;
    m_parser.restart(header.offsetMs);
    return true;
}

qint64 SessionStream::rawBytesRead() const
{
    qint64 done = 0;
    for (int p = 0; p < m_part; ++p)
        done += m_partSizes[size_t(p)];
    return done + (m_input ? m_input->rawPosition() : 0);
}

bool SessionStream::fill()
{
    if (m_eof)
        return false;
    // Keep the unread rest, then append a chunk: the buffer holds at most a chunk plus a line.
    m_bufferText += m_pos;
    m_buffer.remove(0, m_pos);
    m_pos = 0;
    const qsizetype had = m_buffer.size();
    m_buffer.resize(had + ChunkBytes);
    const qint64 n = m_input->read(m_buffer.data() + had, ChunkBytes);
    m_buffer.resize(had + qsizetype(std::max<qint64>(n, 0)));
    if (n <= 0) {
        m_eof = true;
        if (!m_input->problem().isEmpty())
            m_problems.note(m_input->problem());
    }
    return n > 0;
}

bool SessionStream::readLine(QByteArrayView *line, bool *complete)
{
    for (;;) {
        const qsizetype end = m_buffer.indexOf('\n', m_pos);
        if (end >= 0) {
            const qsizetype start = m_pos;
            m_pos = end + 1;
            ++m_lineNo;
            if (std::exchange(m_skipping, false))
                continue; // the end of an overlong line
            if (end - start > MaxLineBytes) {
                m_problems.skip(m_parts[m_part], m_lineNo,
                                QStringLiteral("line longer than %1 MiB").arg(MaxLineBytes >> 20));
                continue;
            }
            *line = QByteArrayView(m_buffer).sliced(start, end - start);
            *complete = true;
            m_position.text = m_bufferText + start;
            m_position.line = m_lineNo;
            return true;
        }
        if (m_buffer.size() - m_pos > MaxLineBytes) {
            if (!m_skipping)
                m_problems.skip(m_parts[m_part], m_lineNo + 1,
                                QStringLiteral("line longer than %1 MiB").arg(MaxLineBytes >> 20));
            m_skipping = true;
            m_pos = m_buffer.size(); // drop what was read of it
        }
        if (fill())
            continue;
        if (m_pos >= m_buffer.size() || m_skipping)
            return false;
        const qsizetype start = std::exchange(m_pos, m_buffer.size());
        ++m_lineNo;
        *line = QByteArrayView(m_buffer).sliced(start);
        *complete = false;
        m_position.text = m_bufferText + start;
        m_position.line = m_lineNo;
        return true;
    }
}

bool SessionStream::next(SessionRecord *record)
{
    while (m_part >= 0) {
        QByteArrayView line;
        bool complete = false;
        while (readLine(&line, &complete)) {
            QString problem;
            if (m_parser.parse(line, complete, record, &problem)) {
                m_position.ms = record->ms;
                m_position.part = m_part;
                m_position.restart = m_input->restartPointFor(m_position.text);
                return true;
            }
            if (!problem.isEmpty())
                m_problems.skip(m_parts[m_part], m_lineNo, problem);
        }
        if (m_part + 1 >= m_parts.size())
            return false;
        QString error;
        if (!openPart(m_part + 1, &error)) {
            m_problems.note(error);
            m_part = -1;
            return false;
        }
    }
    return false;
}

bool SessionStream::seek(const SessionPosition &position)
{
    QString error;
    if (position.part != m_part
        && (position.part < 0 || position.part >= m_parts.size() || !openPart(position.part, &error)))
        return false;
    if (!m_input->seek(position.restart))
        return false;
    m_buffer.clear();
    m_pos = 0;
    m_bufferText = position.restart.text;
    m_eof = false;
    m_skipping = false;
    // Skip to the line (within one gzip member at most).
    while (m_bufferText + m_buffer.size() < position.text) {
        m_pos = m_buffer.size();
        if (!fill())
            return false;
    }
    m_pos = qsizetype(position.text - m_bufferText);
    m_lineNo = position.line - 1;
    m_parser.restart(position.ms);
    return true;
}

} // namespace GroupLoop
