#include "frameingest.h"

namespace GroupLoop {

void FrameIngest::merge(QHash<quint16, PendingDevice> &into, const TimedFrame &timed, FrameSource source)
{
    PendingDevice &device = into[timed.frame.id];
    (source == FrameSource::Live ? device.live : device.replayed) = true;
    device.latest = timed.frame;
    device.lastSeenMs = timed.atMs;
    ++device.frames;
    if (timed.frame.isTap())
        ++device.taps;
}

void FrameIngest::push(const std::vector<TimedFrame> &batch, FrameSource source)
{
    QMutexLocker lock(&m_mutex);
    for (const TimedFrame &timed : batch)
        merge(m_pending, timed, source);
    m_totalFrames += batch.size();
    if (m_capturing)
        m_captured.insert(m_captured.end(), batch.begin(), batch.end());
}

void FrameIngest::push(const SensorFrame &frame, qint64 atMs)
{
    QMutexLocker lock(&m_mutex);
    merge(m_pending, TimedFrame {frame, atMs}, FrameSource::Live);
    ++m_totalFrames;
    if (m_capturing)
        m_captured.push_back(TimedFrame {frame, atMs});
}

void FrameIngest::setCapturing(bool on)
{
    QMutexLocker lock(&m_mutex);
    m_capturing = on;
    m_captured.clear();
}

std::vector<TimedFrame> FrameIngest::takeCaptured()
{
    std::vector<TimedFrame> out;
    QMutexLocker lock(&m_mutex);
    out.swap(m_captured);
    return out;
}

void FrameIngest::discardReplayed()
{
    QMutexLocker lock(&m_mutex);
    m_pending.removeIf([](const auto &it) { return !it.value().live; });
}

QHash<quint16, PendingDevice> FrameIngest::drain()
{
    QHash<quint16, PendingDevice> out;
    QMutexLocker lock(&m_mutex);
    out.swap(m_pending);
    return out;
}

quint64 FrameIngest::totalFrames() const
{
    QMutexLocker lock(&m_mutex);
    return m_totalFrames;
}

quint64 FrameIngest::malformedLines() const
{
    QMutexLocker lock(&m_mutex);
    return m_malformed;
}

void FrameIngest::countMalformed(int lines)
{
    QMutexLocker lock(&m_mutex);
    m_malformed += quint64(lines);
}

} // namespace GroupLoop
