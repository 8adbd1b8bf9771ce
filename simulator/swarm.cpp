#include "swarm.h"

#include "roommodel.h"

#include <algorithm>
#include <cmath>

namespace GroupLoop {

namespace {

constexpr double TwoPi = 6.28318530717958647692;
constexpr double WallMargin = 40.0; // units from a wall where boids start turning away

double length(QPointF v)
{
    // sqrt, not hypot: nothing here can overflow, and hypot costs several times more.
    return std::sqrt(v.x() * v.x() + v.y() * v.y());
}

QPointF limited(QPointF v, double max)
{
    const double len = length(v);
    return len > max && len > 0.0 ? v * (max / len) : v;
}

// Reynolds steering: turn the velocity towards `direction` at full speed, within maxForce.
QPointF steer(QPointF direction, QPointF velocity, const FlockingParams &p)
{
    const double len = length(direction);
    if (len <= 0.0)
        return {};
    return limited(direction * (p.maxSpeed / len) - velocity, p.maxForce);
}

double wrapDegrees(double angle)
{
    angle = std::fmod(angle + 180.0, 360.0);
    return (angle < 0.0 ? angle + 360.0 : angle) - 180.0;
}

} // namespace

Swarm::Swarm(const SwarmConfig &config)
    : m_config(config)
    , m_seed(config.seed ? *config.seed : QRandomGenerator::global()->generate())
    , m_rng(m_seed)
{
    const FlockingParams &p = m_config.flocking;
    const double maxRadius = std::max({p.alignmentRadius, p.cohesionRadius, p.separationRadius, 1.0});
    m_cellSize = std::max(maxRadius / 2.0, 20.0);
    m_columns = int(std::ceil(RoomModel::Width / m_cellSize));
    m_rows = int(std::ceil(RoomModel::Height / m_cellSize));
    m_rings = int(std::ceil(maxRadius / m_cellSize));

    std::vector<bool> taken(65536, false);
    m_members.reserve(size_t(m_config.devices));
    for (int i = 0; i < m_config.devices; ++i) {
        quint16 id;
        do {
            id = quint16(m_rng.bounded(65536u));
        } while (taken[id]);
        taken[id] = true;

        Member member;
        member.device = VirtualDevice(id, m_rng.generate());
        member.position = QPointF(uniform(0.0, RoomModel::Width), uniform(0.0, RoomModel::Height));
        const double heading = uniform(0.0, TwoPi);
        const double speed = uniform(0.5, 1.0) * p.maxSpeed; // real initial velocities, not at rest
        member.velocity = QPointF(std::cos(heading), std::sin(heading)) * speed;
        if (m_config.rotation == RotationMode::Constant) {
            for (int axis = 0; axis < 3; ++axis)
                member.angularVelocity[axis] = uniform(-1.0, 1.0) * m_config.maxAngularVelocity[axis];
        }
        member.nextTapMs = nextTapDelayMs();
        member.device.setPosition(member.position);
        m_members.push_back(std::move(member));
    }
    m_cellOf.resize(m_members.size());
    m_cellMembers.resize(m_members.size());
    m_cellStart.resize(size_t(m_columns * m_rows + 1));
    m_forces.resize(m_members.size());
}

int Swarm::indexOfId(quint16 id) const
{
    for (int i = 0; i < size(); ++i) {
        if (m_members[size_t(i)].device.id() == id)
            return i;
    }
    return -1;
}

qint64 Swarm::nextTapDelayMs()
{
    if (m_config.tapRate <= 0.0)
        return std::numeric_limits<qint64>::max();
    // Exponential gaps make taps a Poisson process; 1 - u keeps log() away from 0.
    const double gapSeconds = -std::log(1.0 - m_rng.generateDouble()) / m_config.tapRate;
    return qint64(std::ceil(gapSeconds * 1000.0));
}

void Swarm::advanceTo(qint64 ms)
{
    // Step k ends at k * 1000 / physicsHz ms; integer maths keeps that exact.
    while ((qint64(m_steps) + 1) * 1000 / m_config.physicsHz <= ms)
        step();
    if (ms > m_nowMs)
        m_nowMs = ms;
    for (Member &member : m_members)
        member.device.advanceTo(m_nowMs);
}

void Swarm::buildGrid()
{
    std::fill(m_cellStart.begin(), m_cellStart.end(), 0);
    for (size_t i = 0; i < m_members.size(); ++i) {
        const QPointF pos = m_members[i].position;
        const int cx = std::clamp(int(pos.x() / m_cellSize), 0, m_columns - 1);
        const int cy = std::clamp(int(pos.y() / m_cellSize), 0, m_rows - 1);
        m_cellOf[i] = cy * m_columns + cx;
        ++m_cellStart[size_t(m_cellOf[i] + 1)];
    }
    for (size_t c = 1; c < m_cellStart.size(); ++c)
        m_cellStart[c] += m_cellStart[c - 1];
    std::vector<int> fill(m_cellStart.begin(), m_cellStart.end() - 1);
    for (size_t i = 0; i < m_members.size(); ++i)
        m_cellMembers[size_t(fill[size_t(m_cellOf[i])]++)] = int(i);
}

QPointF Swarm::flockingForce(int index) const
{
    const FlockingParams &p = m_config.flocking;
    const Member &self = m_members[size_t(index)];
    const double alignR2 = p.alignmentRadius * p.alignmentRadius;
    const double cohR2 = p.cohesionRadius * p.cohesionRadius;
    const double sepR2 = p.separationRadius * p.separationRadius;
    const double maxR2 = std::max({alignR2, cohR2, sepR2});

    QPointF velocitySum, centreSum, away;
    int aligned = 0, cohering = 0, separating = 0, neighbours = 0;
    const int cx = m_cellOf[size_t(index)] % m_columns;
    const int cy = m_cellOf[size_t(index)] / m_columns;
    // Rings of cells around our own, nearest first, so a neighbour cap keeps the closest ones.
    for (int ring = 0; ring <= m_rings; ++ring) {
        for (int y = cy - ring; y <= cy + ring; ++y) {
            if (y < 0 || y >= m_rows)
                continue;
            const bool edgeRow = y == cy - ring || y == cy + ring;
            for (int x = cx - ring; x <= cx + ring; x += edgeRow ? 1 : 2 * ring) {
                if (x >= 0 && x < m_columns) {
                    const int cell = y * m_columns + x;
                    for (int k = m_cellStart[size_t(cell)]; k < m_cellStart[size_t(cell) + 1]; ++k) {
                        const int j = m_cellMembers[size_t(k)];
                        if (j == index)
                            continue;
                        const Member &other = m_members[size_t(j)];
                        const QPointF delta = self.position - other.position;
                        const double d2 = delta.x() * delta.x() + delta.y() * delta.y();
                        if (d2 >= maxR2)
                            continue;
                        if (d2 < alignR2) {
                            velocitySum += other.velocity;
                            ++aligned;
                        }
                        if (d2 < cohR2) {
                            centreSum += other.position;
                            ++cohering;
                        }
                        if (d2 < sepR2 && d2 > 0.0) {
                            away += delta / d2; // normalised direction, weighted by 1/distance
                            ++separating;
                        }
                        if (m_config.maxNeighbours > 0 && ++neighbours >= m_config.maxNeighbours)
                            goto done;
                    }
                }
                if (ring == 0)
                    break;
            }
        }
    }
done:
    QPointF force;
    if (aligned > 0)
        force += steer(velocitySum / aligned, self.velocity, p) * p.alignment;
    if (cohering > 0)
        force += steer(centreSum / cohering - self.position, self.velocity, p) * p.cohesion;
    if (separating > 0)
        force += steer(away / separating, self.velocity, p) * p.separation;

    // Walls push back inside the margin, harder the closer the boid is.
    const QPointF pos = self.position;
    QPointF wall;
    if (pos.x() < WallMargin)
        wall.rx() += 1.0 - pos.x() / WallMargin;
    if (pos.x() > RoomModel::Width - WallMargin)
        wall.rx() -= 1.0 - (RoomModel::Width - pos.x()) / WallMargin;
    if (pos.y() < WallMargin)
        wall.ry() += 1.0 - pos.y() / WallMargin;
    if (pos.y() > RoomModel::Height - WallMargin)
        wall.ry() -= 1.0 - (RoomModel::Height - pos.y()) / WallMargin;
    return force + wall * p.maxForce;
}

void Swarm::rotate(Member &member, double dt)
{
    if (m_config.rotation == RotationMode::Off)
        return;
    double *angles[3] = {&member.orientation.roll, &member.orientation.pitch, &member.orientation.yaw};
    for (int axis = 0; axis < 3; ++axis) {
        const double max = m_config.maxAngularVelocity[axis];
        double &rate = member.angularVelocity[axis];
        if (m_config.rotation == RotationMode::Random) // a random walk that can reach max in ~0.5 s
            rate = std::clamp(rate + uniform(-2.0, 2.0) * max * dt, -max, max);
        *angles[axis] = wrapDegrees(*angles[axis] + rate * dt);
    }
}

void Swarm::step()
{
    const double dt = stepSeconds();
    ++m_steps;
    const qint64 stepEndMs = qint64(m_steps) * 1000 / m_config.physicsHz;
    const FlockingParams &p = m_config.flocking;

    buildGrid();
    for (int i = 0; i < size(); ++i)
        m_forces[size_t(i)] = flockingForce(i);

    for (size_t i = 0; i < m_members.size(); ++i) {
        Member &m = m_members[i];
        m.velocity = limited(m.velocity + m_forces[i] * dt, p.maxSpeed);
        m.position += m.velocity * dt;
        // Reflect off the walls so no boid ever leaves the room.
        if (m.position.x() < 0.0) {
            m.position.setX(-m.position.x());
            m.velocity.setX(std::abs(m.velocity.x()));
        } else if (m.position.x() > RoomModel::Width) {
            m.position.setX(2.0 * RoomModel::Width - m.position.x());
            m.velocity.setX(-std::abs(m.velocity.x()));
        }
        if (m.position.y() < 0.0) {
            m.position.setY(-m.position.y());
            m.velocity.setY(std::abs(m.velocity.y()));
        } else if (m.position.y() > RoomModel::Height) {
            m.position.setY(2.0 * RoomModel::Height - m.position.y());
            m.velocity.setY(-std::abs(m.velocity.y()));
        }
        m.position = QPointF(std::clamp(m.position.x(), 0.0, RoomModel::Width),
                             std::clamp(m.position.y(), 0.0, RoomModel::Height));
        m.device.setPosition(m.position);
        if (m_config.rotation != RotationMode::Off) {
            rotate(m, dt);
            m.device.setOrientation(m.orientation);
        }

        if (stepEndMs >= m.nextTapMs) {
            m.device.advanceTo(stepEndMs);
            m.device.tap();
            ++m_taps;
            while (m.nextTapMs <= stepEndMs)
                m.nextTapMs += nextTapDelayMs();
        }
    }
    m_nowMs = std::max(m_nowMs, stepEndMs);
}

} // namespace GroupLoop
