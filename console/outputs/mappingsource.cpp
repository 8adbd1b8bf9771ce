#include "mappingsource.h"

#include <cmath>

namespace GroupLoop::MappingSources {

namespace {
constexpr double RadToDeg = 180.0 / M_PI;

// Position sources span the room (RoomModel: 8 m x 6 m); RSSI the firmware's -100..-40 dBm.
const QList<SourceInfo> Sources = {
    {MappingSource::Ax, QStringLiteral("ax"), QStringLiteral("g"), -2.0, 2.0, false},
    {MappingSource::Ay, QStringLiteral("ay"), QStringLiteral("g"), -2.0, 2.0, false},
    {MappingSource::Az, QStringLiteral("az"), QStringLiteral("g"), -2.0, 2.0, false},
    {MappingSource::Magnitude, QStringLiteral("magnitude"), QStringLiteral("g"), 0.0, 3.0, false},
    {MappingSource::Roll, QStringLiteral("roll"), QStringLiteral("deg"), -180.0, 180.0, false},
    {MappingSource::Pitch, QStringLiteral("pitch"), QStringLiteral("deg"), -90.0, 90.0, false},
    {MappingSource::Tap, QStringLiteral("tap"), QString(), 0.0, 1.0, false},
    {MappingSource::RoomX, QStringLiteral("room_x"), QStringLiteral("m"), 0.0, 8.0, false},
    {MappingSource::RoomY, QStringLiteral("room_y"), QStringLiteral("m"), 0.0, 6.0, false},
    {MappingSource::RssiNW, QStringLiteral("rssi_nw"), QStringLiteral("dBm"), -100.0, -40.0, false},
    {MappingSource::RssiNE, QStringLiteral("rssi_ne"), QStringLiteral("dBm"), -100.0, -40.0, false},
    {MappingSource::RssiSE, QStringLiteral("rssi_se"), QStringLiteral("dBm"), -100.0, -40.0, false},
    {MappingSource::RssiSW, QStringLiteral("rssi_sw"), QStringLiteral("dBm"), -100.0, -40.0, false},
    {MappingSource::DeviceCount, QStringLiteral("device_count"), QString(), 0.0, 100.0, true},
    {MappingSource::MeanMotion, QStringLiteral("mean_motion"), QStringLiteral("g"), 0.0, 2.0, true},
};
} // namespace

const QList<SourceInfo> &all()
{
    return Sources;
}

const SourceInfo &info(MappingSource source)
{
    return Sources[int(source)];
}

std::optional<MappingSource> fromName(const QString &name)
{
    for (const SourceInfo &source : Sources) {
        if (source.name == name)
            return source.source;
    }
    return std::nullopt;
}

QStringList names()
{
    QStringList out;
    for (const SourceInfo &source : Sources)
        out.append(source.name);
    return out;
}

double magnitude(const SensorFrame &frame)
{
    return std::sqrt(frame.axG() * frame.axG() + frame.ayG() * frame.ayG() + frame.azG() * frame.azG());
}

double motion(const SensorFrame &frame)
{
    return std::abs(magnitude(frame) - 1.0);
}

double roll(const SensorFrame &frame)
{
    return std::atan2(frame.ayG(), frame.azG()) * RadToDeg;
}

double pitch(const SensorFrame &frame)
{
    const double ay = frame.ayG();
    const double az = frame.azG();
    return std::atan2(-frame.axG(), std::sqrt(ay * ay + az * az)) * RadToDeg;
}

std::optional<double> deviceValue(MappingSource source, const DeviceSample &device)
{
    const SensorFrame &frame = device.frame;
    switch (source) {
    case MappingSource::Ax:
        return frame.axG();
    case MappingSource::Ay:
        return frame.ayG();
    case MappingSource::Az:
        return frame.azG();
    case MappingSource::Magnitude:
        return magnitude(frame);
    case MappingSource::Roll:
        return roll(frame);
    case MappingSource::Pitch:
        return pitch(frame);
    case MappingSource::Tap:
        return device.taps > 0 ? 1.0 : 0.0;
    case MappingSource::RoomX:
    case MappingSource::RoomY:
        if (!device.hasPosition)
            return std::nullopt;
        return source == MappingSource::RoomX ? device.position.x() : device.position.y();
    case MappingSource::RssiNW:
    case MappingSource::RssiNE:
    case MappingSource::RssiSE:
    case MappingSource::RssiSW: {
        const int beacon = int(source) - int(MappingSource::RssiNW);
        if (!frame.beaconHeard(beacon))
            return std::nullopt;
        return frame.beaconDbm(beacon);
    }
    case MappingSource::DeviceCount:
    case MappingSource::MeanMotion:
        break;
    }
    return std::nullopt;
}

} // namespace GroupLoop::MappingSources
