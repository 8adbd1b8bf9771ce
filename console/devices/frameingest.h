// FrameIngest: the hand-over point between the thread that parses frames and the GUI thread.
// The parser pushes whole batches under one lock; the store drains everything once per
// refresh tick. Per device only the latest frame is kept, but every frame and tap is counted,
// so nothing is lost from the counters however fast frames arrive.
#pragma once

#include "sensorframe.h"

#include <QHash>
#include <QMutex>

#include <vector>

namespace GroupLoop {

// Where frames came from: the relay, or a replay the console plays itself (SessionPlayer).
enum class FrameSource { Live, Replay };

struct PendingDevice
{
    SensorFrame latest;
    qint64 lastSeenMs = 0;
    quint32 frames = 0;
    quint32 taps = 0;
    bool live = false; // some of the frames came from the relay
    bool replayed = false; // some came from a replay
};

struct TimedFrame
{
    SensorFrame frame;
    qint64 atMs = 0;
};

class FrameIngest
{
public:
    void push(const std::vector<TimedFrame> &batch, FrameSource source = FrameSource::Live);
    void push(const SensorFrame &frame, qint64 atMs);

    // Forgets pending devices heard only from a replay (the replay stopped).
    void discardReplayed();
    // Moves out everything pushed since the last drain.
    QHash<quint16, PendingDevice> drain();

    quint64 totalFrames() const;
    quint64 malformedLines() const;
    void countMalformed(int lines);

    // Recording (SessionRecorder): while capturing, every frame pushed is also kept, in
    // order and with its time, until taken; the per-device merge above keeps only the latest.
    void setCapturing(bool on);
    std::vector<TimedFrame> takeCaptured();

private:
    static void merge(QHash<quint16, PendingDevice> &into, const TimedFrame &timed, FrameSource source);

    mutable QMutex m_mutex;
    QHash<quint16, PendingDevice> m_pending;
    quint64 m_totalFrames = 0;
    quint64 m_malformed = 0;
    bool m_capturing = false;
    std::vector<TimedFrame> m_captured;
};

} // namespace GroupLoop
