// What /phone shows, in a real headless Chromium emulating a Pixel 7: the commanded colours on
// screen (screenshot pixels) at the right phase of each pattern, per-LED mode and brightness, and
// ledring.js's maths on Chromium's V8 against the C++ LedRing. The test freezes the page's clock
// (PhonePageTest) so every screenshot shows a known instant.
#include "ledring.h"
#include "phonepagetest.h"

#include <QGuiApplication>
#include <QJsonArray>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

QString rgbText(QColor c)
{
    return u"%1,%2,%3"_qs.arg(c.red()).arg(c.green()).arg(c.blue());
}

} // namespace

class TestPhoneLeds : public PhonePageTest
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { openPhone(); }
    void cleanupTestCase() { closePhone(); }
    void commandedColourOnScreen();
    void heartbeatPhaseOnScreen();
    void perLedAndBrightnessOnScreen();
    void ledMathsMatchInChromium();
};

void TestPhoneLeds::commandedColourOnScreen()
{
    // Breathing (the pattern since the network came up) peaks 1000 ms into each 2000 ms period.
    const double start = page->evaluate(u"GroupLoop.phone.ring.startMs"_qs).toDouble();
    const qint64 peak = qint64(start) + 1000 + 2000 * (qint64(pageNow() - start) / 2000 + 1);
    QVERIFY(showAt(peak));
    QVERIFY(command(u"led:00ff00"_qs));
    QVERIFY(page->waitFor(u"GroupLoop.phone.ring.colours.breathing.g === 255"_qs));
    QVERIFY(showAt(peak + 2000)); // the same phase, one period on, drawn after the command
    const QList<QColor> leds = ledPixels();
    QCOMPARE(leds.size(), 6);
    for (const QColor &c : leds)
        QCOMPARE(rgbText(c), u"0,255,0"_qs);
    QVERIFY(showAt(peak + 2500)); // a quarter period later: half way down the sine
    for (const QColor &c : ledPixels())
        QCOMPARE(rgbText(c), u"0,128,0"_qs);
}

void TestPhoneLeds::heartbeatPhaseOnScreen()
{
    const qint64 start = qint64(pageNow()) + 10;
    QVERIFY(showAt(start));
    QVERIFY(command(u"pattern:heartbeat"_qs));
    QVERIFY(page->waitFor(
        u"GroupLoop.phone.ring.pattern === 'heartbeat' && GroupLoop.phone.ring.startMs === %1"_qs.arg(
            start)));
    // 2 s dark, in 60 ms, out 150, pause 100, in 60, out 400; red (heartbeat's own colour).
    const QList<std::pair<int, QString>> phases = {
        {1000, u"0,0,0"_qs}, {2030, u"128,0,0"_qs}, {2060, u"255,0,0"_qs}, {2135, u"128,0,0"_qs},
        {2250, u"0,0,0"_qs}, {2370, u"255,0,0"_qs}, {2570, u"128,0,0"_qs}, {2770 + 2060, u"255,0,0"_qs},
    };
    for (const auto &[ms, expected] : phases) {
        QVERIFY(showAt(start + ms));
        for (const QColor &c : ledPixels())
            QVERIFY2(rgbText(c) == expected,
                     qPrintable(u"%1 ms: %2, expected %3"_qs.arg(ms).arg(rgbText(c), expected)));
    }
}

