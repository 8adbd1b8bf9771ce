// Session files on disk: plain text, or gzip when the name ends in .gz. A gzip file is flushed
// with Z_SYNC_FLUSH after every write, so a crash or a truncated copy loses at most the last
// write, and starts a new gzip member every MemberBytes, so a reader can start inflating there
// (a seek costs at most one member). The only part of the recording library that knows zlib.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

#include <deque>
#include <memory>

struct gzFile_s;
struct z_stream_s;

namespace GroupLoop {

// A file written unbuffered: the writer buffers a second itself.
class SessionOutputFile
{
public:
    SessionOutputFile() = default;
    SessionOutputFile(const SessionOutputFile &) = delete;
    SessionOutputFile &operator=(const SessionOutputFile &) = delete;
    ~SessionOutputFile() { close(); }

    // Creates (truncates) path; on failure returns false with a one-line reason.
    bool open(const QString &path, QString *error);
    bool write(const char *data, qsizetype size);
    bool failed() const { return m_failed; }
    QString path() const { return m_path; }
    QString errorText() const;
    void close();

    // Uncompressed bytes per gzip member: a seek inflates at most this much.
    static constexpr qint64 MemberBytes = 4 << 20;

private:
    QString m_path;
    QFile m_plain;
    gzFile_s *m_gz = nullptr;
    qint64 m_memberBytes = 0;
    bool m_failed = false;
};

// Where reading may start again: a gzip member's first byte (raw) and the text offset it
// inflates to; in a plain file both are the same byte.
struct SessionRestartPoint
{
    qint64 raw = 0;
    qint64 text = 0;
};

// Reads a plain or gzip file (detected by content) as text, in chunks, with a bounded buffer.
// A gzip file made of several members (as SessionOutputFile writes them) reads as one text.
class SessionInputFile
{
public:
    SessionInputFile();
    SessionInputFile(const SessionInputFile &) = delete;
    SessionInputFile &operator=(const SessionInputFile &) = delete;
    ~SessionInputFile();

    // On failure returns false with a one-line reason ("<path>: no such file").
    bool open(const QString &path, QString *error);
    // Up to max bytes of text; 0 at the end (problem() says whether the end was early).
    qint64 read(char *out, qint64 max);
    // Continues at a restart point (a member start, or any byte of a plain file).
    bool seek(const SessionRestartPoint &point);
    // The restart point to use for text at textOffset (already read): the latest one before it.
    SessionRestartPoint restartPointFor(qint64 textOffset);

    qint64 rawSize() const { return m_size; }
    qint64 rawPosition() const { return m_file.pos(); }
    bool isGzip() const { return m_gzip; }
    // The gzip stream is corrupt or truncated: what came before was delivered.
    QString problem() const { return m_problem; }

private:
    qint64 inflateSome(char *out, qint64 max);

    QFile m_file;
    QString m_path;
    qint64 m_size = 0;
    bool m_gzip = false;
    std::unique_ptr<z_stream_s> m_z;
    QByteArray m_in;
    qint64 m_inRaw = 0; // raw offset of m_in[0]
    qint64 m_text = 0; // text bytes delivered
    bool m_inMember = false;
    bool m_ended = false;
    QString m_problem;
    std::deque<SessionRestartPoint> m_points; // members seen, pruned by restartPointFor()
};

} // namespace GroupLoop
