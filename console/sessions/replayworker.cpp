#include "replayworker.h"

#include "clock.h"
#include "frameingest.h"

#include <QHash>

#include <algorithm>

namespace GroupLoop {

ReplayWorker::ReplayWorker(std::shared_ptr<FrameIngest> ingest)
    : m_ingest(std::move(ingest))
{
}

void ReplayWorker::load(const QString &path, int loadId)
{
    unload();
    m_cancel.store(false);
    QElapsedTimer sinceProgress;
    sinceProgress.start();
    auto index = std::make_shared<SessionIndex>(SessionIndex::build(
        path,
        [this, &sinceProgress, loadId](double fraction) {
            if (sinceProgress.elapsed() >= 100) {
                sinceProgress.restart();
                Q_EMIT loadProgress(fraction, loadId);
            }
        },
        &m_cancel));
    QString error = index->error;
    auto stream = std::make_unique<SessionStream>();
    if (error.isEmpty() && index->frames == 0)
        error = path + QStringLiteral(": no frames to replay");
    if (error.isEmpty())
        stream->open(path, SessionStream::Parts::Follow, &error);
    if (!error.isEmpty()) {
        Q_EMIT loadFailed(error, loadId);
        return;
    }
    m_index = std::move(index);
    m_stream = std::move(stream);
    Q_EMIT loaded(m_index, loadId);
}

void ReplayWorker::unload()
{
    if (m_timer)
        m_timer->stop();
    m_stream.reset();
    m_index.reset();
    m_have = false;
    m_atEnd = false;
}

void ReplayWorker::play(int generation)
{
    if (!m_index)
        return;
    m_generation = generation;
    if (m_atEnd)
        seek(m_index->startMs(), generation);
    if (!m_timer) {
        m_timer = new QTimer(this);
        m_timer->setTimerType(Qt::PreciseTimer);
        m_timer->setInterval(TickMs);
        connect(m_timer, &QTimer::timeout, this, &ReplayWorker::advance);
    }
    restartClock(m_positionMs);
    m_timer->start();
}

void ReplayWorker::pause(int generation)
{
    if (!m_index || !m_timer || !m_timer->isActive())
        return;
    advance();
    m_timer->stop();
    m_generation = generation;
    report(true);
}

void ReplayWorker::setSpeed(double speed)
{
    if (m_timer && m_timer->isActive())
        advance(); // the time so far at the old speed
    m_speed = speed;
    restartClock(m_positionMs);
}

void ReplayWorker::seek(qint64 sessionMs, int generation)
{
    if (!m_index)
        return;
    m_generation = generation;
    sessionMs = std::clamp(sessionMs, m_index->startMs(), m_index->endMs);
    m_stream->seek(m_index->positionBefore(sessionMs - SeekLookBackMs));
    m_have = false;
    m_atEnd = false;
    // Each device as it was at sessionMs: its last frame of the look-back window.
    QHash<quint16, SensorFrame> latest;
    while ((m_have = m_stream->next(&m_record)) && m_record.ms <= sessionMs) {
        if (m_record.ms < sessionMs - SeekLookBackMs)
            continue;
        for (const SensorFrame &f : m_record.frames)
            latest.insert(f.id, f);
    }
    m_atEnd = !m_have && sessionMs >= m_index->endMs;
    const qint64 now = Clock::nowMs();
    std::vector<TimedFrame> batch;
    batch.reserve(size_t(latest.size()));
    for (SensorFrame frame : std::as_const(latest)) {
        frame.tap = 0; // a tap belongs to its moment, not to a seek
        batch.push_back(TimedFrame {frame, now});
    }
    m_ingest->push(batch, FrameSource::Replay);
    restartClock(sessionMs);
    report(true);
}

void ReplayWorker::restartClock(qint64 sessionMs)
{
    m_positionMs = sessionMs;
    m_clockBaseMs = sessionMs;
    m_clock.start();
}

void ReplayWorker::advance()
{
    if (!m_index)
        return;
    const qint64 target = m_clockBaseMs + qint64(double(m_clock.elapsed()) * m_speed);
    pushDue(target);
    m_positionMs = std::min(target, m_index->endMs);
    if (target >= m_index->endMs && !m_have) {
        if (m_loop) {
            seek(m_index->startMs(), m_generation);
            return;
        }
        m_timer->stop();
        m_atEnd = true;
        report(true);
        Q_EMIT finished(m_generation);
        return;
    }
    report(false);
}

void ReplayWorker::pushDue(qint64 untilMs)
{
    std::vector<TimedFrame> batch;
    const qint64 now = Clock::nowMs();
    for (;;) {
        if (!m_have && !(m_have = m_stream->next(&m_record)))
            break;
        if (m_record.ms > untilMs)
            break;
        for (const SensorFrame &f : m_record.frames)
            batch.push_back(TimedFrame {f, now});
        m_have = false;
    }
    if (!batch.empty())
        m_ingest->push(batch, FrameSource::Replay);
}

void ReplayWorker::report(bool now)
{
    if (!now && m_sinceReport.isValid() && m_sinceReport.elapsed() < PositionReportMs)
        return;
    m_sinceReport.start();
    Q_EMIT positionChanged(m_positionMs, m_generation);
}

} // namespace GroupLoop
