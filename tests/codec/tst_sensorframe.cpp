#include "sensorframe.h"

#include <QTest>

using GroupLoop::SensorFrame;

class TestSensorFrame : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseFields_data();
    void parseFields();
    void rejectsMalformed_data();
    void rejectsMalformed();
    void roundTripsHex();
    void accelerationScale_data();
    void accelerationScale();
    void rssiScale_data();
    void rssiScale();
    void idText();
};

void TestSensorFrame::parseFields_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("id");
    QTest::addColumn<int>("ax");
    QTest::addColumn<int>("ay");
    QTest::addColumn<int>("az");
    QTest::addColumn<QList<int>>("beacons");
    QTest::addColumn<bool>("tap");

    QTest::newRow("at rest") << u"a1b28080bf1020304000"_qs << 0xa1b2 << 0x80 << 0x80 << 0xbf
                             << QList<int> {0x10, 0x20, 0x30, 0x40} << false;
    QTest::newRow("uppercase with tap") << u"FFFF00FF7Fa0B0c0D0FF"_qs << 0xffff << 0 << 0xff << 0x7f
                                        << QList<int> {0xa0, 0xb0, 0xc0, 0xd0} << true;
    QTest::newRow("tap byte 01 is no tap")
        << u"00000000000000000001"_qs << 0 << 0 << 0 << 0 << QList<int> {0, 0, 0, 0} << false;
    QTest::newRow("tap byte fe is no tap")
        << u"010203040506070809fe"_qs << 0x0102 << 3 << 4 << 5 << QList<int> {6, 7, 8, 9} << false;
}

void TestSensorFrame::parseFields()
{
    QFETCH(QString, text);
    QFETCH(int, id);
    QFETCH(int, ax);
    QFETCH(int, ay);
    QFETCH(int, az);
    QFETCH(QList<int>, beacons);
    QFETCH(bool, tap);

    const auto frame = SensorFrame::parse(QStringView(text));
    QVERIFY(frame);
    QCOMPARE(frame->id, id);
    QCOMPARE(frame->ax, ax);
    QCOMPARE(frame->ay, ay);
    QCOMPARE(frame->az, az);
    for (int i = 0; i < 4; ++i)
        QCOMPARE(frame->beacons[i], beacons[i]);
    QCOMPARE(frame->isTap(), tap);
    // The byte view parses identically.
    const QByteArray bytes = text.toLatin1();
    QCOMPARE(SensorFrame::parse(QByteArrayView(bytes)), frame);
}

void TestSensorFrame::rejectsMalformed_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("19 digits") << u"a1b28080bf102030400"_qs;
    QTest::newRow("21 digits") << u"a1b28080bf10203040000"_qs;
    QTest::newRow("non-hex g") << u"a1b28080bf1020304g00"_qs;
    QTest::newRow("space inside") << u"a1b28080bf 020304000"_qs;
    QTest::newRow("trailing newline") << u"a1b28080bf102030400\n"_qs;
    QTest::newRow("0x prefix") << u"0xa1b28080bf10203040"_qs;
    QTest::newRow("fullwidth digit") << (u"a1b28080bf1020304000"_qs.left(19) + QChar(0xff10));
}

void TestSensorFrame::rejectsMalformed()
{
    QFETCH(QString, text);
    QVERIFY(!SensorFrame::parse(QStringView(text)));
    QVERIFY(!SensorFrame::isFrameText(text));
}

void TestSensorFrame::roundTripsHex()
{
    SensorFrame frame;
    frame.id = 0x0a0b;
    frame.ax = 1;
    frame.ay = 0xfe;
    frame.az = 0x80;
    frame.beacons = {0, 0x11, 0xee, 0xff};
    frame.tap = 0xff;
    QCOMPARE(frame.toHex(), QByteArray("0a0b01fe800011eeffff"));
    QCOMPARE(SensorFrame::parse(QByteArrayView(frame.toHex())), frame);
}

void TestSensorFrame::accelerationScale_data()
{
    QTest::addColumn<double>("g");
    QTest::addColumn<int>("byte");
    QTest::newRow("0 g") << 0.0 << 128;
    QTest::newRow("+1 g") << 1.0 << 191;
    QTest::newRow("-1 g") << -1.0 << 64;
    QTest::newRow("+2 g") << 2.0 << 255;
    QTest::newRow("-2 g") << -2.0 << 0;
    QTest::newRow("clamped high") << 5.0 << 255;
    QTest::newRow("clamped low") << -9.0 << 0;
}

void TestSensorFrame::accelerationScale()
{
    QFETCH(double, g);
    QFETCH(int, byte);
    QCOMPARE(SensorFrame::accelToByte(g), byte);
    if (std::abs(g) <= 2.0) // decoding is within half a step (4/255/2 g)
        QVERIFY(std::abs(SensorFrame::byteToAccel(quint8(byte)) - g) <= 2.0 / 255.0 + 1e-9);
}

void TestSensorFrame::rssiScale_data()
{
    QTest::addColumn<double>("dbm");
    QTest::addColumn<int>("byte");
    QTest::newRow("floor") << -100.0 << 0;
    QTest::newRow("ceiling") << -40.0 << 255;
    QTest::newRow("middle") << -70.0 << 128;
    QTest::newRow("below floor") << -120.0 << 0;
    QTest::newRow("above ceiling") << -10.0 << 255;
}

void TestSensorFrame::rssiScale()
{
    QFETCH(double, dbm);
    QFETCH(int, byte);
    QCOMPARE(SensorFrame::rssiToByte(dbm), byte);
    const double clamped = std::clamp(dbm, -100.0, -40.0);
    QVERIFY(std::abs(SensorFrame::byteToRssi(quint8(byte)) - clamped) <= 30.0 / 255.0 + 1e-9);
}

void TestSensorFrame::idText()
{
    QCOMPARE(SensorFrame::idToText(0x00af), u"00af"_qs);
    QCOMPARE(SensorFrame::idFromText(u"00AF"), quint16(0x00af));
    QVERIFY(!SensorFrame::idFromText(u"0af"));
    QVERIFY(!SensorFrame::idFromText(u"00ag"));
}

QTEST_APPLESS_MAIN(TestSensorFrame)
#include "tst_sensorframe.moc"
