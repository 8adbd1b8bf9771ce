#include "sessionrecorder.h"

#include "clock.h"
#include "commandcontroller.h"
#include "devicestore.h"
#include "localpath.h"
#include "logmodel.h"
#include "relayclient.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUrl>

namespace GroupLoop {

SessionRecorder::SessionRecorder(DeviceStore *store, RelayClient *relay, CommandController *commands,
                                 QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_relay(relay)
{
    QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (documents.isEmpty())
        documents = QDir::homePath();
    m_directory = QDir(documents).filePath(QStringLiteral("GroupLoop"));
    m_drainTimer.setInterval(DrainIntervalMs);
    connect(&m_drainTimer, &QTimer::timeout, this, &SessionRecorder::drain);
    if (commands) {
        connect(
            commands, &CommandController::commandAnswered, this,
            [this](const QString &target, const QString &command, const QString &params,
                   const QString &result) {
                if (!m_writer)
                    return;
                drain(); // frames that came before the reply stay before it in the file
                if (!m_writer)
                    return;
                m_writer->appendCommand({Clock::nowMs() - m_startedAtMs, target, command, params, result});
                ++m_commands;
            });
    }
}

SessionRecorder::~SessionRecorder()
{
    stop();
}

QString SessionRecorder::fileName() const
{
    const QString path = filePath();
    return path.isEmpty() ? QString() : QFileInfo(path).fileName();
}

void SessionRecorder::setDirectory(const QString &directory)
{
    const QString local = localPath(directory);
    if (local == m_directory)
        return;
    m_directory = local;
    Q_EMIT directoryChanged();
}

void SessionRecorder::setCompress(bool on)
{
    if (on == m_compress)
        return;
    m_compress = on;
    Q_EMIT compressChanged();
}

bool SessionRecorder::start()
{
    if (!QDir().mkpath(m_directory)) {
        setError(tr("Cannot create the folder %1").arg(m_directory));
        return false;
    }
    const QString name = QStringLiteral("grouploop-")
        + QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd-HHmmss"))
        + (m_compress ? QStringLiteral(".session.gz") : QStringLiteral(".session"));
    return startTo(QDir(m_directory).filePath(name));
}

bool SessionRecorder::startTo(const QString &pathOrUrl)
{
    stop();
    const QString path = localPath(pathOrUrl);
    auto writer = std::make_unique<SessionWriter>();
    SessionHeader header;
    header.relay = m_relay ? m_relay->urlText() : QString();
    header.devices = m_store ? m_store->count() : 0;
    header.source = QStringLiteral("grouploop-console " GROUPLOOP_VERSION);
    QString why;
    if (!writer->open(path, header, &why)) {
        setError(why);
        return false;
    }
    connect(writer.get(), &SessionWriter::failed, this, [this](const QString &error) {
        setError(error);
        stop();
    });
    connect(writer.get(), &SessionWriter::rotated, this, &SessionRecorder::recordingChanged);
    m_writer = std::move(writer);
    m_startedAtMs = Clock::nowMs();
    m_elapsedMs = 0;
    m_bytes = m_writer->bytesOnDisk();
    m_frames = 0;
    m_commands = 0;
    if (m_store)
        m_store->ingest()->setCapturing(true);
    m_drainTimer.start();
    setError({});
    Q_EMIT recordingChanged();
    Q_EMIT progress();
    Q_EMIT logEvent(LogModel::Info, QStringLiteral("record"), tr("Recording to %1").arg(path));
    return true;
}

void SessionRecorder::stop()
{
    if (!m_writer)
        return;
    drain();
    if (m_store)
        m_store->ingest()->setCapturing(false);
    m_drainTimer.stop();
    if (m_writer) {
        m_lastPath = m_writer->currentPath();
        m_writer->close();
        m_bytes = m_writer->bytesOnDisk();
        m_writer.reset();
    }
    Q_EMIT recordingChanged();
    Q_EMIT progress();
    Q_EMIT logEvent(LogModel::Info, QStringLiteral("record"),
                    tr("Recorded %1 frames and %2 commands in %3 to %4 (%5)")
                        .arg(m_frames)
                        .arg(m_commands)
                        .arg(formatDuration(double(m_elapsedMs)), m_lastPath, formatBytes(double(m_bytes))));
}

void SessionRecorder::drain()
{
    if (!m_writer || !m_store)
        return;
    const std::vector<TimedFrame> captured = m_store->ingest()->takeCaptured();
    // One record line per arrival time, as the frames came in one message.
    std::vector<SensorFrame> group;
    qint64 groupMs = -1;
    for (const TimedFrame &timed : captured) {
        if (timed.atMs != groupMs && !group.empty()) {
            m_writer->appendFrames(groupMs - m_startedAtMs, group);
            group.clear();
        }
        groupMs = timed.atMs;
        group.push_back(timed.frame);
    }
    if (!group.empty())
        m_writer->appendFrames(groupMs - m_startedAtMs, group);
    m_frames += qint64(captured.size());
    m_elapsedMs = Clock::nowMs() - m_startedAtMs;
    m_bytes = m_writer->bytesOnDisk();
    Q_EMIT progress();
}

QString SessionRecorder::statusText() const
{
    if (!m_writer && m_lastPath.isEmpty())
        return tr("Not recording");
    return tr("%1 · %2 · %3 frames · %4 commands")
        .arg(formatDuration(double(m_elapsedMs)), formatBytes(double(m_bytes)))
        .arg(m_frames)
        .arg(m_commands);
}

QString SessionRecorder::formatBytes(double bytes)
{
    if (bytes < 1024)
        return tr("%1 B").arg(qint64(bytes));
    if (bytes < 1024 * 1024)
        return tr("%1 KB").arg(bytes / 1024, 0, 'f', 1);
    return tr("%1 MB").arg(bytes / (1024 * 1024), 0, 'f', 1);
}

QString SessionRecorder::formatDuration(double ms)
{
    const qint64 total = qint64(ms / 1000);
    const QString minutesSeconds
        = QStringLiteral("%1:%2").arg(total / 60 % 60).arg(total % 60, 2, 10, QLatin1Char('0'));
    return total >= 3600
        ? QStringLiteral("%1:").arg(total / 3600) + minutesSeconds.rightJustified(5, QLatin1Char('0'))
        : minutesSeconds;
}

void SessionRecorder::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
    if (!error.isEmpty())
        Q_EMIT logEvent(LogModel::Error, QStringLiteral("record"), error);
}

} // namespace GroupLoop
