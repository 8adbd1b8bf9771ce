// DeviceState: what the console knows about one device, built from coalesced frames.
#pragma once

#include "sensorframe.h"

#include <QPointF>
#include <QString>

#include <array>
#include <vector>

namespace GroupLoop {

// One sample per refresh tick (the latest frame of that tick), kept for the live plots.
struct HistorySample
{
    qint64 atMs = 0;
    quint8 ax = 128;
    quint8 ay = 128;
    quint8 az = 191;
    std::array<quint8, 4> beacons {};
};

// Fixed-capacity ring: the last `capacity` samples, oldest first when iterated.
class DeviceHistory
{
public:
    explicit DeviceHistory(int capacity = 0);
    void append(const HistorySample &sample);
    int size() const { return m_size; }
    int capacity() const { return int(m_samples.size()); }
    const HistorySample &at(int i) const; // 0 = oldest
    std::vector<HistorySample> since(qint64 fromMs) const;

private:
    std::vector<HistorySample> m_samples;
    int m_head = 0; // next write position
    int m_size = 0;
};

struct DeviceState
{
    quint16 id = 0;
    QString idText;
    SensorFrame last;
    qint64 firstSeenMs = 0;
    qint64 lastSeenMs = 0;
    qint64 lastTapMs = -1000000;
    quint64 frames = 0;
    quint64 taps = 0;
    double rateHz = 0.0;
    quint64 rateFrames = 0; // frames at rateSinceMs
    qint64 rateSinceMs = 0;
    bool hasPosition = false;
    QPointF position; // room centimetres, smoothed
    qint64 lastLiveMs = -1; // last frame from the relay; -1: none
    bool replayed = false; // frames came from the console's own replay (SessionPlayer)
    DeviceHistory history;
};

} // namespace GroupLoop
