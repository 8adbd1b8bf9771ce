#include "sessionfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

namespace GroupLoop {

namespace {

constexpr int MaxProblemsListed = 100;

bool isGzipPath(const QString &path)
{
    return path.endsWith(QLatin1String(".gz"), Qt::CaseInsensitive);
}

QString quoted(QByteArrayView text)
{
    constexpr qsizetype MaxShown = 40;
    const QString shown = QString::fromUtf8(text.first(std::min(text.size(), MaxShown)));
    return QLatin1Char('"') + shown
        + (text.size() > MaxShown ? QStringLiteral("...\"") : QStringLiteral("\""));
}

} // namespace

// ---------------------------------------------------------------------------------- header

QByteArray SessionHeader::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("format"), QString::fromLatin1(formatName()));
    o.insert(QStringLiteral("version"), version);
    o.insert(QStringLiteral("started"), started.toUTC().toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("relay"), relay);
    o.insert(QStringLiteral("devices"), devices);
    o.insert(QStringLiteral("source"), source);
    o.insert(QStringLiteral("part"), part);
    o.insert(QStringLiteral("offset_ms"), double(offsetMs));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool SessionHeader::fromJson(QByteArrayView line, SessionHeader *header, QString *reason)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    const QJsonObject o = doc.object();
    if (!doc.isObject() || o.value(QStringLiteral("format")).toString() != QLatin1String(formatName())) {
        *reason = QStringLiteral("not a GroupLoop session file (the first line must be its JSON header)");
        return false;
    }
    const int version = o.value(QStringLiteral("version")).toInt(0);
    if (version < 1 || version > CurrentVersion) {
        *reason = QStringLiteral("session format version %1 is not supported (this build reads 1 to %2)")
                      .arg(o.value(QStringLiteral("version")).toVariant().toString())
                      .arg(CurrentVersion);
        return false;
    }
    SessionHeader h;
    h.version = version;
    h.started = QDateTime::fromString(o.value(QStringLiteral("started")).toString(), Qt::ISODateWithMs);
    h.relay = o.value(QStringLiteral("relay")).toString();
    h.devices = o.value(QStringLiteral("devices")).toInt();
    h.source = o.value(QStringLiteral("source")).toString();
    h.part = std::max(1, o.value(QStringLiteral("part")).toInt(1));
    h.offsetMs = std::max<qint64>(0, qint64(o.value(QStringLiteral("offset_ms")).toDouble()));
    *header = h;
    return true;
}

// ---------------------------------------------------------------------------------- reading

qint64 SessionRecording::endMs() const
{
    qint64 end = startMs();
    if (!frames.empty())
        end = std::max(end, frames.back().ms);
    if (!commands.empty())
        end = std::max(end, commands.back().ms);
    return end;
}

QList<quint16> SessionRecording::deviceIds() const
{
    QList<quint16> ids;
    QSet<quint16> seen;
    for (const SessionFrame &f : frames) {
        if (!seen.contains(f.frame.id)) {
            seen.insert(f.frame.id);
            ids.append(f.frame.id);
        }
    }
    return ids;
}

