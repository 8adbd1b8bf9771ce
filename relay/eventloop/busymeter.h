// BusyMeter: is a stream of events (socket reports, frames) busy enough for pacing to pay? The
// relay paces a busy loop (epoll's coalescing interval, the fan-out's interval) to spend fewer
// system calls per frame; at light load that saves nothing worth having and only adds latency.
// Events are counted in windows of WindowUs; the meter turns busy after a window that ran at
// `busyPerSecond` or more and idle again after one under half that (the gap keeps a load near
// the threshold from flapping). A silence of a window or more reads as idle at once.
#pragma once

#include <QtGlobal>

namespace GroupLoop {

class BusyMeter
{
public:
    static constexpr qint64 WindowUs = 100000;
    // The relay's threshold (RelayConfig::busyPerSecond): 20 devices x 20 Hz, 400 a second, stay
    // far under it; 300 x 50 Hz, 15,000 a second, far over.
    static constexpr int DefaultPerSecond = 2000;

    // 0: always busy (pacing as soon as events keep coming).
    explicit BusyMeter(int busyPerSecond = 0)
        : m_busyPerSecond(busyPerSecond)
    {
    }

    void setThreshold(int busyPerSecond)
    {
        m_busyPerSecond = busyPerSecond;
        m_busy = busyPerSecond <= 0;
    }
    int threshold() const { return m_busyPerSecond; }

    // Counts `events` at `nowUs` (any monotonic clock) and says whether the stream is busy now.
    bool add(qint64 nowUs, qint64 events)
    {
        if (m_busyPerSecond <= 0)
            return true;
        const qint64 spanUs = nowUs - m_windowStartUs;
        if (spanUs >= WindowUs) {
            // After a silence of a window or more the stream starts afresh, idle.
            const qint64 perSecond = m_count * 1000000 / spanUs;
            m_busy = spanUs < 2 * WindowUs && perSecond >= (m_busy ? m_busyPerSecond / 2 : m_busyPerSecond);
            m_windowStartUs = nowUs;
            m_count = 0;
        }
        m_count += events;
        return isBusy(nowUs);
    }

    bool isBusy(qint64 nowUs) const
    {
        if (m_busyPerSecond <= 0)
            return true;
        return m_busy && nowUs - m_windowStartUs < 2 * WindowUs;
    }

private:
    int m_busyPerSecond;
    bool m_busy = m_busyPerSecond <= 0;
    qint64 m_windowStartUs = 0;
    qint64 m_count = 0;
};

} // namespace GroupLoop
