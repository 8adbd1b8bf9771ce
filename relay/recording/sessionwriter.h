// SessionWriter: appends records to a session file. Records are buffered and handed once a
// second (and on rotation, flush() and close()) to SessionDiskThread, which writes and
// compresses them, so the cost per record on the caller's thread is a memcpy. Rotation starts a
// new part, "show.session" -> "show-2.session", each with its own header.
#pragma once

#include "sessionformat.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace GroupLoop {

class SessionDiskThread;
class SessionOutputFile;

class SessionWriter : public QObject
{
    Q_OBJECT
public:
    static constexpr int FlushIntervalMs = 1000;

    explicit SessionWriter(QObject *parent = nullptr);
    ~SessionWriter() override; // closes

    // Rotation limits (0 = none), applied from the next record.
    void setRotation(qint64 maxBytes, qint64 maxMs);
    // Asked for the device count written into each new part's header.
    void setDeviceCounter(std::function<int()> counter) { m_deviceCounter = std::move(counter); }

    // Creates (truncates) path and writes the header; header.started is set to now when null.
    // On failure returns false with a one-line reason.
    bool open(const QString &path, SessionHeader header, QString *error);
    void close();
    bool isOpen() const { return m_file != nullptr; }

    // Milliseconds since open(), the clock records are stamped with by default.
    qint64 elapsedMs() const { return m_clock.isValid() ? m_clock.elapsed() : 0; }

    // Newline-joined 20-hex-digit lowercase frames (each followed by '\n'), as the relay
    // serialises a fan-out batch; all get the time ms.
    void appendFrameBatch(qint64 ms, QByteArrayView lines);
    void appendFrames(qint64 ms, const std::vector<SensorFrame> &frames);
    void appendCommand(const SessionCommand &command);

    // Writes what is buffered now and waits until it is on disk; false (and lastError) on a
    // write error. The once-a-second timer only hands the buffer to the writing thread.
    bool flush();

    QString path() const { return m_basePath; }
    QString currentPath() const { return m_currentPath; }
    int part() const { return m_part; }
    qint64 recordCount() const { return m_records; }
    qint64 bytesWritten() const { return m_totalBytes + m_buffer.size(); } // uncompressed, all parts
    qint64 bytesOnDisk() const; // every part as stored (compressed for .gz)
    QString lastError() const { return m_lastError; }

    static QString partPath(const QString &basePath, int part);
    // The first part's path from part `part`'s ("show-3.session.gz", 3 -> "show.session.gz").
    static QString basePath(const QString &partPath, int part);

Q_SIGNALS:
    void rotated(const QString &newPath);
    void failed(const QString &error); // a write failed; the writer has closed

private:
    bool openPart(QString *error);
    void closePart();
    void maybeRotate(qint64 ms);
    bool post(); // hands the buffer to the writing thread; false after a write error
    void stampLine(qint64 ms, char kind);

    std::shared_ptr<SessionOutputFile> m_file; // the open part; written by m_disk's thread
    std::unique_ptr<SessionDiskThread> m_disk;
    QStringList m_closedParts;
    QString m_basePath;
    QString m_currentPath;
    SessionHeader m_header;
    QElapsedTimer m_clock;
    QTimer m_flushTimer;
    QByteArray m_buffer;
    std::function<int()> m_deviceCounter;
    qint64 m_maxBytes = 0;
    qint64 m_maxMs = 0;
    qint64 m_partStartMs = 0;
    qint64 m_partBytes = 0;
    qint64 m_totalBytes = 0;
    qint64 m_records = 0;
    qint64 m_lastMs = 0;
    int m_part = 1;
    QString m_lastError;
};

} // namespace GroupLoop