SessionRecording SessionReader::read(const QString &path)
{
    SessionRecording empty;
    empty.path = path;
    const QFileInfo info(path);
    if (!info.exists()) {
        empty.error = path + QStringLiteral(": no such file");
        return empty;
    }
    if (!info.isFile()) {
        empty.error = path + QStringLiteral(": not a file");
        return empty;
    }
    // gzread reads plain files unchanged, so one path serves both.
    gzFile in = gzopen(QFile::encodeName(path).constData(), "rb");
    if (!in) {
        empty.error
            = path + QStringLiteral(": cannot open (%1)").arg(QString::fromLocal8Bit(strerror(errno)));
        return empty;
    }
    QByteArray text;
    char chunk[64 * 1024];
    int n = 0;
    while ((n = gzread(in, chunk, sizeof chunk)) > 0)
        text.append(chunk, n);
    int code = Z_OK;
    const char *message = gzerror(in, &code);
    const QString zlibMessage = QString::fromLatin1(message ? message : "");
    gzclose(in);

    SessionRecording recording = parse(text, path);
    if (n < 0 && code != Z_BUF_ERROR) {
        recording.problems.prepend(path
                                   + QStringLiteral(": compressed data is corrupt after %1 bytes (%2); "
                                                    "kept what came before")
                                         .arg(text.size())
                                         .arg(zlibMessage));
    } else if (code == Z_BUF_ERROR) {
        recording.problems.prepend(
            path + QStringLiteral(": compressed data ends early (truncated file); kept what came before"));
    }
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

// ---------------------------------------------------------------------------------- writing

// A plain file or a gzip stream, written unbuffered: the writer buffers a second itself.
class SessionWriter::File
{
public:
    ~File() { close(); }

    bool open(const QString &path, QString *error)
    {
        m_path = path;
        if (isGzipPath(path)) {
            // Level 1: a fifth of the default level's CPU on hex text, files about 20 % larger.
            m_gz = gzopen(QFile::encodeName(path).constData(), "wb1");
            if (!m_gz) {
                *error = path
                    + QStringLiteral(": cannot create (%1)").arg(QString::fromLocal8Bit(strerror(errno)));
                return false;
            }
            return true;
        }
        m_plain.setFileName(path);
        if (!m_plain.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
            *error = path + QStringLiteral(": cannot create (%1)").arg(m_plain.errorString());
            return false;
        }
        return true;
    }
    bool write(const char *data, qsizetype size)
    {
        bool ok;
        if (m_gz) {
            // Everything so far becomes decodable, even if the stream is never finished.
            ok = (size == 0 || gzwrite(m_gz, data, unsigned(size)) == int(size))
                && gzflush(m_gz, Z_SYNC_FLUSH) == Z_OK;
        } else {
            ok = m_plain.write(data, size) == size;
        }
        m_failed = m_failed || !ok;
        return ok;
    }
    bool failed() const { return m_failed; }
    QString path() const { return m_path; }
    QString errorText() const
    {
        if (m_gz) {
            int code = 0;
            return QString::fromLatin1(gzerror(m_gz, &code));
        }
        return m_plain.errorString();
    }
    void close()
    {
        if (m_gz) {
            gzclose(m_gz);
            m_gz = nullptr;
        }
        m_plain.close();
    }

private:
    QString m_path;
    QFile m_plain;
    gzFile m_gz = nullptr;
    bool m_failed = false;
};

// Writes (and compresses) in its own thread, so a second of a busy relay's frames never stalls
// the thread that records them: deflating 10,000 frames costs milliseconds.
class SessionWriter::Disk
{
public:
    Disk()
        : m_thread([this] { run(); })
    {
    }
    ~Disk()
    {
        {
            std::lock_guard lock(m_mutex);
            m_quit = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }

    void write(std::shared_ptr<File> file, QByteArray data)
    {
        post({std::move(file), std::move(data), false});
    }
    void close(std::shared_ptr<File> file) { post({std::move(file), {}, true}); }

    // Until everything posted so far is on disk.
    void wait()
    {
        std::unique_lock lock(m_mutex);
        m_idle.wait(lock, [this] { return m_jobs.empty() && !m_busy; });
    }

    QString takeError()
    {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_error, QString());
    }

private:
    struct Job
    {
        std::shared_ptr<File> file;
        QByteArray data;
        bool close = false;
    };

    void post(Job job)
    {
        {
            std::lock_guard lock(m_mutex);
            m_jobs.push_back(std::move(job));
        }
        m_wake.notify_one();
    }

    void run()
    {
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [this] { return m_quit || !m_jobs.empty(); });
            if (m_jobs.empty())
                return; // quit, with everything written
            Job job = std::move(m_jobs.front());
            m_jobs.pop_front();
            m_busy = true;
            lock.unlock();
            QString error;
            if (job.close)
                job.file->close();
            else if (!job.file->failed() && !job.file->write(job.data.constData(), job.data.size()))
                error = job.file->path()
                    + QStringLiteral(": write failed (%1); recording stopped").arg(job.file->errorText());
            job = Job();
            lock.lock();
            m_busy = false;
            if (!error.isEmpty() && m_error.isEmpty())
                m_error = error;
            if (m_jobs.empty())
                m_idle.notify_all();
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::deque<Job> m_jobs;
    bool m_busy = false;
    bool m_quit = false;
    QString m_error;
    std::thread m_thread; // last: starts once the rest exists
};

SessionWriter::SessionWriter(QObject *parent)
    : QObject(parent)
{
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, [this] {
        maybeRotate(elapsedMs());
        post();
    });
}

