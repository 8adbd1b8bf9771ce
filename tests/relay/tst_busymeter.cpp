// BusyMeter, the relay's decision to pace: busy from a window at the threshold's rate, idle
// again under half of it (no flapping near the threshold), idle after a silence, and always busy
// with a threshold of 0 (pacing as before). Pure arithmetic on given times: no clock, no sleep.
#include "busymeter.h"

#include <QTest>

using namespace GroupLoop;

namespace {
constexpr qint64 Window = BusyMeter::WindowUs;

// `perSecond` events, one every 1e6/perSecond us, from `fromUs` for `forUs`; the last answer.
bool feed(BusyMeter &meter, qint64 &nowUs, int perSecond, qint64 forUs)
{
    const qint64 stepUs = 1000000 / perSecond;
    const qint64 endUs = nowUs + forUs;
    bool busy = false;
    for (; nowUs < endUs; nowUs += stepUs)
        busy = meter.add(nowUs, 1);
    return busy;
}
} // namespace

class TestBusyMeter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lightLoadStaysIdle();
    void heavyLoadTurnsBusyWithinTwoWindows();
    void hysteresisKeepsItBusyAboveHalf();
    void silenceIsIdle();
    void zeroThresholdIsAlwaysBusy();
    void eventsCountInBulk();
};

void TestBusyMeter::lightLoadStaysIdle()
{
    BusyMeter meter(2000);
    qint64 now = 1000000;
    // 20 devices x 20 Hz: 400 reports a second, for ten seconds.
    QVERIFY(!feed(meter, now, 400, 10 * 1000000));
    QVERIFY(!meter.isBusy(now));
    // Just under the threshold: still idle.
    QVERIFY(!feed(meter, now, 1900, 2 * 1000000));
}

void TestBusyMeter::heavyLoadTurnsBusyWithinTwoWindows()
{
    BusyMeter meter(2000);
    qint64 now = 1000000;
    QVERIFY(!feed(meter, now, 400, 1000000));
    // 300 devices x 50 Hz: 15,000 a second.
    QVERIFY(feed(meter, now, 15000, 2 * Window + 1000));
    QVERIFY(meter.isBusy(now));
}

void TestBusyMeter::hysteresisKeepsItBusyAboveHalf()
{
    BusyMeter meter(2000);
    qint64 now = 1000000;
    QVERIFY(feed(meter, now, 3000, 5 * Window));
    // Between half the threshold and the threshold: a busy meter stays busy...
    QVERIFY(feed(meter, now, 1500, 10 * Window));
    // ...and turns idle under half of it.
    QVERIFY(!feed(meter, now, 800, 3 * Window));
    // Idle, the same 1,500 a second does not make it busy again.
    QVERIFY(!feed(meter, now, 1500, 10 * Window));
}

void TestBusyMeter::silenceIsIdle()
{
    BusyMeter meter(2000);
    qint64 now = 1000000;
    QVERIFY(feed(meter, now, 15000, 3 * Window));
    QVERIFY(meter.isBusy(now));
    QVERIFY(!meter.isBusy(now + 2 * Window)); // nothing for two windows
    // The first event after a long silence: the silence counts in the rate, so idle.
    now += 10 * Window;
    QVERIFY(!meter.add(now, 1));
}

void TestBusyMeter::zeroThresholdIsAlwaysBusy()
{
    BusyMeter meter(0);
    QVERIFY(meter.isBusy(0));
    QVERIFY(meter.add(5, 1));
    QVERIFY(meter.isBusy(100 * Window));
    meter.setThreshold(2000);
    QVERIFY(!meter.isBusy(100 * Window));
    meter.setThreshold(0);
    QVERIFY(meter.isBusy(100 * Window));
}

void TestBusyMeter::eventsCountInBulk()
{
    // A pass that handled 100 descriptors counts 100: 20 such passes a window are 20,000 a second.
    BusyMeter meter(2000);
    qint64 now = 1000000;
    bool busy = false;
    for (int pass = 0; pass < 60; ++pass, now += Window / 20)
        busy = meter.add(now, 100);
    QVERIFY(busy);
}

QTEST_APPLESS_MAIN(TestBusyMeter)
#include "tst_busymeter.moc"
