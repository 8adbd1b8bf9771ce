// Session files on disk: plain text, or gzip when the name ends in .gz. A gzip file is flushed
// with Z_SYNC_FLUSH after every write, so a crash or a truncated copy loses at most the last
// write. The only part of the recording library that knows zlib.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

struct gzFile_s;

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

private:
    QString m_path;
    QFile m_plain;
    gzFile_s *m_gz = nullptr;
    bool m_failed = false;
};

// What readSessionFile() found: the bytes, or why there are none.
struct SessionFileBytes
{
    QByteArray text;
    QString error; // the file could not be read at all ("<path>: no such file")
    QString problem; // the gzip stream is corrupt or truncated: text holds what came before
};

// Reads a whole plain or gzip file (detected by content).
SessionFileBytes readSessionFile(const QString &path);

} // namespace GroupLoop
