// Swarm: invariants of the flock (bounds, speed limit, determinism, unique ids), rotation
// modes and the tap process.
#include "roommodel.h"
#include "swarm.h"

#include <QElapsedTimer>
#include <QLineF>
#include <QSet>
#include <QTest>

#include <cmath>

using namespace GroupLoop;

namespace {

SwarmConfig seeded(int devices, quint32 seed)
{
    SwarmConfig config;
    config.devices = devices;
    config.seed = seed;
    return config;
}

double speed(QPointF v)
{
    return std::hypot(v.x(), v.y());
}

// 1 when every boid flies the same way, about 0 when headings are random.
double order(const Swarm &swarm)
{
    QPointF sum;
    for (int i = 0; i < swarm.size(); ++i) {
        const QPointF v = swarm.member(i).velocity;
        sum += v / std::max(speed(v), 1e-9);
    }
    return speed(sum) / swarm.size();
}

} // namespace

class TestSwarm : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void idsUniqueAndSeeded();
    void startsMovingInsideTheRoom();
    void staysInBoundsUnderSpeedLimit_data();
    void staysInBoundsUnderSpeedLimit();
    void deterministicWithSeed();
    void physicsIndependentOfCallRate();
    void alignmentOrdersTheFlock();
    void separationSpreadsTheFlock();
    void rotation_data();
    void rotation();
    void tapsArePoisson();
    void devicesFollowTheirBoids();
    void stepCostStaysLinear();
};

void TestSwarm::idsUniqueAndSeeded()
{
    const Swarm big(seeded(20000, 1));
    QSet<quint16> ids;
    for (int i = 0; i < big.size(); ++i)
        ids.insert(big.member(i).device.id());
    QCOMPARE(ids.size(), 20000);
    QCOMPARE(big.indexOfId(big.member(1234).device.id()), 1234);

    const Swarm a(seeded(50, 42)), b(seeded(50, 42)), c(seeded(50, 43));
    QCOMPARE(a.seed(), 42u);
    int differ = 0;
    for (int i = 0; i < 50; ++i) {
        QCOMPARE(a.member(i).device.id(), b.member(i).device.id());
        differ += a.member(i).device.id() != c.member(i).device.id();
    }
    QVERIFY(differ > 40);

    SwarmConfig unseeded;
    unseeded.devices = 50;
    const Swarm r1(unseeded), r2(unseeded); // random per run
    QVERIFY(r1.seed() != r2.seed());
    int same = 0;
    for (int i = 0; i < 50; ++i)
        same += r1.member(i).device.id() == r2.member(i).device.id();
    QVERIFY(same < 5);
}

void TestSwarm::startsMovingInsideTheRoom()
{
    const Swarm swarm(seeded(1000, 3));
    for (int i = 0; i < swarm.size(); ++i) {
        const auto &m = swarm.member(i);
        QVERIFY(m.position.x() >= 0 && m.position.x() <= RoomModel::Width);
        QVERIFY(m.position.y() >= 0 && m.position.y() <= RoomModel::Height);
        QVERIFY(speed(m.velocity) >= 0.5 * 120.0 - 1e-9); // not at rest, unlike the old simulator
        QVERIFY(speed(m.velocity) <= 120.0 + 1e-9);
    }
    QVERIFY(order(swarm) < 0.15); // headings start random
}

void TestSwarm::staysInBoundsUnderSpeedLimit_data()
{
    QTest::addColumn<int>("devices");
    QTest::addColumn<double>("maxSpeed");
    QTest::addColumn<double>("maxForce");
    QTest::addColumn<int>("maxNeighbours");
    QTest::newRow("defaults 300") << 300 << 120.0 << 80.0 << 32;
    QTest::newRow("crowd 3000") << 3000 << 120.0 << 80.0 << 32;
    QTest::newRow("fast and twitchy") << 200 << 900.0 << 5000.0 << 32;
    QTest::newRow("no neighbour cap") << 300 << 120.0 << 80.0 << 0;
}

