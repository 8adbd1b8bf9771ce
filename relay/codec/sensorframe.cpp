#include "sensorframe.h"

#include <algorithm>
#include <cmath>

namespace GroupLoop {

namespace {

template<typename Char> std::optional<SensorFrame> parseDigits(const Char *text, qsizetype size)
{
    if (size != SensorFrame::TextLength)
        return std::nullopt;
    std::array<quint8, 10> bytes {};
    for (int i = 0; i < SensorFrame::TextLength; i += 2) {
        const int hi = Hex::digitValue(char16_t(text[i]));
        const int lo = Hex::digitValue(char16_t(text[i + 1]));
        if (hi < 0 || lo < 0)
            return std::nullopt;
        bytes[i / 2] = quint8(hi << 4 | lo);
    }
    SensorFrame frame;
    frame.id = quint16(bytes[0] << 8 | bytes[1]);
    frame.ax = bytes[2];
    frame.ay = bytes[3];
    frame.az = bytes[4];
    frame.beacons = {bytes[5], bytes[6], bytes[7], bytes[8]};
    frame.tap = bytes[9];
    return frame;
}

quint8 mapToByte(double value, double low, double high)
{
    const double clamped = std::clamp(value, low, high);
    return quint8(std::lround((clamped - low) * 255.0 / (high - low)));
}

double mapFromByte(quint8 value, double low, double high)
{
    return low + value * (high - low) / 255.0;
}

constexpr double AccelRangeG = 2.0;
constexpr double RssiFloorDbm = -100.0;
constexpr double RssiCeilingDbm = -40.0;

} // namespace

std::optional<SensorFrame> SensorFrame::parse(QStringView text)
{
    return parseDigits(text.utf16(), text.size());
}

std::optional<SensorFrame> SensorFrame::parse(QByteArrayView text)
{
    return parseDigits(reinterpret_cast<const unsigned char *>(text.data()), text.size());
}

bool SensorFrame::isFrameText(QStringView text)
{
    if (text.size() != TextLength)
        return false;
    return std::all_of(text.begin(), text.end(), [](QChar c) { return Hex::digitValue(c.unicode()) >= 0; });
}

QByteArray SensorFrame::toHex() const
{
    const std::array<quint8, 10> bytes {quint8(id >> 8), quint8(id & 0xff), ax,         ay,         az,
                                        beacons[0],      beacons[1],        beacons[2], beacons[3], tap};
    QByteArray out(TextLength, Qt::Uninitialized);
    for (int i = 0; i < 10; ++i) {
        out[2 * i] = Hex::lowerDigit(bytes[i] >> 4);
        out[2 * i + 1] = Hex::lowerDigit(bytes[i]);
    }
    return out;
}

quint8 SensorFrame::accelToByte(double g)
{
    return mapToByte(g, -AccelRangeG, AccelRangeG);
}
double SensorFrame::byteToAccel(quint8 value)
{
    return mapFromByte(value, -AccelRangeG, AccelRangeG);
}
quint8 SensorFrame::rssiToByte(double dbm)
{
    return mapToByte(dbm, RssiFloorDbm, RssiCeilingDbm);
}
double SensorFrame::byteToRssi(quint8 value)
{
    return mapFromByte(value, RssiFloorDbm, RssiCeilingDbm);
}

QString SensorFrame::idToText(quint16 id)
{
    return QStringLiteral("%1").arg(id, 4, 16, QLatin1Char('0'));
}

std::optional<quint16> SensorFrame::idFromText(QStringView text)
{
    if (text.size() != 4)
        return std::nullopt;
    quint16 id = 0;
    for (QChar c : text) {
        const int v = Hex::digitValue(c.unicode());
        if (v < 0)
            return std::nullopt;
        id = quint16(id << 4 | v);
    }
    return id;
}

} // namespace GroupLoop
