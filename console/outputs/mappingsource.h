// What a mapping reads: a per-device value (acceleration, tilt, tap, room position, beacon
// RSSI) or a room-level one computed over the mapping's scope (device count, mean motion).
#pragma once

#include "outputsnapshot.h"

#include <QList>
#include <QString>

#include <optional>

namespace GroupLoop {

enum class MappingSource {
    Ax,
    Ay,
    Az,
    Magnitude,
    Roll,
    Pitch,
    Tap,
    RoomX,
    RoomY,
    RssiNW,
    RssiNE,
    RssiSE,
    RssiSW,
    DeviceCount, // room-level from here on
    MeanMotion,
};

struct SourceInfo
{
    MappingSource source;
    QString name; // as in mapping files: "roll", "rssi_nw", "device_count"
    QString unit; // "g", "deg", "m", "dBm", "" (taps, counts)
    double min; // the natural input range, the default of a new mapping
    double max;
    bool roomLevel;
};

namespace MappingSources {

const QList<SourceInfo> &all();
const SourceInfo &info(MappingSource source);
std::optional<MappingSource> fromName(const QString &name);
QStringList names();

inline bool isRoomLevel(MappingSource source)
{
    return source >= MappingSource::DeviceCount;
}

// A device's motion: how far its acceleration magnitude is from the 1 g of standing still.
double motion(const SensorFrame &frame);
double magnitude(const SensorFrame &frame);
// Tilt from the gravity vector, in degrees: roll = atan2(ay, az) (about the x axis), pitch =
// atan2(-ax, sqrt(ay^2 + az^2)) (about the y axis). A device lying flat reads 0 and 0.
double roll(const SensorFrame &frame);
double pitch(const SensorFrame &frame);

// The value of a per-device source, or nullopt when the device has none now (position with
// fewer than three beacons heard, a beacon not heard). Tap reads 1 when the tick had a tap.
std::optional<double> deviceValue(MappingSource source, const DeviceSample &device);

} // namespace MappingSources

} // namespace GroupLoop