void TestSwarm::staysInBoundsUnderSpeedLimit()
{
    QFETCH(int, devices);
    QFETCH(double, maxSpeed);
    QFETCH(double, maxForce);
    QFETCH(int, maxNeighbours);
    SwarmConfig config = seeded(devices, 11);
    config.flocking.maxSpeed = maxSpeed;
    config.flocking.maxForce = maxForce;
    config.maxNeighbours = maxNeighbours;
    Swarm swarm(config);
    for (int s = 0; s < 500; ++s) { // 10 s of physics
        swarm.step();
        for (int i = 0; i < swarm.size(); ++i) {
            const auto &m = swarm.member(i);
            if (m.position.x() < 0 || m.position.x() > RoomModel::Width || m.position.y() < 0
                || m.position.y() > RoomModel::Height)
                QFAIL(qPrintable(QStringLiteral("boid %1 left the room at step %2").arg(i).arg(s)));
            if (speed(m.velocity) > maxSpeed + 1e-6)
                QFAIL(qPrintable(QStringLiteral("boid %1 too fast at step %2").arg(i).arg(s)));
        }
    }
}

void TestSwarm::deterministicWithSeed()
{
    SwarmConfig config = seeded(400, 99);
    config.rotation = RotationMode::Random;
    Swarm a(config), b(config);
    a.advanceTo(5000);
    b.advanceTo(5000);
    QCOMPARE(a.steps(), 250u);
    QCOMPARE(a.taps(), b.taps());
    for (int i = 0; i < a.size(); ++i) {
        QCOMPARE(a.member(i).position, b.member(i).position);
        QCOMPARE(a.member(i).velocity, b.member(i).velocity);
        QCOMPARE(a.member(i).orientation.roll, b.member(i).orientation.roll);
        QCOMPARE(a.member(i).device.takeFrame(), b.member(i).device.takeFrame());
    }
}

void TestSwarm::physicsIndependentOfCallRate()
{
    const SwarmConfig config = seeded(200, 5);
    Swarm fine(config), coarse(config);
    for (qint64 ms = 1; ms <= 3000; ++ms) // 1000 Hz callers
        fine.advanceTo(ms);
    for (qint64 ms = 0; ms <= 3000; ms += 333) // 3 Hz callers
        coarse.advanceTo(ms);
    coarse.advanceTo(3000);
    QCOMPARE(fine.steps(), coarse.steps());
    for (int i = 0; i < fine.size(); ++i)
        QCOMPARE(fine.member(i).position, coarse.member(i).position);
    QCOMPARE(fine.member(0).device.now(), 3000);
}

void TestSwarm::alignmentOrdersTheFlock()
{
    SwarmConfig config = seeded(300, 21);
    config.flocking.cohesion = 0.0;
    config.flocking.separation = 0.0;
    Swarm swarm(config);
    const double before = order(swarm);
    swarm.advanceTo(8000);
    QVERIFY2(order(swarm) > before + 0.3,
             qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(order(swarm))));

    config.flocking.alignment = 0.0; // control: without alignment nothing orders them
    Swarm loose(config);
    loose.advanceTo(8000);
    QVERIFY(order(loose) < order(swarm));
}

void TestSwarm::separationSpreadsTheFlock()
{
    auto meanNearest = [](const Swarm &swarm) {
        double sum = 0;
        for (int i = 0; i < swarm.size(); ++i) {
            double nearest = 1e9;
            for (int j = 0; j < swarm.size(); ++j) {
                if (i != j)
                    nearest = std::min(nearest,
                                       QLineF(swarm.member(i).position, swarm.member(j).position).length());
            }
            sum += nearest;
        }
        return sum / swarm.size();
    };
    SwarmConfig config = seeded(150, 8);
    config.flocking.separation = 0.0;
    config.flocking.cohesion = 2.0;
    Swarm clumped(config);
    config.flocking.separation = 3.0;
    Swarm spread(config);
    clumped.advanceTo(10000);
    spread.advanceTo(10000);
    QVERIFY2(meanNearest(spread) > 1.5 * meanNearest(clumped),
             qPrintable(QStringLiteral("%1 vs %2").arg(meanNearest(spread)).arg(meanNearest(clumped))));
}

void TestSwarm::rotation_data()
{
    QTest::addColumn<RotationMode>("mode");
    QTest::newRow("off") << RotationMode::Off;
    QTest::newRow("constant") << RotationMode::Constant;
    QTest::newRow("random") << RotationMode::Random;
}

