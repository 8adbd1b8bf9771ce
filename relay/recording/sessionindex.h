// SessionIndex: one pass over a session (all its rotated parts) that keeps what a player needs
// and nothing per frame: a SessionPosition about every IntervalMs of session time, the device
// ids, counts, the time span and the problems found. An hour of 2,000 devices at 50 Hz indexes
// into a few hundred KiB; seeking then reads at most IntervalMs of records (plus one gzip member).
#pragma once

#include "sessionstream.h"

#include <atomic>
#include <functional>
#include <memory>

namespace GroupLoop {

struct SessionIndex
{
    static constexpr qint64 IntervalMs = 1000;

    QString path; // as opened
    QStringList parts;
    SessionHeader header;
    std::vector<SessionPosition> positions; // ascending ms, the first record's first
    QList<quint16> deviceIds; // in order of first appearance
    qint64 frames = 0;
    qint64 commands = 0;
    qint64 endMs = 0;
    qint64 bytes = 0; // on disk, all parts
    SessionProblems problems;
    QString error; // why nothing could be read; empty when readable

    bool isValid() const { return error.isEmpty(); }
    qint64 startMs() const { return header.offsetMs; }
    // The latest indexed position at or before ms (the first one when ms is earlier).
    SessionPosition positionBefore(qint64 ms) const;

    // Reads path (following rotated parts). progress gets 0..1 now and then; cancel stops it
    // (the index then has error "cancelled").
    static SessionIndex build(const QString &path, const std::function<void(double)> &progress = {},
                              const std::atomic<bool> *cancel = nullptr);
};

} // namespace GroupLoop
