// SensorFrame: the 20-hex-digit frame a device publishes, with the firmware's scales.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <array>
#include <optional>

namespace GroupLoop {

struct SensorFrame
{
    enum Beacon { NorthWest = 0, NorthEast = 1, SouthEast = 2, SouthWest = 3 };
    static constexpr int TextLength = 20;
    static constexpr quint8 TapByte = 0xff;

    quint16 id = 0;
    quint8 ax = 128;
    quint8 ay = 128;
    quint8 az = 191; // lying flat: +1 g on z
    std::array<quint8, 4> beacons {}; // NW, NE, SE, SW; 0 = not heard
    quint8 tap = 0; // raw byte; only 0xff counts as a tap

    // Strict: exactly 20 hex digits (either case), nothing else.
    static std::optional<SensorFrame> parse(QStringView text);
    static std::optional<SensorFrame> parse(QByteArrayView text);
    static bool isFrameText(QStringView text);

    QByteArray toHex() const; // 20 lowercase hex digits, no newline
    QString idText() const { return idToText(id); }
    bool isTap() const { return tap == TapByte; }

    double axG() const { return byteToAccel(ax); }
    double ayG() const { return byteToAccel(ay); }
    double azG() const { return byteToAccel(az); }
    double beaconDbm(int beacon) const { return byteToRssi(beacons[beacon]); }
    bool beaconHeard(int beacon) const { return beacons[beacon] != 0; }

    // Firmware scales. Acceleration: -2..+2 g onto 0..255 (0 g = 128, +1 g = 191, -1 g = 64).
    static quint8 accelToByte(double g);
    static double byteToAccel(quint8 value);
    // Beacon RSSI: -100..-40 dBm onto 0..255; higher is closer; 0 means not heard.
    static quint8 rssiToByte(double dbm);
    static double byteToRssi(quint8 value);

    // The id of text already known to be a frame (isFrameText): its first four hex digits.
    static quint16 idOfFrameText(QStringView frameText);
    static QString idToText(quint16 id);
    static std::optional<quint16> idFromText(QStringView text); // exactly 4 hex digits

    friend bool operator==(const SensorFrame &a, const SensorFrame &b)
    {
        return a.id == b.id && a.ax == b.ax && a.ay == b.ay && a.az == b.az && a.beacons == b.beacons
            && a.tap == b.tap;
    }
    friend bool operator!=(const SensorFrame &a, const SensorFrame &b) { return !(a == b); }
};

namespace Hex {
inline int digitValue(char16_t c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}
inline char lowerDigit(int value)
{
    return "0123456789abcdef"[value & 0xf];
}
} // namespace Hex

inline quint16 SensorFrame::idOfFrameText(QStringView frameText)
{
    quint16 id = 0;
    for (int i = 0; i < 4; ++i)
        id = quint16(id << 4 | Hex::digitValue(frameText[i].unicode()));
    return id;
}

} // namespace GroupLoop
