#include "fanout.h"

#include "relaylogging.h"

namespace GroupLoop {

FanOut::FanOut(FanOutSettings settings, Observer *observer)
    : m_settings(settings)
    , m_observer(observer)
    , m_busy(settings.busyFramesPerSecond)
{
    m_clock.start();
    m_flushTimer.setSingleShot(true);
    QObject::connect(&m_flushTimer, &QTimer::timeout, &m_flushTimer, [this] { flush(); });
}

void FanOut::subscribe(Subscriber *subscriber)
{
    if (!m_subscribers.contains(subscriber))
        m_subscribers.append(subscriber);
}

void FanOut::unsubscribe(Subscriber *subscriber)
{
    m_subscribers.removeOne(subscriber);
}

void FanOut::addFrame(quint16 id, QStringView line)
{
    const qsizetype offset = m_batch.size();
    m_batch.resize(offset + SensorFrame::TextLength + 1);
    char *out = m_batch.data() + offset;
    for (int i = 0; i < SensorFrame::TextLength; ++i)
        out[i] = char(line[i].unicode() | 0x20); // hex digits: | 0x20 lowercases letters, keeps digits
    out[SensorFrame::TextLength] = '\n';
    m_batchFrames.append({id, offset});
    if (m_observer)
        m_observer->localFrameAdded(out);

    if (m_settings.oneFramePerMessage)
        flush();
    else
        scheduleFlush(false);
}

void FanOut::addRecord(quint16 id, const char *record)
{
    m_batchFrames.append({id, m_batch.size()});
    m_batch.append(record, SensorFrame::TextLength + 1);
    if (m_settings.oneFramePerMessage)
        flush();
}

void FanOut::recordsAdded()
{
    if (!m_batchFrames.isEmpty())
        scheduleFlush(true);
}

// Not before the --batch-ms window, and while busy not sooner than --fanout-ms after the
// previous message. A local frame that may go at once still waits for the end of its pass (a zero timer), so
// the pass's other frames join it; records from another relay are a whole pass already.
void FanOut::scheduleFlush(bool atOnceIfDue)
{
    if (m_flushTimer.isActive())
        return;
    const qint64 us = nowUs();
    const qint64 pacedMs = m_busy.isBusy(us) ? m_lastFlushMs + m_settings.fanoutMs - us / 1000 : 0;
    const qint64 waitMs = std::max<qint64>(m_settings.batchMs, pacedMs);
    if (waitMs <= 0 && atOnceIfDue)
        flush();
    else
        m_flushTimer.start(int(std::max<qint64>(waitMs, 0)));
}

void FanOut::flush()
{
    m_flushTimer.stop();
    if (m_batchFrames.isEmpty())
        return;
    const qint64 us = nowUs();
    m_lastFlushMs = us / 1000;
    m_busy.add(us, m_batchFrames.size()); // counted per message, not per frame: cheaper
    if (m_observer) // once per flush, not per subscriber
        m_observer->aboutToDeliver(m_batch);
    // A subscriber is never unsubscribed from inside deliver() (a failed write ends its connection
    // from the event loop), so this loop is safe.
    for (Subscriber *subscriber : std::as_const(m_subscribers))
        deliver(subscriber);
    m_batch.clear();
    m_batchFrames.clear();
}

void FanOut::deliver(Subscriber *subscriber)
{
    if (subscriber->isClosing())
        return;
    const quint64 frames = quint64(m_batchFrames.size());
    if (!subscriber->m_congested && subscriber->bytesToWrite() <= m_settings.outboxHighWaterBytes) {
        // Lowercase hex and newlines: ASCII is UTF-8. One write, straight to the kernel.
        const qint64 bytes = subscriber->sendText(m_batch);
        if (bytes < 0)
            return;
        m_stats.bytesOut += quint64(bytes);
        ++m_stats.messagesOut;
        m_stats.framesOut += frames;
        m_stats.outboxPeakBytes = std::max(m_stats.outboxPeakBytes, subscriber->bytesToWrite());
        return;
    }
    if (!subscriber->m_congested) {
        subscriber->m_congested = true;
        subscriber->m_congestedSinceMs = nowMs();
        qCInfo(lcRelayLimits).noquote()
            << QStringLiteral("[SLOW] %1 has %2 bytes queued; coalescing its frames")
                   .arg(subscriber->name())
                   .arg(subscriber->bytesToWrite());
    }
    for (const auto &[id, offset] : std::as_const(m_batchFrames)) {
        FrameText frame;
        std::copy_n(m_batch.constData() + offset, frame.size(), frame.begin());
        auto it = subscriber->m_coalesced.find(id);
        if (it == subscriber->m_coalesced.end()) {
            subscriber->m_coalesced.insert(id, frame);
        } else {
            *it = frame;
            ++m_stats.framesCoalesced;
        }
    }
}

void FanOut::drain(Subscriber *subscriber)
{
    if (!subscriber->m_congested || subscriber->isClosing()
        || subscriber->bytesToWrite() > m_settings.outboxHighWaterBytes / 2)
        return;
    subscriber->m_congested = false;
    QHash<quint16, FrameText> &coalesced = subscriber->m_coalesced;
    if (coalesced.isEmpty())
        return;
    QByteArray text;
    text.reserve(coalesced.size() * (SensorFrame::TextLength + 1));
    for (const FrameText &frame : std::as_const(coalesced)) {
        text.append(frame.data(), qsizetype(frame.size()));
        text.append('\n');
    }
    m_stats.framesOut += quint64(coalesced.size());
    coalesced.clear();
    const qint64 bytes = subscriber->sendText(text);
    if (bytes < 0)
        return;
    m_stats.bytesOut += quint64(bytes);
    ++m_stats.messagesOut;
    qCInfo(lcRelayLimits).noquote()
        << QStringLiteral("[SLOW] %1 drained; streaming again").arg(subscriber->name());
}

qint64 FanOut::congestedForMs(const Subscriber &subscriber) const
{
    return subscriber.m_congested ? nowMs() - subscriber.m_congestedSinceMs : -1;
}

void FanOut::discard(Subscriber *subscriber)
{
    subscriber->m_coalesced.clear();
}

} // namespace GroupLoop