void TestPhoneLeds::perLedAndBrightnessOnScreen()
{
    qint64 now = qint64(pageNow());
    QVERIFY(command(u"led_set:2:0000ff"_qs));
    QVERIFY(command(u"brightness:128"_qs));
    QVERIFY(page->waitFor(u"GroupLoop.phone.ring.brightness === 128"_qs));
    QVERIFY(showAt(++now));
    QList<QColor> leds = ledPixels();
    QCOMPARE(leds.size(), 6);
    for (int i = 0; i < 6; ++i)
        QCOMPARE(rgbText(leds[i]), i == 2 ? u"0,0,128"_qs : u"0,0,0"_qs);
    // LED 2 sits at the lower right: LED 0 is at the top and the ring counts clockwise.
    const QJsonArray led2
        = page->evaluate(u"(() => { const l = document.querySelectorAll('.led')[2]"
                         ".getBoundingClientRect(), r = document.getElementById('ring')"
                         ".getBoundingClientRect(); return [l.left + l.width / 2 - (r.left + "
                         "r.width / 2), l.top + l.height / 2 - (r.top + r.height / 2)]; })()"_qs)
              .toArray();
    QVERIFY(led2[0].toDouble() > 0 && led2[1].toDouble() > 0);

    QVERIFY(command(u"led_all_off:"_qs));
    QVERIFY(command(u"pattern:solid"_qs)); // leaves per-LED mode: solid white at brightness 128
    QVERIFY(page->waitFor(u"GroupLoop.phone.ring.pattern === 'solid' && !GroupLoop.phone.ring.perLed"_qs));
    QVERIFY(showAt(++now));
    for (const QColor &c : ledPixels())
        QCOMPARE(rgbText(c), u"128,128,128"_qs);
    QVERIFY(command(u"brightness:255"_qs));
    QVERIFY(command(u"pattern:cycle"_qs));
    QVERIFY(page->waitFor(u"GroupLoop.phone.ring.pattern === 'cycle'"_qs));
    const qint64 cycleStart = qint64(page->evaluate(u"GroupLoop.phone.ring.startMs"_qs).toDouble());
    QVERIFY(showAt(cycleStart + 450)); // the fifth step: LED 4 lit, white
    leds = ledPixels();
    for (int i = 0; i < 6; ++i)
        QCOMPARE(rgbText(leds[i]), i == 4 ? u"255,255,255"_qs : u"0,0,0"_qs);
    page->evaluate(u"window.__clock.release()"_qs);
}

void TestPhoneLeds::ledMathsMatchInChromium()
{
    // tst_phonemodel proves ledring.js equals LedRing in QJSEngine; here the same file runs on
    // Chromium's V8, whose Math library is its own: allowed 1/255 where the last bit differs.
    struct Case
    {
        LedPattern pattern;
        int brightness;
        QString spring;
    };
    const QList<Case> cases = {
        {LedPattern::Breathing, 255, {}},
        {LedPattern::Breathing, 77, {}},
        {LedPattern::Heartbeat, 255, {}},
        {LedPattern::Heartbeat, 200, {}},
        {LedPattern::Cycle, 255, {}},
        {LedPattern::Solid, 129, {}},
        {LedPattern::Spring, 255, {}},
        {LedPattern::Spring, 255, u"0a0000"_qs},
        {LedPattern::Spring, 180, u"0aff00"_qs},
        {LedPattern::Spring, 255, u"282809"_qs},
        {LedPattern::Spring, 255, u"ffffff"_qs},
        {LedPattern::Off, 255, {}},
    };
    constexpr int Until = 6000, Step = 3;
    int compared = 0, inexact = 0, worst = 0;
    for (const Case &c : cases) {
        LedRing ring;
        ring.setPattern(c.pattern, 0);
        ring.setColour(Rgb {0xf0, 0x80, 0x33});
        ring.setBrightness(c.brightness);
        if (!c.spring.isEmpty())
            ring.setSpring(*SpringParams::fromHex(c.spring));
        const QString js = uR"((() => {
            const ring = new GroupLoop.LedRing();
            ring.setPattern('%1', 0);
            ring.setColour({ r: 0xf0, g: 0x80, b: 0x33 });
            ring.setBrightness(%2);
            if ('%3') ring.spring = GroupLoop.led.springFromHex('%3');
            const out = [];
            for (let t = 0; t <= %4; t += %5)
                out.push(...ring.coloursAt(t).flatMap((c) => [c.r, c.g, c.b]));
            return out;
        })())"_qs.arg(ledPatternName(c.pattern))
                               .arg(c.brightness)
                               .arg(c.spring)
                               .arg(Until)
                               .arg(Step);
        const QJsonArray values = page->evaluate(js).toArray();
        QCOMPARE(values.size(), (Until / Step + 1) * 18);
        qsizetype i = 0;
        for (int t = 0; t <= Until; t += Step) {
            for (const Rgb &led : ring.coloursAt(t)) {
                for (int channel : {led.r, led.g, led.b}) {
                    const int diff = std::abs(values[i++].toInt() - channel);
                    worst = std::max(worst, diff);
                    inexact += diff != 0;
                    ++compared;
                }
            }
        }
    }
    qInfo("LED channels compared in Chromium: %d, off by one: %d, worst %d", compared, inexact, worst);
    QVERIFY(worst <= 1);
}

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    TestPhoneLeds test;
    return runBrowserTest(&test, argc, argv);
}

#include "tst_phoneleds.moc"
