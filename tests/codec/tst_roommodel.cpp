#include "roommodel.h"
#include "sensorframe.h"

#include <QTest>

namespace Room = GroupLoop::RoomModel;

class TestRoomModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pathLossIsMonotonic();
    void positionRoundTrips_data();
    void positionRoundTrips();
    void threeBeaconsSuffice();
    void twoBeaconsAreNotEnough();
};

void TestRoomModel::pathLossIsMonotonic()
{
    QCOMPARE(Room::rssiAtDistance(100.0), Room::TxPowerAt1mDbm);
    double previous = 0.0;
    for (double d = 10.0; d < 1000.0; d += 10.0) {
        const double rssi = Room::rssiAtDistance(d);
        QVERIFY(d == 10.0 || rssi < previous);
        QVERIFY(qAbs(Room::distanceForRssi(rssi) - d) < 1e-6);
        previous = rssi;
    }
}

void TestRoomModel::positionRoundTrips_data()
{
    QTest::addColumn<QPointF>("position");
    for (double x : {40.0, 200.0, 400.0, 650.0, 760.0})
        for (double y : {40.0, 300.0, 560.0})
            QTest::addRow("%g,%g", x, y) << QPointF(x, y);
}

void TestRoomModel::positionRoundTrips()
{
    QFETCH(QPointF, position);
    const auto bytes = Room::beaconBytesAt(position);
    for (quint8 b : bytes)
        QVERIFY(b > 0); // always "heard"
    const auto estimate = Room::estimatePosition(bytes);
    QVERIFY(estimate);
    // One byte step is 0.235 dB, i.e. about 2.7 % of the distance: allow 25 cm in an 8 m room.
    const QPointF error = *estimate - position;
    QVERIFY2(std::hypot(error.x(), error.y()) < 25.0,
             qPrintable(QStringLiteral("estimate %1,%2").arg(estimate->x()).arg(estimate->y())));
}

void TestRoomModel::threeBeaconsSuffice()
{
    auto bytes = Room::beaconBytesAt({300.0, 200.0});
    bytes[GroupLoop::SensorFrame::SouthEast] = 0;
    const auto estimate = Room::estimatePosition(bytes);
    QVERIFY(estimate);
    QVERIFY(std::hypot(estimate->x() - 300.0, estimate->y() - 200.0) < 30.0);
}

void TestRoomModel::twoBeaconsAreNotEnough()
{
    QVERIFY(!Room::estimatePosition({0, 0, 120, 130}));
    QVERIFY(!Room::estimatePosition({0, 0, 0, 0}));
}

QTEST_APPLESS_MAIN(TestRoomModel)
#include "tst_roommodel.moc"