SessionWriter::~SessionWriter()
{
    close();
}

void SessionWriter::setRotation(qint64 maxBytes, qint64 maxMs)
{
    m_maxBytes = std::max<qint64>(0, maxBytes);
    m_maxMs = std::max<qint64>(0, maxMs);
}

QString SessionWriter::partPath(const QString &basePath, int part)
{
    if (part <= 1)
        return basePath;
    const QFileInfo info(basePath);
    // show.session.gz -> show-2.session.gz; show -> show-2
    const QString name = info.fileName();
    const qsizetype dot = name.indexOf(QLatin1Char('.'), 1);
    const QString stem = dot < 0 ? name : name.left(dot);
    const QString suffix = dot < 0 ? QString() : name.mid(dot);
    return info.dir().filePath(stem + QLatin1Char('-') + QString::number(part) + suffix);
}

bool SessionWriter::open(const QString &path, SessionHeader header, QString *error)
{
    close();
    if (header.started.isNull())
        header.started = QDateTime::currentDateTimeUtc();
    m_header = header;
    m_basePath = path;
    m_part = 1;
    m_totalBytes = 0;
    m_closedParts.clear();
    m_records = 0;
    m_lastMs = 0;
    m_partStartMs = 0;
    m_buffer.clear();
    m_lastError.clear();
    m_clock.start();
    if (!openPart(error))
        return false;
    m_flushTimer.start();
    return true;
}

bool SessionWriter::openPart(QString *error)
{
    m_currentPath = partPath(m_basePath, m_part);
    auto file = std::make_shared<File>();
    if (!file->open(m_currentPath, error)) // on this thread: a bad path is reported at once
        return false;
    if (!m_disk)
        m_disk = std::make_unique<Disk>();
    m_file = std::move(file);
    SessionHeader header = m_header;
    header.part = m_part;
    header.offsetMs = m_partStartMs;
    if (m_part > 1 && m_deviceCounter)
        header.devices = m_deviceCounter();
    m_buffer.prepend(header.toJson() + '\n');
    m_partBytes = 0;
    // The first header is on disk when open() returns; a rotation never waits for the disk.
    return m_part == 1 ? flush() : post();
}

void SessionWriter::closePart()
{
    if (!m_file)
        return;
    post();
    if (m_file) {
        m_disk->close(std::move(m_file));
        m_closedParts.append(m_currentPath);
    }
}

void SessionWriter::close()
{
    m_flushTimer.stop();
    closePart();
    m_buffer.clear();
    if (m_disk)
        m_disk->wait();
}

void SessionWriter::maybeRotate(qint64 ms)
{
    if (!m_file)
        return;
    const bool bySize = m_maxBytes > 0 && m_partBytes + m_buffer.size() >= m_maxBytes;
    const bool byTime = m_maxMs > 0 && ms - m_partStartMs >= m_maxMs;
    if (!bySize && !byTime)
        return;
    closePart();
    ++m_part;
    m_partStartMs = std::max(ms, m_lastMs);
    QString error;
    if (!openPart(&error)) {
        m_lastError = error;
        Q_EMIT failed(error);
        return;
    }
    Q_EMIT rotated(m_currentPath);
}

void SessionWriter::stampLine(qint64 ms, char kind)
{
    ms = std::max(ms, m_lastMs); // times never go backwards in a file
    m_lastMs = ms;
    char head[32];
    const int n = std::snprintf(head, sizeof head, "%lld %c ", static_cast<long long>(ms), kind);
    m_buffer.append(head, n);
    ++m_records;
}

