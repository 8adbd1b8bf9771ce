#include "outputsnapshot.h"

#include "roommodel.h"

namespace GroupLoop {

std::optional<QPointF> DeviceSample::estimatePosition(const SensorFrame &frame)
{
    const auto centimetres = RoomModel::estimatePosition(frame.beacons);
    if (!centimetres)
        return std::nullopt;
    return *centimetres / 100.0;
}

DeviceSample DeviceSample::fromFrame(const SensorFrame &frame, bool selected)
{
    DeviceSample sample;
    sample.id = frame.id;
    sample.frame = frame;
    sample.frames = 1;
    sample.taps = frame.isTap() ? 1 : 0;
    if (const auto position = estimatePosition(frame)) {
        sample.hasPosition = true;
        sample.position = *position;
    }
    sample.selected = selected;
    return sample;
}

} // namespace GroupLoop
