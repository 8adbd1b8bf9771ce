// LedPrediction: what each device's LED ring shows, as predicted by the console.
// The wire protocol carries no LED state back from devices, so the console runs, per device it
// commanded, the simulator's VirtualDevice (the firmware-faithful LedRing with the firmware's own
// command parsing) and feeds it every command the relay accepted for that device. The field, the
// table and the detail view therefore show what a virtual device (and the firmware) shows: `led`
// colours only the current pattern, heartbeat keeps its own red, brightness scales, per-LED mode
// and `reset` behave as on the device.
// A device is assumed to be in its network-up state (breathing, colour random and so unknown) when
// the console first commands it; devices it never commanded have no prediction.
#pragma once

#include "virtualdevice.h"

#include <QColor>
#include <QHash>
#include <QString>
#include <QStringList>

#include <bitset>
#include <optional>

namespace GroupLoop {

class LedPrediction
{
public:
    // Feeds a command the relay accepted for `deviceId` at `nowMs` (Clock::nowMs()). Returns true
    // when the prediction changed (a command the firmware acts on); false for text the firmware
    // would ignore. `ota` drops the prediction: the device reboots into a state nobody commanded.
    bool apply(quint16 deviceId, const QString &command, const QString &params, qint64 nowMs);

    bool isKnown(quint16 deviceId) const { return m_devices.contains(deviceId); }
    // One colour that stands for the ring in a dot: the pattern's colour at full level with the
    // brightness applied (so a heartbeat shows its red, not the dark pause between beats), the
    // mean of the lit LEDs in per-LED mode, black when off. Invalid when unknown.
    QColor displayColour(quint16 deviceId) const;
    // The six LEDs at `nowMs`, animated as the firmware draws them ("#rrggbb"); empty when unknown
    // or when the pattern's colour is unknown.
    QStringList ringAt(quint16 deviceId, qint64 nowMs) const;
    // "heartbeat", "per-LED", ...; empty when unknown.
    QString patternName(quint16 deviceId) const;
    std::optional<int> brightness(quint16 deviceId) const;

    void forget(quint16 deviceId) { m_devices.remove(deviceId); }
    void clear() { m_devices.clear(); }

private:
    struct Predicted
    {
        VirtualDevice device;
        // Which patterns' colours the console knows: all firmware defaults but breathing's, which
        // network-up sets to a random colour.
        std::bitset<6> knownColours {0b111110};
    };
    bool colourKnown(const Predicted &p) const;

    QHash<quint16, Predicted> m_devices;
};

} // namespace GroupLoop
