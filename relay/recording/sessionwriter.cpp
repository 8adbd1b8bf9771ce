#include "sessionwriter.h"

#include "sessiondiskthread.h"
#include "sessionstorage.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>

namespace GroupLoop {

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

namespace {
// "show.session.gz" -> {"show", ".session.gz"}; "show" -> {"show", ""}
std::pair<QString, QString> splitName(const QString &name)
{
    const qsizetype dot = name.indexOf(QLatin1Char('.'), 1);
    return {dot < 0 ? name : name.left(dot), dot < 0 ? QString() : name.mid(dot)};
}
} // namespace

QString SessionWriter::partPath(const QString &basePath, int part)
{
    if (part <= 1)
        return basePath;
    const QFileInfo info(basePath);
    // show.session.gz -> show-2.session.gz; show -> show-2
    const auto [stem, suffix] = splitName(info.fileName());
    return info.dir().filePath(stem + QLatin1Char('-') + QString::number(part) + suffix);
}

QString SessionWriter::basePath(const QString &partPath, int part)
{
    if (part <= 1)
        return partPath;
    const QFileInfo info(partPath);
    const auto [stem, suffix] = splitName(info.fileName());
    const QString tail = QLatin1Char('-') + QString::number(part);
    return stem.endsWith(tail) ? info.dir().filePath(stem.chopped(tail.size()) + suffix) : partPath;
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
    auto file = std::make_shared<SessionOutputFile>();
    if (!file->open(m_currentPath, error)) // on this thread: a bad path is reported at once
        return false;
    if (!m_disk)
        m_disk = std::make_unique<SessionDiskThread>();
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

} // namespace GroupLoop
