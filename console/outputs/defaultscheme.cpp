#include "defaultscheme.h"

namespace GroupLoop {

const DefaultScheme::Addresses &DefaultScheme::addressesFor(quint16 id)
{
    auto it = m_addresses.find(id);
    if (it != m_addresses.end())
        return *it;
    const QByteArray prefix = QByteArrayLiteral("/grouploop/") + SensorFrame::idToText(id).toLatin1();
    return *m_addresses.insert(
        id,
        Addresses {prefix + QByteArrayLiteral("/accel"), prefix + QByteArrayLiteral("/position"),
                   prefix + QByteArrayLiteral("/beacons"), prefix + QByteArrayLiteral("/tap")});
}

int DefaultScheme::write(const OutputSnapshot &snapshot, Osc::DatagramPacker &packer)
{
    // Devices come and go: drop the cached addresses of those gone once there are many.
    if (m_addresses.size() > 2 * qsizetype(snapshot.devices.size()) + 64)
        m_addresses.clear();

    int messages = 1;
    packer.beginMessage("/grouploop/devices", "i").int32(qint32(snapshot.devices.size()));
    packer.endMessage();
    for (const DeviceSample &device : snapshot.devices) {
        if (device.frames <= 0)
            continue;
        const Addresses &addresses = addressesFor(device.id);
        const SensorFrame &frame = device.frame;
        Osc::Writer &accel = packer.beginMessage(addresses.accel, "fff");
        accel.float32(float(frame.axG()));
        accel.float32(float(frame.ayG()));
        accel.float32(float(frame.azG()));
        packer.endMessage();
        ++messages;
        if (device.hasPosition) {
            Osc::Writer &position = packer.beginMessage(addresses.position, "ff");
            position.float32(float(device.position.x()));
            position.float32(float(device.position.y()));
            packer.endMessage();
            ++messages;
        }
        Osc::Writer &beacons = packer.beginMessage(addresses.beacons, "ffff");
        for (int beacon = 0; beacon < 4; ++beacon)
            beacons.float32(float(frame.beaconDbm(beacon)));
        packer.endMessage();
        ++messages;
        for (int tap = 0; tap < std::min(device.taps, MaxTapsPerTick); ++tap) {
            packer.beginMessage(addresses.tap, "i").int32(1);
            packer.endMessage();
            ++messages;
        }
    }
    return messages;
}

} // namespace GroupLoop
