#include "sessionplayer.h"

#include "clock.h"
#include "devicestore.h"
#include "localpath.h"
#include "logmodel.h"
#include "replayworker.h"
#include "sessionrecorder.h"

#include <QFileInfo>
#include <QUrl>

#include <algorithm>

namespace GroupLoop {

namespace {

constexpr int HoldIntervalMs = 500;

} // namespace

SessionPlayer::SessionPlayer(DeviceStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    m_holdTimer.setInterval(HoldIntervalMs);
    connect(&m_holdTimer, &QTimer::timeout, this, &SessionPlayer::holdWhilePaused);
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("replay"));
    m_worker = new ReplayWorker(store->ingest());
    m_worker->moveToThread(m_thread);
    // Deleted in its thread as the thread ends: deleteLater() would not run once the
    // application object is gone.
    connect(m_thread, &QThread::finished, [worker = m_worker] { delete worker; });
    connect(m_worker, &ReplayWorker::loadProgress, this, [this](double fraction, int loadId) {
        if (loadId == m_loadId && m_loading)
            setLoading(true, fraction);
    });
    connect(m_worker, &ReplayWorker::loaded, this, &SessionPlayer::onLoaded);
    connect(m_worker, &ReplayWorker::loadFailed, this, [this](const QString &error, int loadId) {
        if (loadId != m_loadId)
            return; // an earlier load, cancelled
        setLoading(false, 0.0);
        m_playWhenLoaded = false;
        setError(error);
    });
    connect(m_worker, &ReplayWorker::positionChanged, this, &SessionPlayer::onPosition);
    connect(m_worker, &ReplayWorker::finished, this, [this](int generation) {
        if (generation != m_generation)
            return;
        m_finished = true;
        setPlaying(false);
        Q_EMIT finished();
    });
    m_thread->start();
}

SessionPlayer::~SessionPlayer()
{
    m_worker->cancelLoad();
    m_thread->quit();
    m_thread->wait();
}

QString SessionPlayer::fileName() const
{
    return m_index ? QFileInfo(m_index->path).fileName() : QString();
}

QString SessionPlayer::summary() const
{
    if (!m_index)
        return {};
    const SessionHeader &h = m_index->header;
    QString text = (deviceCount() == 1 ? tr("1 device") : tr("%1 devices").arg(deviceCount()))
        + tr(", %1 frames, %2 commands").arg(m_index->frames).arg(m_index->commands);
    if (h.started.isValid())
        text += tr(" · recorded %1")
                    .arg(h.started.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    if (!h.relay.isEmpty())
        text += tr(" from %1").arg(h.relay);
    if (m_index->parts.size() > 1)
        text += tr(" · parts %1 to %2").arg(h.part).arg(h.part + int(m_index->parts.size()) - 1);
    else if (h.part > 1)
        text += tr(" · part %1").arg(h.part);
    return text;
}

QString SessionPlayer::problems() const
{
    if (!m_index || m_index->problems.list.isEmpty())
        return {};
    const int skipped = m_index->problems.skippedLines;
    if (skipped == 0) // a truncated or damaged gzip stream: nothing skipped line by line
        return m_index->problems.list.constFirst();
    return (skipped == 1 ? tr("1 line skipped: ") : tr("%1 lines skipped: ").arg(skipped))
        + m_index->problems.list.constFirst();
}

QString SessionPlayer::positionText() const
{
    return SessionRecorder::formatDuration(positionMs()) + QStringLiteral(" / ")
        + SessionRecorder::formatDuration(durationMs());
}

double SessionPlayer::durationMs() const
{
    return m_index ? double(m_index->endMs - m_index->startMs()) : 0.0;
}

void SessionPlayer::setSpeed(double speed)
{
    speed = std::clamp(speed, MinSpeed, MaxSpeed);
    if (qFuzzyCompare(speed, m_speed))
        return;
    m_speed = speed;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, speed] { w->setSpeed(speed); });
    Q_EMIT speedChanged();
}

void SessionPlayer::setLoop(bool loop)
{
    if (loop == m_loop)
        return;
    m_loop = loop;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, loop] { w->setLoop(loop); });
    Q_EMIT loopChanged();
}

bool SessionPlayer::open(const QString &pathOrUrl)
{
    const QString path = localPath(pathOrUrl);
    // The header at once (a wrong file is named now); the rest in the worker thread.
    SessionStream probe;
    QString error;
    if (!probe.open(path, SessionStream::Parts::Single, &error)) {
        setError(error);
        return false;
    }
    close();
    setError({});
    m_worker->cancelLoad(); // a load still running gives way
    const int loadId = ++m_loadId;
    setLoading(true, 0.0);
    QMetaObject::invokeMethod(m_worker, [w = m_worker, path, loadId] { w->load(path, loadId); });
    return true;
}

