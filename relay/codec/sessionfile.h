// Session files: what devices sent and what commands got, recorded for replay and analysis
// (docs/recording.md). Line-based text, a versioned JSON header first, then one record per
// line with milliseconds since the session started. A name ending in .gz is gzip, flushed
// with Z_SYNC_FLUSH, so a crash or a truncated copy loses at most the last second.
#pragma once

#include "sensorframe.h"

#include <QByteArray>
#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

class QIODevice;

namespace GroupLoop {

struct SessionHeader
{
    static constexpr int CurrentVersion = 1;
    static QByteArray formatName() { return QByteArrayLiteral("grouploop-session"); }

    int version = CurrentVersion;
    QDateTime started; // wall time of the session's ms 0 (UTC)
    QString relay; // the relay the frames came through, as a URL
    int devices = 0; // devices known when this file was started
    QString source; // the program that recorded, "grouploop-relay 0.1.0"
    int part = 1; // rotation: 1 for the first file of a session
    qint64 offsetMs = 0; // session ms at which this part starts

    QByteArray toJson() const; // one line, no newline
    // Parses line 1; on failure returns false with a reason.
    static bool fromJson(QByteArrayView line, SessionHeader *header, QString *reason);
};

struct SessionFrame
{
    qint64 ms = 0;
    SensorFrame frame;
};

struct SessionCommand
{
    qint64 ms = 0;
    QString target; // a device id or "all"
    QString command;
    QString params;
    QString result; // the relay's reply without "cmd:result:" (success, sent_to_3_devices, failed, ...)
};

// A whole file read into memory: frames and commands in file order (times never decrease).
struct SessionRecording
{
    QString path;
    SessionHeader header;
    std::vector<SessionFrame> frames;
    std::vector<SessionCommand> commands;
    QString error; // why nothing could be read (missing file, no header); empty when readable
    QStringList problems; // "file:line: reason" for every line skipped; the rest was read
    int skippedLines = 0;

    bool isValid() const { return error.isEmpty(); }
    qint64 startMs() const { return header.offsetMs; }
    qint64 endMs() const; // time of the last record (startMs() when empty)
    QList<quint16> deviceIds() const; // in order of first appearance
};

class SessionReader
{
public:
    // Reads a plain or gzip file (detected by content). Bad lines are skipped and named in
    // problems; a file that is not a session at all sets error.
    static SessionRecording read(const QString &path);
    // Parses session text (tests, fuzzing). name is used in messages.
    static SessionRecording parse(const QByteArray &text, const QString &name);
};

// Appends records to a session file. Records are buffered and handed once a second (and on
// rotation, flush() and close()) to a thread that writes and compresses them, so the cost per
// record on the caller's thread is a memcpy. Rotation starts a new
// part, "show.session" -> "show-2.session", each with its own header.
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

Q_SIGNALS:
    void rotated(const QString &newPath);
    void failed(const QString &error); // a write failed; the writer has closed

private:
    bool openPart(QString *error);
    void closePart();
    void maybeRotate(qint64 ms);
    bool post(); // hands the buffer to the writing thread; false after a write error
    void stampLine(qint64 ms, char kind);

    class File;
    class Disk;
    std::shared_ptr<File> m_file; // the open part; written by m_disk's thread
    std::unique_ptr<Disk> m_disk;
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

// Decoded values for analysis: time_s,id,ax_g,ay_g,az_g,nw_dbm,ne_dbm,se_dbm,sw_dbm,tap.
namespace SessionCsv {
QByteArray headerLine();
void appendRow(QByteArray &out, const SessionFrame &frame);
// Writes the whole recording; false with a reason when the file cannot be written.
bool write(const SessionRecording &recording, const QString &path, QString *error);
} // namespace SessionCsv

} // namespace GroupLoop
