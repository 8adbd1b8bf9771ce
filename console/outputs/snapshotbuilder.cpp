#include "snapshotbuilder.h"

#include <algorithm>
#include <limits>

namespace GroupLoop {

void SnapshotBuilder::begin(qint64 atMs)
{
    ++m_tick;
    m_snapshot.atMs = atMs;
    m_snapshot.devices.clear();
}

void SnapshotBuilder::add(quint16 id, const SensorFrame &frame, quint64 totalFrames, quint64 totalTaps,
                          bool selected, std::optional<QPointF> positionMetres)
{
    DeviceSample sample;
    sample.id = id;
    sample.frame = frame;
    sample.selected = selected;
    auto it = m_totals.find(id);
    if (it == m_totals.end()) {
        sample.frames = totalFrames > 0 ? 1 : 0;
        sample.taps = frame.isTap() && totalTaps > 0 ? 1 : 0;
        it = m_totals.insert(id, Totals {});
    } else {
        // Counters only grow; if a device was forgotten and came back, they may start over.
        const quint64 frames = totalFrames >= it->frames ? totalFrames - it->frames : totalFrames;
        const quint64 taps = totalTaps >= it->taps ? totalTaps - it->taps : totalTaps;
        sample.frames = int(std::min<quint64>(frames, std::numeric_limits<int>::max()));
        sample.taps = int(std::min<quint64>(taps, std::numeric_limits<int>::max()));
    }
    *it = Totals {totalFrames, totalTaps, m_tick};
    if (!positionMetres)
        positionMetres = DeviceSample::estimatePosition(frame);
    if (positionMetres) {
        sample.hasPosition = true;
        sample.position = *positionMetres;
    }
    m_snapshot.devices.push_back(sample);
}

const OutputSnapshot &SnapshotBuilder::finish()
{
    if (m_totals.size() > qsizetype(m_snapshot.devices.size())) {
        for (auto it = m_totals.begin(); it != m_totals.end();)
            it = it->tick == m_tick ? std::next(it) : m_totals.erase(it);
    }
    return m_snapshot;
}

} // namespace GroupLoop