void TestSwarm::rotation()
{
    QFETCH(RotationMode, mode);
    SwarmConfig config = seeded(100, 4);
    config.rotation = mode;
    config.maxAngularVelocity = {30.0, 60.0, 120.0};
    Swarm swarm(config);
    const auto initial = swarm.member(7).angularVelocity;
    bool turned = false, rateChanged = false;
    for (int s = 0; s < 200; ++s) {
        swarm.step();
        for (int i = 0; i < swarm.size(); ++i) {
            const auto &m = swarm.member(i);
            for (int axis = 0; axis < 3; ++axis)
                QVERIFY(std::abs(m.angularVelocity[axis]) <= config.maxAngularVelocity[axis] + 1e-9);
            QVERIFY(m.orientation.roll >= -180.0 && m.orientation.roll < 180.0);
            turned = turned || m.orientation.roll != 0.0 || m.orientation.pitch != 0.0;
        }
        rateChanged = rateChanged || swarm.member(7).angularVelocity != initial;
    }
    QCOMPARE(turned, mode != RotationMode::Off);
    QCOMPARE(rateChanged, mode == RotationMode::Random);
    // The accelerometer sees the tilt: a rotating device no longer reads exactly 1 g on z.
    const SensorFrame frame = swarm.member(7).device.peekFrame();
    QCOMPARE(frame.az == 191 && frame.ax == 128 && frame.ay == 128, mode == RotationMode::Off);
}

void TestSwarm::tapsArePoisson()
{
    SwarmConfig config = seeded(1000, 12);
    Swarm swarm(config); // default 0.2 taps/s per device
    swarm.advanceTo(10000);
    // Expect 2000 taps; a Poisson count has sd ~45, so +-250 is over 5 sd.
    QVERIFY2(swarm.taps() > 1750 && swarm.taps() < 2250, qPrintable(QString::number(swarm.taps())));

    config.tapRate = 0.0;
    Swarm quiet(config);
    quiet.advanceTo(10000);
    QCOMPARE(quiet.taps(), 0u);
    for (int i = 0; i < quiet.size(); ++i)
        QVERIFY(!quiet.member(i).device.isTapPending());

    config.tapRate = 5.0;
    config.devices = 1;
    Swarm busy(config);
    busy.advanceTo(1000);
    QVERIFY(busy.member(0).device.isTapPending());
    QCOMPARE(busy.device(0).takeFrame().tap, quint8(0xff));
    QCOMPARE(busy.device(0).takeFrame().tap, quint8(0)); // one frame per tap
}

void TestSwarm::devicesFollowTheirBoids()
{
    Swarm swarm(seeded(20, 1));
    swarm.advanceTo(1234);
    for (int i = 0; i < swarm.size(); ++i) {
        const auto &m = swarm.member(i);
        QCOMPARE(m.device.position(), m.position);
        QCOMPARE(m.device.now(), 1234);
        QCOMPARE(m.device.peekFrame().beacons, RoomModel::beaconBytesAt(m.position));
    }
}

void TestSwarm::stepCostStaysLinear()
{
    // The grid plus the neighbour cap keep a step roughly linear in the device count:
    // 8x the devices must not cost anywhere near 64x.
    auto costPerStep = [](int devices) {
        Swarm swarm(seeded(devices, 2));
        swarm.advanceTo(1000); // let the flock form first
        double best = 1e18; // the fastest of three runs: a busy machine only adds time
        for (int run = 0; run < 3; ++run) {
            QElapsedTimer timer;
            timer.start();
            for (int s = 0; s < 20; ++s)
                swarm.step();
            best = std::min(best, double(timer.nsecsElapsed()) / 20.0);
        }
        return best;
    };
    const double small = costPerStep(500);
    const double large = costPerStep(4000);
    QVERIFY2(large < 20.0 * small,
             qPrintable(QStringLiteral("500: %1 us, 4000: %2 us").arg(small / 1000).arg(large / 1000)));
}

QTEST_APPLESS_MAIN(TestSwarm)
#include "tst_swarm.moc"
