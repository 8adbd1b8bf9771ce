// SwarmConfig and LinkConfig: what a swarm of virtual devices does and how it reaches a relay.
// Defaults are the old browser simulator's flocking values; validate() names the first bad one.
#pragma once

#include "protocol.h"

#include <QString>
#include <QUrl>

#include <array>
#include <memory>
#include <optional>

namespace GroupLoop {

struct SessionIndex;

enum class RotationMode { Off, Constant, Random };

std::optional<RotationMode> rotationModeFromName(QStringView name); // off, constant, random
QString rotationModeName(RotationMode mode);

struct FlockingParams
{
    double alignment = 0.8;
    double cohesion = 0.6;
    double separation = 1.2;
    double alignmentRadius = 160.0; // room units (cm)
    double cohesionRadius = 160.0;
    double separationRadius = 80.0;
    double maxSpeed = 120.0; // units per second
    double maxForce = 80.0; // units per second squared
};

struct SwarmConfig
{
    static constexpr int MaxDevices = 20000;

    int devices = 50;
    std::optional<quint32> seed; // none: a fresh random seed per run
    FlockingParams flocking;
    RotationMode rotation = RotationMode::Off;
    std::array<double, 3> maxAngularVelocity {90.0, 90.0, 90.0}; // deg/s about roll, pitch, yaw
    double tapRate = 0.2; // taps per second per device (Poisson)
    int physicsHz = 50; // fixed physics step, independent of send and frame rates
    // Each boid weighs at most this many neighbours (nearest cells first), so the cost per
    // step stays linear however crowded the room gets. 0 = no limit.
    int maxNeighbours = 32;

    QString validate() const; // empty when valid
};

struct LinkConfig
{
    QUrl url
        = QUrl(QStringLiteral("ws://127.0.0.1:") + QString::number(Protocol::DefaultPort)); // ws:// or wss://
    double hz = 25.0; // frames per second per device, 1..100
    double jitter = 0.1; // each send interval varies by up to this fraction
    int gateway = 1; // devices per socket
    double connectRate = 1000.0; // new connections per second while ramping up
    bool noDelay = true; // TCP_NODELAY; false lets the kernel coalesce frames (Nagle)
    int backoffInitialMs = 250;
    int backoffMaxMs = 10000;
    // wss:// only: trust the relay's certificate from this PEM file instead of the system's
    // CAs, or (insecure) do not verify it at all.
    QString caFile;
    bool insecure = false;
    // Sent with every upgrade as "Authorization: Bearer <token>"; empty: none (a ?token= in
    // the URL still goes as it is).
    QByteArray token;
    // --ota-fail-rate: this fraction of `ota` updates fail, to see a rollout handle it: half stop
    // their download after the first bytes (and stay online, as the firmware does), half flash
    // and never come back (their socket stays closed).
    double otaFailRate = 0.0;

    QString validate() const; // empty when valid; reads caFile to check it
};

// Replay (docs/recording.md): the swarm is the recording's devices, one socket each, every
// device sending its recorded frames at the recorded times (scaled by speed) instead of
// flocking. Commands reach each device's VirtualDevice as in a live swarm.
struct ReplayConfig
{
    static constexpr double MinSpeed = 0.01;
    static constexpr double MaxSpeed = 100.0;

    // The session's index (ids, span, positions); the worker streams the frames from disk.
    std::shared_ptr<const SessionIndex> session; // none: a live swarm
    double speed = 1.0;
    bool loop = false;

    bool enabled() const { return session != nullptr; }
    QString validate() const;
};

struct SimulationConfig
{
    SwarmConfig swarm;
    LinkConfig link;
    ReplayConfig replay;
    int snapshotHz = 20; // how often DeviceSnapshots are refreshed; 0 = never

    // Turns this into a replay of session: one device (and socket) per recorded id.
    void useReplay(std::shared_ptr<const SessionIndex> session, double speed, bool loop);
    QString validate() const;
};

} // namespace GroupLoop
