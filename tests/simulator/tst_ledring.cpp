// LedRing and SpringParams: the pattern curves as pure functions of time.
#include "ledring.h"

#include <QTest>

#include <cmath>

using namespace GroupLoop;

class TestLedRing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rgbFromHex_data();
    void rgbFromHex();
    void patternNames();
    void heartbeatEnvelope_data();
    void heartbeatEnvelope();
    void breathingIsSmoothSine();
    void springParamsFromHex_data();
    void springParamsFromHex();
    void springOscillatesAndDecays();
    void springOverdampedCreeps();
    void springPatternFadesOut();
};

void TestLedRing::rgbFromHex_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("normalised");
    QTest::newRow("lower") << u"00ff7f"_qs << true << u"00ff7f"_qs;
    QTest::newRow("upper") << u"ABCDEF"_qs << true << u"abcdef"_qs;
    QTest::newRow("short") << u"fff"_qs << false << QString();
    QTest::newRow("long") << u"ff00ff00"_qs << false << QString();
    QTest::newRow("hash") << u"#ff00f"_qs << false << QString();
    QTest::newRow("not hex") << u"gg0000"_qs << false << QString();
    QTest::newRow("empty") << QString() << false << QString();
}

void TestLedRing::rgbFromHex()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, normalised);
    const auto rgb = Rgb::fromHex(text);
    QCOMPARE(rgb.has_value(), valid);
    if (valid)
        QCOMPARE(rgb->toHex(), normalised);
}

void TestLedRing::patternNames()
{
    for (const char *name : {"breathing", "heartbeat", "solid", "cycle", "spring", "off"}) {
        const auto pattern = ledPatternFromName(QString::fromLatin1(name));
        QVERIFY2(pattern, name);
        QCOMPARE(ledPatternName(*pattern), QLatin1String(name));
    }
    QVERIFY(!ledPatternFromName(u"Breathing"));
    QVERIFY(!ledPatternFromName(u""));
}

void TestLedRing::heartbeatEnvelope_data()
{
    QTest::addColumn<int>("ms");
    QTest::addColumn<double>("level");
    // 2 s dark, in 60, out 150, pause 100, in 60, out 400: period 2770 ms.
    const QList<std::pair<int, double>> points = {
        {0, 0.0},    {1000, 0.0},       {1999, 0.0},       {2000, 0.0}, {2030, 0.5},        {2060, 1.0},
        {2135, 0.5}, {2209, 1.0 / 150}, {2210, 0.0},       {2300, 0.0}, {2310, 0.0},        {2340, 0.5},
        {2370, 1.0}, {2470, 0.75},      {2769, 1.0 / 400}, {2770, 0.0}, {2770 + 2060, 1.0},
    };
    for (const auto &[ms, level] : points)
        QTest::addRow("%d ms", ms) << ms << level;
}

void TestLedRing::heartbeatEnvelope()
{
    QFETCH(int, ms);
    QFETCH(double, level);
    QVERIFY2(std::abs(LedRing::heartbeatLevel(ms) - level) < 1e-9,
             qPrintable(QString::number(LedRing::heartbeatLevel(ms))));
}

void TestLedRing::breathingIsSmoothSine()
{
    QCOMPARE(LedRing::breathingLevel(0), 0.0);
    QCOMPARE(LedRing::breathingLevel(1000), 1.0);
    QVERIFY(std::abs(LedRing::breathingLevel(500) - 0.5) < 1e-9);
    double previous = 0.0;
    for (int ms = 10; ms <= 1000; ms += 10) { // rises monotonically to the peak
        const double level = LedRing::breathingLevel(ms);
        QVERIFY(level > previous);
        previous = level;
    }
    QVERIFY(std::abs(LedRing::breathingLevel(2345) - LedRing::breathingLevel(345)) < 1e-12);
}