void SessionWriter::appendFrameBatch(qint64 ms, QByteArrayView lines)
{
    if (!m_file || lines.isEmpty())
        return;
    maybeRotate(ms);
    if (!m_file)
        return;
    stampLine(ms, 'f');
    const qsizetype offset = m_buffer.size();
    m_buffer.append(lines.data(), lines.size());
    // "f1\nf2\n" -> "f1 f2\n": one record line per batch.
    char *out = m_buffer.data() + offset;
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        if (out[i] == '\n')
            out[i] = ' ';
    }
    if (!lines.endsWith('\n'))
        m_buffer.append('\n');
}

void SessionWriter::appendFrames(qint64 ms, const std::vector<SensorFrame> &frames)
{
    if (!m_file || frames.empty())
        return;
    maybeRotate(ms);
    if (!m_file)
        return;
    stampLine(ms, 'f');
    for (size_t i = 0; i < frames.size(); ++i) {
        if (i > 0)
            m_buffer.append(' ');
        m_buffer.append(frames[i].toHex());
    }
    m_buffer.append('\n');
}

void SessionWriter::appendCommand(const SessionCommand &command)
{
    if (!m_file)
        return;
    maybeRotate(command.ms);
    if (!m_file)
        return;
    stampLine(command.ms, 'c');
    QJsonObject o;
    o.insert(QStringLiteral("target"), command.target);
    o.insert(QStringLiteral("command"), command.command);
    o.insert(QStringLiteral("params"), command.params);
    o.insert(QStringLiteral("result"), command.result);
    m_buffer.append(QJsonDocument(o).toJson(QJsonDocument::Compact));
    m_buffer.append('\n');
}

bool SessionWriter::post()
{
    if (!m_file)
        return false;
    if (const QString error = m_disk->takeError(); !error.isEmpty()) {
        m_lastError = error;
        m_file.reset();
        m_flushTimer.stop();
        m_buffer.clear();
        Q_EMIT failed(m_lastError);
        return false;
    }
    if (m_buffer.isEmpty())
        return true;
    m_partBytes += m_buffer.size();
    m_totalBytes += m_buffer.size();
    m_disk->write(m_file, std::exchange(m_buffer, QByteArray()));
    return true;
}

bool SessionWriter::flush()
{
    if (!post())
        return false;
    m_disk->wait();
    return post(); // reports a write error at once
}

qint64 SessionWriter::bytesOnDisk() const
{
    qint64 bytes = m_file ? QFileInfo(m_currentPath).size() : 0;
    for (const QString &part : m_closedParts)
        bytes += QFileInfo(part).size();
    return bytes;
}

// ---------------------------------------------------------------------------------- CSV

QByteArray SessionCsv::headerLine()
{
    return QByteArrayLiteral("time_s,id,ax_g,ay_g,az_g,nw_dbm,ne_dbm,se_dbm,sw_dbm,tap\n");
}

void SessionCsv::appendRow(QByteArray &out, const SessionFrame &f)
{
    char line[160];
    int n = std::snprintf(line, sizeof line, "%.3f,%04x,%.3f,%.3f,%.3f", double(f.ms) / 1000.0, f.frame.id,
                          f.frame.axG(), f.frame.ayG(), f.frame.azG());
    for (int b = 0; b < 4; ++b) {
        if (f.frame.beaconHeard(b))
            n += std::snprintf(line + n, sizeof line - size_t(n), ",%.1f", f.frame.beaconDbm(b));
        else
            line[n++] = ','; // not heard: empty cell
    }
    n += std::snprintf(line + n, sizeof line - size_t(n), ",%d\n", f.frame.isTap() ? 1 : 0);
    out.append(line, n);
}

bool SessionCsv::write(const SessionRecording &recording, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = path + QStringLiteral(": cannot create (%1)").arg(file.errorString());
        return false;
    }
    QByteArray chunk = headerLine();
    for (const SessionFrame &f : recording.frames) {
        appendRow(chunk, f);
        if (chunk.size() > 1 << 20) {
            file.write(chunk);
            chunk.clear();
        }
    }
    file.write(chunk);
    if (!file.commit()) {
        *error = path + QStringLiteral(": cannot write (%1)").arg(file.errorString());
        return false;
    }
    return true;
}

} // namespace GroupLoop
