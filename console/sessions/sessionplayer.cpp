#include "sessionplayer.h"

#include "clock.h"
#include "devicestore.h"
#include "localpath.h"
#include "logmodel.h"
#include "sessionrecorder.h"

#include <QFileInfo>
#include <QHash>
#include <QUrl>

#include <algorithm>

namespace GroupLoop {

namespace {

constexpr int HoldIntervalMs = 500;
constexpr qint64 SeekLookBackMs = 1000; // a seek shows each device's last frame from this far back

} // namespace

SessionPlayer::SessionPlayer(DeviceStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(TickMs);
    connect(&m_timer, &QTimer::timeout, this, &SessionPlayer::advance);
    m_holdTimer.setInterval(HoldIntervalMs);
    connect(&m_holdTimer, &QTimer::timeout, this, &SessionPlayer::holdWhilePaused);
}

QString SessionPlayer::fileName() const
{
    return m_session ? QFileInfo(m_session->path).fileName() : QString();
}

QString SessionPlayer::summary() const
{
    if (!m_session)
        return {};
    const SessionHeader &h = m_session->header;
    QString text = (deviceCount() == 1 ? tr("1 device") : tr("%1 devices").arg(deviceCount()))
        + tr(", %1 frames, %2 commands").arg(m_session->frames.size()).arg(m_session->commands.size());
    if (h.started.isValid())
        text += tr(" · recorded %1")
                    .arg(h.started.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    if (!h.relay.isEmpty())
        text += tr(" from %1").arg(h.relay);
    if (h.part > 1)
        text += tr(" · part %1").arg(h.part);
    return text;
}

QString SessionPlayer::problems() const
{
    if (!m_session || m_session->problems.isEmpty())
        return {};
    const int skipped = m_session->skippedLines;
    if (skipped == 0) // a truncated or damaged gzip stream: nothing skipped line by line
        return m_session->problems.constFirst();
    return (skipped == 1 ? tr("1 line skipped: ") : tr("%1 lines skipped: ").arg(skipped))
        + m_session->problems.constFirst();
}

QString SessionPlayer::positionText() const
{
    return SessionRecorder::formatDuration(positionMs()) + QStringLiteral(" / ")
        + SessionRecorder::formatDuration(durationMs());
}

double SessionPlayer::durationMs() const
{
    return m_session ? double(m_session->endMs() - m_session->startMs()) : 0.0;
}

void SessionPlayer::setSpeed(double speed)
{
    speed = std::clamp(speed, MinSpeed, MaxSpeed);
    if (qFuzzyCompare(speed, m_speed))
        return;
    advance(); // the time so far at the old speed
    m_speed = speed;
    restartClock();
    Q_EMIT speedChanged();
}

void SessionPlayer::setLoop(bool loop)
{
    if (loop == m_loop)
        return;
    m_loop = loop;
    Q_EMIT loopChanged();
}

bool SessionPlayer::open(const QString &pathOrUrl)
{
    const QString path = localPath(pathOrUrl);
    auto session = std::make_shared<SessionRecording>(SessionReader::read(path));
    if (!session->isValid()) {
        setError(session->error);
        return false;
    }
    if (session->frames.empty()) {
        setError(tr("%1: no frames to replay").arg(path));
        return false;
    }
    close();
    m_session = std::move(session);
    m_ids = m_session->deviceIds();
    setError({});
    for (const QString &problem : m_session->problems)
        Q_EMIT logEvent(LogModel::Warning, QStringLiteral("replay"), problem);
    Q_EMIT logEvent(LogModel::Info, QStringLiteral("replay"), tr("Opened %1: %2").arg(path, summary()));
    Q_EMIT loadedChanged();
    seek(0);
    m_holdTimer.start();
    return true;
}

void SessionPlayer::close()
{
    if (!m_session)
        return;
    setPlaying(false);
    m_holdTimer.stop();
    m_session.reset();
    m_ids.clear();
    m_next = 0;
    m_positionMs = 0;
    Q_EMIT loadedChanged();
    Q_EMIT positionChanged();
}

void SessionPlayer::play()
{
    if (!m_session || m_playing)
        return;
    if (m_positionMs >= m_session->endMs())
        seek(0);
    restartClock();
    setPlaying(true);
}

void SessionPlayer::pause()
{
    if (!m_playing)
        return;
    advance();
    setPlaying(false);
}

void SessionPlayer::togglePlaying()
{
    if (m_playing)
        pause();
    else
        play();
}

void SessionPlayer::seek(double positionMs)
{
    if (!m_session)
        return;
    const qint64 start = m_session->startMs();
    m_positionMs = start + std::clamp(qint64(positionMs), qint64(0), m_session->endMs() - start);
    const auto &frames = m_session->frames;
    m_next = size_t(std::upper_bound(frames.begin(), frames.end(), m_positionMs,
                                     [](qint64 ms, const SessionFrame &f) { return ms < f.ms; })
                    - frames.begin());
    pushStateAt(m_positionMs);
    restartClock();
    Q_EMIT positionChanged();
}

void SessionPlayer::advance()
{
    if (!m_session || !m_playing)
        return;
    const qint64 target = m_clockBaseMs + qint64(double(m_clock.elapsed()) * m_speed);
    pushDue(target);
    const qint64 end = m_session->endMs();
    m_positionMs = std::min(target, end);
    if (target >= end) {
        if (m_loop) {
            m_next = 0;
            m_positionMs = m_session->startMs();
            restartClock();
        } else {
            setPlaying(false);
            Q_EMIT finished();
        }
    }
    Q_EMIT positionChanged();
}

void SessionPlayer::pushDue(qint64 untilMs)
{
    const auto &frames = m_session->frames;
    if (!m_store || m_next >= frames.size() || frames[m_next].ms > untilMs)
        return;
    const qint64 now = Clock::nowMs();
    std::vector<TimedFrame> batch;
    while (m_next < frames.size() && frames[m_next].ms <= untilMs)
        batch.push_back(TimedFrame {frames[m_next++].frame, now});
    m_store->ingest()->push(batch);
}

void SessionPlayer::pushStateAt(qint64 sessionMs)
{
    if (!m_store)
        return;
    const auto &frames = m_session->frames;
    QHash<quint16, SensorFrame> latest;
    for (size_t i = m_next; i > 0 && frames[i - 1].ms >= sessionMs - SeekLookBackMs; --i) {
        if (!latest.contains(frames[i - 1].frame.id))
            latest.insert(frames[i - 1].frame.id, frames[i - 1].frame);
    }
    const qint64 now = Clock::nowMs();
    std::vector<TimedFrame> batch;
    for (const SensorFrame &frame : std::as_const(latest)) {
        SensorFrame shown = frame;
        shown.tap = 0; // a tap belongs to its moment, not to a seek
        batch.push_back(TimedFrame {shown, now});
    }
    m_store->ingest()->push(batch);
}

void SessionPlayer::holdWhilePaused()
{
    if (m_store && m_session && !m_playing)
        m_store->holdDevices(m_ids, Clock::nowMs());
}

bool SessionPlayer::exportCsv(const QString &pathOrUrl)
{
    if (!m_session) {
        setError(tr("Open a session first"));
        return false;
    }
    const QString path = localPath(pathOrUrl);
    QString why;
    if (!SessionCsv::write(*m_session, path, &why)) {
        setError(why);
        return false;
    }
    setError({});
    Q_EMIT logEvent(LogModel::Info, QStringLiteral("replay"),
                    tr("Exported %1 frames as CSV to %2").arg(m_session->frames.size()).arg(path));
    return true;
}

QString SessionPlayer::suggestedCsvPath() const
{
    if (!m_session)
        return {};
    QString path = m_session->path;
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
    if (playing)
        m_timer.start();
    else
        m_timer.stop();
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

void SessionPlayer::restartClock()
{
    m_clockBaseMs = m_positionMs;
    m_clock.start();
}

} // namespace GroupLoop
