// Fan-out: each frame is serialised once; the frames of one event-loop pass go to every
// subscriber as one newline-joined text message, under load at most one per --fanout-ms (the
// frames of the passes in between join it) and with --batch-ms after a fixed window. A subscriber
// whose socket has more than outboxHighWaterBytes queued gets its frames coalesced, last
// value per device wins, until it drains; commands and replies bypass this and are never dropped.
#include "relaylogging.h"
#include "relayserver_p.h"
#include "sensorframe.h"
#include "sessionwriter.h"
#include "websocketconnection.h"

namespace GroupLoop {

void RelayServerPrivate::enqueueFrame(quint16 id, QStringView line)
{
    const qsizetype offset = m_batch.size();
    m_batch.resize(offset + SensorFrame::TextLength + 1);
    char *out = m_batch.data() + offset;
    for (int i = 0; i < SensorFrame::TextLength; ++i)
        out[i] = char(line[i].unicode() | 0x20); // hex digits: | 0x20 lowercases letters, keeps digits
    out[SensorFrame::TextLength] = '\n';
    m_batchFrames.append({id, offset});
    if (m_backplane)
        m_backplane->addLocalFrame(out);

    if (config.oneFramePerMessage)
        flushFrames();
    else
        scheduleFlush(false);
}

// Not before the --batch-ms window, and not sooner than --fanout-ms after the previous message.
// A local frame that may go at once still waits for the end of its pass (a zero timer), so the
// pass's other frames join it; a batch from the backplane is a whole pass already.
void RelayServerPrivate::scheduleFlush(bool atOnceIfDue)
{
    if (m_flushTimer.isActive())
        return;
    const qint64 waitMs = std::max<qint64>(config.batchMs, m_lastFlushMs + config.fanoutMs - nowMs());
    if (waitMs <= 0 && atOnceIfDue)
        flushFrames();
    else
        m_flushTimer.start(int(std::max<qint64>(waitMs, 0)));
}

void RelayServerPrivate::flushFrames()
{
    m_flushTimer.stop();
    if (m_batchFrames.isEmpty())
        return;
    m_lastFlushMs = nowMs();
    if (m_recorder) // once per flush, not per subscriber: a memcpy into the second's buffer
        m_recorder->appendFrameBatch(m_recorder->elapsedMs(), m_batch);
    if (m_backplane)
        m_backplane->flushFrames(); // one PUBLISH of this flush's local frames
    // Closing a subscriber never removes it from m_subscribers at once (a failed write ends its
    // connection from the event loop), so this loop is safe.
    for (Client *subscriber : std::as_const(m_subscribers))
        deliver(subscriber, m_batch); // lowercase hex and newlines: ASCII is UTF-8
    m_batch.clear();
    m_batchFrames.clear();
}

void RelayServerPrivate::deliver(Client *subscriber, QByteArrayView batch)
{
    if (subscriber->closing)
        return;
    const quint64 frames = quint64(m_batchFrames.size());
    if (!subscriber->congested && subscriber->socket->bytesToWrite() <= config.outboxHighWaterBytes) {
        const qint64 bytes = subscriber->socket->sendText(batch); // one write, straight to the kernel
        if (bytes < 0)
            return;
        stats.bytesOut += quint64(bytes);
        ++stats.messagesOut;
        stats.framesOut += frames;
        stats.outboxPeakBytes = std::max(stats.outboxPeakBytes, subscriber->socket->bytesToWrite());
        return;
    }
    if (!subscriber->congested) {
        subscriber->congested = true;
        subscriber->congestedSinceMs = nowMs();
        qCInfo(lcRelayLimits).noquote()
            << QStringLiteral("[SLOW] #%1 %2 has %3 bytes queued; coalescing its frames")
                   .arg(subscriber->serial)
                   .arg(subscriber->peer)
                   .arg(subscriber->socket->bytesToWrite());
    }
    for (const auto &[id, offset] : std::as_const(m_batchFrames)) {
        FrameText frame;
        std::copy_n(m_batch.constData() + offset, frame.size(), frame.begin());
        auto it = subscriber->coalesced.find(id);
        if (it == subscriber->coalesced.end()) {
            subscriber->coalesced.insert(id, frame);
        } else {
            *it = frame;
            ++stats.framesCoalesced;
        }
    }
}

void RelayServerPrivate::drainCoalesced(Client *subscriber)
{
    if (subscriber->closing || subscriber->socket->bytesToWrite() > config.outboxHighWaterBytes / 2)
        return;
    subscriber->congested = false;
    if (subscriber->coalesced.isEmpty())
        return;
    QByteArray text;
    text.reserve(subscriber->coalesced.size() * (SensorFrame::TextLength + 1));
    for (const FrameText &frame : std::as_const(subscriber->coalesced)) {
        text.append(frame.data(), qsizetype(frame.size()));
        text.append('\n');
    }
    stats.framesOut += quint64(subscriber->coalesced.size());
    subscriber->coalesced.clear();
    const qint64 bytes = subscriber->socket->sendText(text);
    if (bytes < 0)
        return;
    stats.bytesOut += quint64(bytes);
    ++stats.messagesOut;
    qCInfo(lcRelayLimits).noquote() << QStringLiteral("[SLOW] #%1 %2 drained; streaming again")
                                           .arg(subscriber->serial)
                                           .arg(subscriber->peer);
}

} // namespace GroupLoop
