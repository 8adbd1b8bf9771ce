// Swarm: boids flocking in the RoomModel room, each carrying a VirtualDevice.
// Physics runs in fixed steps of 1/physicsHz whatever rate the caller advances it at, and all
// randomness (ids, start positions and velocities, rotation, taps) comes from one seeded
// generator, so a seed reproduces a run exactly. Neighbours are found through a uniform grid.
#pragma once

#include "swarmconfig.h"
#include "virtualdevice.h"

#include <QPointF>
#include <QRandomGenerator>

#include <vector>

namespace GroupLoop {

class Swarm
{
public:
    struct Member
    {
        VirtualDevice device;
        QPointF position; // room units (cm)
        QPointF velocity; // units per second
        Orientation orientation;
        std::array<double, 3> angularVelocity {}; // deg/s about roll, pitch, yaw
        qint64 nextTapMs = 0;
    };

    // config must be valid (SwarmConfig::validate()).
    explicit Swarm(const SwarmConfig &config);

    const SwarmConfig &config() const { return m_config; }
    quint32 seed() const { return m_seed; } // the seed in use, given or drawn
    int size() const { return int(m_members.size()); }
    Member &member(int index) { return m_members[size_t(index)]; }
    const Member &member(int index) const { return m_members[size_t(index)]; }
    VirtualDevice &device(int index) { return m_members[size_t(index)].device; }
    int indexOfId(quint16 id) const; // -1 when no member has it

    qint64 timeMs() const { return m_nowMs; }
    double stepSeconds() const { return 1.0 / m_config.physicsHz; }
    quint64 steps() const { return m_steps; }
    quint64 taps() const { return m_taps; }

    // Runs every whole physics step due up to `ms`, then brings device clocks to `ms`.
    void advanceTo(qint64 ms);
    void step(); // one physics step

private:
    void buildGrid();
    QPointF flockingForce(int index) const;
    void rotate(Member &member, double dt);
    double uniform(double low, double high) { return low + (high - low) * m_rng.generateDouble(); }
    qint64 nextTapDelayMs();

    SwarmConfig m_config;
    quint32 m_seed;
    QRandomGenerator m_rng;
    std::vector<Member> m_members;
    qint64 m_nowMs = 0;
    quint64 m_steps = 0;
    quint64 m_taps = 0;

    // Uniform grid, rebuilt each step by counting sort: members of cell c are
    // m_cellMembers[m_cellStart[c] .. m_cellStart[c + 1]).
    double m_cellSize = 80.0;
    int m_columns = 1;
    int m_rows = 1;
    int m_rings = 1;
    std::vector<int> m_cellOf;
    std::vector<int> m_cellStart;
    std::vector<int> m_cellMembers;
    std::vector<QPointF> m_forces;
};

} // namespace GroupLoop
