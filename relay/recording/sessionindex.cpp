#include "sessionindex.h"

#include <QSet>

#include <limits>

#include <algorithm>

namespace GroupLoop {

SessionPosition SessionIndex::positionBefore(qint64 ms) const
{
    if (positions.empty())
        return {};
    auto it = std::upper_bound(positions.begin(), positions.end(), ms,
                               [](qint64 t, const SessionPosition &p) { return t < p.ms; });
    return it == positions.begin() ? positions.front() : *(it - 1);
}

SessionIndex SessionIndex::build(const QString &path, const std::function<void(double)> &progress,
                                 const std::atomic<bool> *cancel)
{
    SessionIndex index;
    index.path = path;
    SessionStream stream;
    if (!stream.open(path, SessionStream::Parts::Follow, &index.error))
        return index;
    index.parts = stream.parts();
    index.header = stream.header();
    index.bytes = stream.totalRawBytes();
    index.endMs = index.header.offsetMs;
    QSet<quint16> seen;
    SessionRecord record;
    qint64 nextPositionMs = std::numeric_limits<qint64>::min();
    quint32 sinceProgress = 0;
    while (stream.next(&record)) {
        if (record.ms >= nextPositionMs) {
            index.positions.push_back(stream.position());
            nextPositionMs = record.ms + IntervalMs;
        }
        index.endMs = std::max(index.endMs, record.ms);
        if (record.kind == 'c') {
            ++index.commands;
        } else {
            index.frames += qint64(record.frames.size());
            for (const SensorFrame &f : record.frames) {
                if (!seen.contains(f.id)) {
                    seen.insert(f.id);
                    index.deviceIds.append(f.id);
                }
            }
        }
        if (++sinceProgress >= 4096) {
            sinceProgress = 0;
            if (cancel && cancel->load()) {
                index.error = path + QStringLiteral(": cancelled");
                return index;
            }
            if (progress && index.bytes > 0)
                progress(double(stream.rawBytesRead()) / double(index.bytes));
        }
    }
    index.problems = stream.problems();
    if (progress)
        progress(1.0);
    return index;
}

} // namespace GroupLoop
