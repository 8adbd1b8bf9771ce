// VirtualDevice: one GroupLoop wearable as its firmware behaves, driven by simulated time.
// It reacts to the 12 registry commands exactly as PROTOCOL.md describes the firmware, keeps
// its LED ring and vibration motor state, and encodes sensor frames with the firmware's scales.
// No sockets and no wall clock inside: the owner advances time and carries the frames, which
// makes every behaviour reproducible in tests. Used by the swarm, the emulator and the tests.
#pragma once

#include "ledring.h"
#include "sensorframe.h"

#include <QPointF>
#include <QString>
#include <QStringView>
#include <QUrl>

namespace GroupLoop {

// Device attitude in degrees. Roll turns about the device's x axis, pitch about y, yaw about
// z (yaw does not change what the accelerometer reads). All zero: lying flat, face up.
struct Orientation
{
    double roll = 0.0;
    double pitch = 0.0;
    double yaw = 0.0;
};

class VirtualDevice
{
public:
    enum class Phase {
        Booting, // powered on, no network yet: red breathing
        Online, // network up: publishes frames, obeys commands
        Updating // OTA in progress: silent, green breathing, waits for finishOta()
    };
    enum class CommandResult {
        Applied, // a registry command the device acted on (status/led_get_state included)
        Ignored, // unknown text, bad parameters, or not accepting commands (firmware ignores it)
        OtaStarted // `ota:<url>`: the owner must fetch otaUrl() and then call finishOta()
    };

    explicit VirtualDevice(quint16 id = 0, quint32 seed = 0);

    quint16 id() const { return m_id; }
    QString idText() const { return SensorFrame::idToText(m_id); }
    void setId(quint16 id) { m_id = id; }

    // Simulated time in milliseconds since power-on; never goes backwards.
    qint64 now() const { return m_nowMs; }
    void advance(qint64 ms);
    void advanceTo(qint64 ms);

    Phase phase() const { return m_phase; }
    // The network came up (first time after boot): breathing in a random colour.
    void networkUp();

    // A command as the relay delivers it: "<command>:<params>", e.g. "led_set:2:00ff00".
    CommandResult applyCommand(QStringView text);

    // OTA: between OtaStarted and finishOta() the device publishes nothing.
    bool isPublishing() const { return m_phase == Phase::Online; }
    QUrl otaUrl() const { return m_otaUrl; }
    // ok: the image was fetched and flashed, the device reboots (Booting, defaults restored).
    // !ok: the firmware gives up and carries on as before the update.
    void finishOta(bool ok);

    const LedRing &leds() const { return m_ring; }
    LedRing::Colours ledColours() const { return displayedRing().coloursAt(m_nowMs); }
    bool isVibrating() const { return m_nowMs < m_vibrateUntilMs; }
    qint64 vibrationRemainingMs() const { return std::max<qint64>(0, m_vibrateUntilMs - m_nowMs); }
    QString statusText() const; // what `status` prints on the serial console

    // Motion: room position in RoomModel units (cm) and attitude.
    void setPosition(QPointF position);
    QPointF position() const { return m_position; }
    void setOrientation(const Orientation &orientation);
    Orientation orientation() const { return m_orientation; }
    // Acceleration the sensor reads at rest in `orientation`, in g (device axes).
    static std::array<double, 3> gravityIn(const Orientation &orientation);

    // A tap (acceleration over 3 g): the next frame taken carries `ff`, only that one.
    void tap() { m_tapPending = true; }
    bool isTapPending() const { return m_tapPending; }
    SensorFrame peekFrame() const; // the frame as it would be sent now, tap included
    SensorFrame takeFrame(); // the frame to send now; consumes a pending tap

private:
    const LedRing &displayedRing() const { return m_phase == Phase::Updating ? m_otaRing : m_ring; }
    Rgb randomColour();

    quint16 m_id;
    quint64 m_rng;
    qint64 m_nowMs = 0;
    Phase m_phase = Phase::Booting;
    bool m_hadNetwork = false;
    LedRing m_ring;
    LedRing m_otaRing; // green breathing while updating
    QUrl m_otaUrl;
    qint64 m_vibrateUntilMs = 0;
    QPointF m_position {400.0, 300.0};
    Orientation m_orientation;
    // Frame bytes follow position and attitude. Beacons are computed when a frame needs them
    // (moves can outnumber frames), attitude bytes when it changes (frames outnumber turns).
    mutable std::array<quint8, 4> m_beacons {};
    mutable bool m_beaconsStale = true;
    std::array<quint8, 3> m_accel {};
    bool m_tapPending = false;
};

} // namespace GroupLoop
