// FanOut: sensor frames to every subscriber, each frame serialised once. The frames of one
// event-loop pass go to every subscriber as one newline-joined text message; while frames keep
// coming at busyFramesPerSecond or more, at most one message per fanoutMs (the frames of the
// passes in between join it; below that rate each pass's frames leave at once); with
// batchMs, after a fixed window; with oneFramePerMessage, one message per frame. A subscriber
// whose socket has more than outboxHighWaterBytes queued gets its frames coalesced, last value
// per device wins, until it drains. Commands and replies never pass through here, so they are
// never dropped. One job, like uWebSockets' TopicTree: it knows frames and subscribers, not
// clients, recording or the cluster (an Observer hears what they need).
#pragma once

#include "busymeter.h"
#include "sensorframe.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringView>
#include <QTimer>

#include <array>
#include <limits>

namespace GroupLoop {

using FrameText = std::array<char, SensorFrame::TextLength>; // a lowercase frame without its newline

struct FanOutSettings
{
    int batchMs = 0; // hold frames this long after the first one (0: no window)
    int fanoutMs = 8; // while busy, at most one message per subscriber per this many ms
    bool oneFramePerMessage = false; // every frame its own message, as the original relay
    qint64 outboxHighWaterBytes = 1024 * 1024; // queued bytes at which a subscriber is congested
    // fanoutMs paces only from this many frames a second (0: always). At light load a message
    // per pass costs little, and pacing would only add latency.
    int busyFramesPerSecond = BusyMeter::DefaultPerSecond;
};

struct FanOutStats
{
    quint64 framesOut = 0; // frame deliveries: one per frame per subscriber
    quint64 messagesOut = 0;
    quint64 bytesOut = 0;
    quint64 framesCoalesced = 0; // dropped for a slow subscriber (a newer frame replaced it)
    qint64 outboxPeakBytes = 0; // most bytes ever queued in user space for one subscriber
};

class FanOut
{
public:
    // A subscribing connection, as the fan-out sees it; the fan-out's state for it lives here.
    class Subscriber
    {
    public:
        virtual qint64 bytesToWrite() const = 0;
        virtual qint64 sendText(QByteArrayView utf8) = 0; // one message; bytes sent, or -1 when gone
        virtual bool isClosing() const = 0; // gets nothing more
        virtual QString name() const = 0; // "#3 127.0.0.1:40312", for logs

        bool isCongested() const { return m_congested; }

    protected:
        ~Subscriber() = default;

    private:
        friend class FanOut;
        bool m_congested = false;
        qint64 m_congestedSinceMs = 0;
        QHash<quint16, FrameText> m_coalesced;
    };

    // Who else sees the frames: recording and the cluster.
    class Observer
    {
    public:
        // A local frame as it joins the batch: "<20 lowercase hex digits>\n".
        virtual void localFrameAdded(const char *record) = 0;
        // Every batch, once, just before the subscribers get it.
        virtual void aboutToDeliver(QByteArrayView batch) = 0;

    protected:
        ~Observer() = default;
    };

    explicit FanOut(FanOutSettings settings, Observer *observer = nullptr);
    FanOut(const FanOut &) = delete;
    FanOut &operator=(const FanOut &) = delete;

    void subscribe(Subscriber *subscriber);
    void unsubscribe(Subscriber *subscriber);
    qsizetype subscriberCount() const { return m_subscribers.size(); }

    // A frame from a local connection: 20 hex digits (either case), id already decoded.
    void addFrame(quint16 id, QStringView line);
    // A frame record from elsewhere (another relay), already "<20 lowercase hex>\n". Call
    // recordsAdded() after a run of them: they are one pass already, so they leave at once if due.
    void addRecord(quint16 id, const char *record);
    void recordsAdded();

    // Sends what is batched now (shutdown, tests); the pacing timer calls it otherwise.
    void flush();
    // The subscriber's socket has written: under half the high-water mark, its coalesced frames
    // go out as one message and it streams again.
    void drain(Subscriber *subscriber);
    // How long the subscriber has been congested; -1 when it is not.
    qint64 congestedForMs(const Subscriber &subscriber) const;
    // Drops what waits for a subscriber that is being closed.
    void discard(Subscriber *subscriber);

    const FanOutSettings &settings() const { return m_settings; }
    const FanOutStats &stats() const { return m_stats; }

private:
    qint64 nowMs() const { return m_clock.elapsed(); }
    qint64 nowUs() const { return m_clock.nsecsElapsed() / 1000; }
    void scheduleFlush(bool atOnceIfDue);
    void deliver(Subscriber *subscriber);

    FanOutSettings m_settings;
    Observer *m_observer;
    FanOutStats m_stats;
    QElapsedTimer m_clock;
    QList<Subscriber *> m_subscribers;

    // The frames of the current event-loop pass (or fan-out interval, or batch window),
    // serialised once.
    QByteArray m_batch;
    QList<QPair<quint16, qsizetype>> m_batchFrames; // id, offset in m_batch
    QTimer m_flushTimer;
    BusyMeter m_busy; // frames a second: pace or not
    qint64 m_lastFlushMs = std::numeric_limits<qint32>::min(); // the first frame leaves at once
};

} // namespace GroupLoop
