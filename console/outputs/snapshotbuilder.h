// SnapshotBuilder: makes the per-tick OutputSnapshot from what a device list keeps, cumulative
// frame and tap counters (the console's DeviceState.frames and .taps), by remembering last
// tick's totals per device. A device seen for the first time counts as fresh, with a tap only
// if its latest frame is one, so switching outputs on mid-show does not replay old taps.
#pragma once

#include "outputsnapshot.h"

#include <QHash>

#include <optional>

namespace GroupLoop {

class SnapshotBuilder
{
public:
    void begin(qint64 atMs);
    // positionMetres: the caller's estimate, or nullopt to estimate it from the frame's beacons.
    void add(quint16 id, const SensorFrame &frame, quint64 totalFrames, quint64 totalTaps, bool selected,
             std::optional<QPointF> positionMetres = std::nullopt);
    // The snapshot of this tick; devices not added since begin() are forgotten.
    const OutputSnapshot &finish();

private:
    struct Totals
    {
        quint64 frames = 0;
        quint64 taps = 0;
        quint32 tick = 0;
    };
    OutputSnapshot m_snapshot;
    QHash<quint16, Totals> m_totals;
    quint32 m_tick = 0;
};

} // namespace GroupLoop
