// The default OSC address scheme (docs/outputs.md): per device with a new frame this tick
//   /grouploop/<id>/accel fff     ax ay az in g
//   /grouploop/<id>/position ff   x y in metres, when three beacons or more were heard
//   /grouploop/<id>/beacons ffff  NW NE SE SW in dBm (-100, the scale's floor, when not heard)
//   /grouploop/<id>/tap i         1, once per tap
// and once a tick /grouploop/devices i (devices in the snapshot).
#pragma once

#include "oscwriter.h"
#include "outputsnapshot.h"

#include <QHash>

namespace GroupLoop {

class DefaultScheme
{
public:
    static constexpr int MaxTapsPerTick = 4;

    // Appends this tick's messages to the packer; returns how many.
    int write(const OutputSnapshot &snapshot, Osc::DatagramPacker &packer);

private:
    struct Addresses
    {
        QByteArray accel;
        QByteArray position;
        QByteArray beacons;
        QByteArray tap;
    };
    const Addresses &addressesFor(quint16 id);

    QHash<quint16, Addresses> m_addresses; // built once per id; trimmed when it outgrows the room
};

} // namespace GroupLoop