void SessionPlayer::onLoaded(const std::shared_ptr<const SessionIndex> &index, int loadId)
{
    if (loadId != m_loadId)
        return;
    m_index = index;
    m_finished = false;
    setLoading(false, 1.0);
    for (const QString &problem : m_index->problems.list)
        Q_EMIT logEvent(LogModel::Warning, QStringLiteral("replay"), problem);
    Q_EMIT logEvent(LogModel::Info, QStringLiteral("replay"),
                    tr("Opened %1: %2").arg(m_index->path, summary()));
    Q_EMIT loadedChanged();
    seek(0);
    m_holdTimer.start();
    if (std::exchange(m_playWhenLoaded, false))
        play();
}

void SessionPlayer::close()
{
    m_playWhenLoaded = false;
    if (m_loading) {
        m_worker->cancelLoad();
        ++m_loadId;
        setLoading(false, 0.0);
    }
    if (!m_index)
        return;
    setPlaying(false);
    m_holdTimer.stop();
    ++m_generation;
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->unload(); });
    removeReplayedDevices();
    m_holdTimer.stop();
    m_index.reset();
    m_positionMs = 0;
    Q_EMIT loadedChanged();
    Q_EMIT positionChanged();
}

void SessionPlayer::play()
{
    if (m_loading) {
        m_playWhenLoaded = true;
        return;
    }
    if (!m_index || m_playing)
        return;
    if (m_finished || m_positionMs >= m_index->endMs)
        seek(0);
    m_finished = false;
    const int generation = ++m_generation;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, generation] { w->play(generation); });
    setPlaying(true);
}

void SessionPlayer::pause()
{
    m_playWhenLoaded = false;
    if (!m_playing)
        return;
    const int generation = ++m_generation;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, generation] { w->pause(generation); });
    setPlaying(false);
}

void SessionPlayer::togglePlaying()
{
    if (m_playing || m_playWhenLoaded)
        pause();
    else
        play();
}

void SessionPlayer::stop()
{
    if (!m_index)
        return;
    pause();
    m_finished = true; // the next play starts from the beginning
    m_positionMs = m_index->startMs();
    ++m_generation;
    Q_EMIT positionChanged();
    removeReplayedDevices();
}

void SessionPlayer::seek(double positionMs)
{
    if (!m_index)
        return;
    const qint64 start = m_index->startMs();
    m_positionMs = start + std::clamp(qint64(positionMs), qint64(0), m_index->endMs - start);
    m_finished = false;
    const int generation = ++m_generation;
    const qint64 target = m_positionMs;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, target, generation] { w->seek(target, generation); });
    Q_EMIT positionChanged();
}

void SessionPlayer::onPosition(qint64 sessionMs, int generation)
{
    if (generation != m_generation || !m_index)
        return;
    m_positionMs = sessionMs;
    Q_EMIT positionChanged();
}

void SessionPlayer::holdWhilePaused()
{
    if (m_store && m_index && !m_playing && !m_finished)
        m_store->holdDevices(m_index->deviceIds, Clock::nowMs());
}

void SessionPlayer::removeReplayedDevices()
{
    if (m_store)
        m_store->endReplay();
    // Frames the worker pushed before it saw the pause: once it has, drop those too.
    QMetaObject::invokeMethod(m_worker, [this] {
        QMetaObject::invokeMethod(this, [this] {
            if (m_store && (m_finished || !m_index))
                m_store->endReplay();
        });
    });
}

bool SessionPlayer::exportCsv(const QString &pathOrUrl)
{
    if (!m_index) {
        setError(tr("Open a session first"));
        return false;
    }
    const QString path = localPath(pathOrUrl);
    QString why;
    SessionStream stream;
    qint64 frames = 0;
    if (!stream.open(m_index->path, SessionStream::Parts::Follow, &why)
        || !SessionCsv::write(stream, path, &why, &frames)) {
        setError(why);
        return false;
    }
    setError({});
    Q_EMIT logEvent(LogModel::Info, QStringLiteral("replay"),
                    tr("Exported %1 frames as CSV to %2").arg(frames).arg(path));
    return true;
}

QString SessionPlayer::suggestedCsvPath() const
{
    if (!m_index)
        return {};
    QString path = m_index->path;
    for (const QLatin1String suffix : {QLatin1String(".gz"), QLatin1String(".session")}) {
        if (path.endsWith(suffix))
            path.chop(suffix.size());
    }
    return path + QStringLiteral(".csv");
}

void SessionPlayer::setPlaying(bool playing)
{
    if (playing == m_playing)
        return;
    m_playing = playing;
    Q_EMIT playingChanged();
}

void SessionPlayer::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
    if (!error.isEmpty())
        Q_EMIT logEvent(LogModel::Error, QStringLiteral("replay"), error);
}

void SessionPlayer::setLoading(bool loading, double progress)
{
    if (loading == m_loading && qFuzzyCompare(progress + 1.0, m_loadProgress + 1.0))
        return;
    m_loading = loading;
    m_loadProgress = progress;
    Q_EMIT loadingChanged();
}

} // namespace GroupLoop
