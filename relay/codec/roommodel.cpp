#include "roommodel.h"

#include "sensorframe.h"

#include <algorithm>
#include <cmath>

namespace GroupLoop::RoomModel {

QPointF beaconPosition(int beacon)
{
    switch (beacon) {
    case SensorFrame::NorthWest:
        return {0.0, 0.0};
    case SensorFrame::NorthEast:
        return {Width, 0.0};
    case SensorFrame::SouthEast:
        return {Width, Height};
    default:
        return {0.0, Height};
    }
}

double rssiAtDistance(double distance)
{
    const double d = std::max(distance, 1.0);
    return TxPowerAt1mDbm - 10.0 * PathLossExponent * std::log10(d / ReferenceDistance);
}

double distanceForRssi(double dbm)
{
    return ReferenceDistance * std::pow(10.0, (TxPowerAt1mDbm - dbm) / (10.0 * PathLossExponent));
}

std::array<quint8, 4> beaconBytesAt(QPointF position)
{
    std::array<quint8, 4> bytes {};
    for (int beacon = 0; beacon < 4; ++beacon) {
        const QPointF delta = position - beaconPosition(beacon);
        const double distance = std::hypot(delta.x(), delta.y());
        bytes[beacon] = std::max<quint8>(1, SensorFrame::rssiToByte(rssiAtDistance(distance)));
    }
    return bytes;
}

std::optional<QPointF> estimatePosition(const std::array<quint8, 4> &beacons)
{
    // Each heard beacon i gives |p - b_i|^2 = d_i^2, i.e. linear in (x, y, r = x^2 + y^2):
    //   -2 bx_i x - 2 by_i y + r = d_i^2 - |b_i|^2.
    // Solve the normal equations A^T A u = A^T c of that 3-unknown system.
    double ata[3][3] = {};
    double atc[3] = {};
    int heard = 0;
    for (int beacon = 0; beacon < 4; ++beacon) {
        if (beacons[beacon] == 0)
            continue;
        ++heard;
        const QPointF b = beaconPosition(beacon);
        const double d = distanceForRssi(SensorFrame::byteToRssi(beacons[beacon]));
        const double row[3] = {-2.0 * b.x(), -2.0 * b.y(), 1.0};
        const double c = d * d - (b.x() * b.x() + b.y() * b.y());
        for (int i = 0; i < 3; ++i) {
            atc[i] += row[i] * c;
            for (int j = 0; j < 3; ++j)
                ata[i][j] += row[i] * row[j];
        }
    }
    if (heard < 3)
        return std::nullopt;

    auto det3 = [](const double m[3][3]) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    };
    const double det = det3(ata);
    if (std::abs(det) < 1e-9)
        return std::nullopt;
    double solution[2];
    for (int unknown = 0; unknown < 2; ++unknown) { // Cramer's rule for x and y
        double m[3][3];
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j)
                m[i][j] = (j == unknown) ? atc[i] : ata[i][j];
        solution[unknown] = det3(m) / det;
    }
    return QPointF(std::clamp(solution[0], 0.0, Width), std::clamp(solution[1], 0.0, Height));
}

} // namespace GroupLoop::RoomModel