void TestLedRing::springParamsFromHex_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("k");
    QTest::addColumn<double>("damping");
    QTest::addColumn<double>("mass");
    QTest::newRow("firmware default") << u"c91409"_qs << true << 20.1 << 2.0 << 1.0;
    QTest::newRow("zero mass byte") << u"640a00"_qs << true << 10.0 << 1.0 << 0.1;
    QTest::newRow("max") << u"FFFFFF"_qs << true << 25.5 << 25.5 << 25.6;
    QTest::newRow("short") << u"c914"_qs << false << 0.0 << 0.0 << 0.0;
    QTest::newRow("not hex") << u"c9140z"_qs << false << 0.0 << 0.0 << 0.0;
}

void TestLedRing::springParamsFromHex()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    const auto spring = SpringParams::fromHex(text);
    QCOMPARE(spring.has_value(), valid);
    if (!valid)
        return;
    QFETCH(double, k);
    QFETCH(double, damping);
    QFETCH(double, mass);
    QCOMPARE(spring->k, k);
    QCOMPARE(spring->damping, damping);
    QCOMPARE(spring->mass, mass);
}

void TestLedRing::springOscillatesAndDecays()
{
    const SpringParams spring; // k 20.1, c 2, m 1: about 0.7 Hz, gone in about 3 s
    QCOMPARE(spring.displacement(0.0), 1.0);
    // Zero crossings are half a damped period apart: omega_d = sqrt(20.1 - 1) = 4.37 rad/s.
    QList<double> crossings;
    double previous = spring.displacement(0.0);
    for (int ms = 1; ms <= 3000 && crossings.size() < 2; ++ms) {
        const double x = spring.displacement(ms / 1000.0);
        if ((x < 0) != (previous < 0))
            crossings << ms / 1000.0;
        previous = x;
    }
    QCOMPARE(crossings.size(), 2);
    const double firstCrossing = crossings[0], secondCrossing = crossings[1];
    const double halfPeriod = secondCrossing - firstCrossing;
    const double frequency = 1.0 / (2.0 * halfPeriod);
    QVERIFY2(frequency > 0.65 && frequency < 0.75, qPrintable(QString::number(frequency)));
    // Envelope e^{-t}: under 6 % after 3 s.
    for (int ms = 3000; ms < 4000; ms += 7)
        QVERIFY(std::abs(spring.displacement(ms / 1000.0)) < 0.06);
    QVERIFY(std::abs(spring.displacement(0.7)) > 0.2); // but clearly ringing early on
}

void TestLedRing::springOverdampedCreeps()
{
    const SpringParams spring {1.0, 10.0, 1.0}; // heavily damped: no overshoot
    double previous = 1.0;
    for (int ms = 50; ms <= 5000; ms += 50) {
        const double x = spring.displacement(ms / 1000.0);
        QVERIFY(x > 0.0);
        QVERIFY(x < previous);
        previous = x;
    }
    const SpringParams critical {4.0, 4.0, 1.0}; // gamma = 2 = omega0
    QVERIFY(critical.displacement(1.0) > 0.0);
    QVERIFY(std::abs(critical.displacement(1.0) - std::exp(-2.0) * 3.0) < 1e-9);
}

void TestLedRing::springPatternFadesOut()
{
    LedRing ring;
    ring.setPattern(LedPattern::Spring, 1000);
    QCOMPARE(ring.coloursAt(1000)[0], (Rgb {255, 255, 255}));
    QVERIFY(ring.coloursAt(1000 + 700)[3].r > 40);
    QVERIFY(ring.coloursAt(1000 + 5000)[3].r < 5);
    ring.setSpring(*SpringParams::fromHex(u"c9c809")); // damping 20: no ring at all
    ring.restart(0);
    QVERIFY(ring.coloursAt(2000)[0].r < ring.coloursAt(1000)[0].r);
}

QTEST_APPLESS_MAIN(TestLedRing)
#include "tst_ledring.moc"
