// The per-tick input of the outputs library: what the console's DeviceStore knows after each
// refresh tick (20 Hz), as plain values, so the mapping engine and the OSC/MIDI outputs run
// and are tested without the console.
#pragma once

#include "sensorframe.h"

#include <QPointF>

#include <optional>
#include <vector>

namespace GroupLoop {

struct DeviceSample
{
    quint16 id = 0;
    SensorFrame frame; // the latest frame heard
    int frames = 0; // frames since the previous tick; 0: nothing new (the default scheme skips it)
    int taps = 0; // frames with the tap byte ff since the previous tick
    bool hasPosition = false;
    QPointF position; // metres from the north-west corner, x east, y south (RoomModel)
    bool selected = false;

    // The room position from the frame's beacons (RoomModel::estimatePosition, in metres), or
    // nullopt when fewer than three beacons were heard. The console passes its own smoothed
    // estimate instead; headless front ends and tests use this.
    static std::optional<QPointF> estimatePosition(const SensorFrame &frame);
    // A sample of one fresh frame: frames 1, taps from the frame, position estimated.
    static DeviceSample fromFrame(const SensorFrame &frame, bool selected = false);
};

struct OutputSnapshot
{
    qint64 atMs = 0; // a monotonic clock (the console's Clock::nowMs()); rate limits use it
    std::vector<DeviceSample> devices; // in the console's order (first heard first)
};

} // namespace GroupLoop
