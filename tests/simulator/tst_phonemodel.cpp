// The /phone page's device model against the C++ it ports: resources/phone/ledring.js runs in a
// QJSEngine next to VirtualDevice (LedRing and the command parser), resources/phone/frame.js next
// to SensorFrame and RoomModel. Both sides see the same commands at the same whole milliseconds;
// every LED colour, every accepted or ignored command and every frame byte must match exactly.
// (QJSEngine's Math calls the same libm as the C++; Chromium's V8 has its own, which the browser
// test, tests/browser/tst_phonepage.cpp, compares within 1/255.)
#include "roommodel.h"
#include "sensorframe.h"
#include "virtualdevice.h"

#include <QFile>
#include <QJSEngine>
#include <QRandomGenerator>
#include <QTest>

using namespace GroupLoop;

namespace {

struct TimedCommand
{
    qint64 atMs;
    QString text;
};
using Script = QList<TimedCommand>;

QString coloursText(const LedRing::Colours &colours)
{
    QStringList hex;
    for (const Rgb &c : colours)
        hex << c.toHex();
    return hex.join(u' ');
}

} // namespace

Q_DECLARE_METATYPE(Script)

class TestPhoneModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void levelsMatch();
    void ringMatchesVirtualDevice_data();
    void ringMatchesVirtualDevice();
    void otaIsIgnored();
    void randomScriptsMatch();
    void accelBytesMatch();
    void beaconBytesMatch();
    void frameTextMatches();

private:
    QJSValue call(const QString &expression);
    void compareScript(const Script &script, qint64 untilMs, qint64 stepMs);

    QJSEngine m_js;
};

void TestPhoneModel::initTestCase()
{
    // The files as the relay serves them: from the Qt resource, not the source tree.
    for (const char *name : {"ledring.js", "frame.js"}) {
        const QString path = QStringLiteral(":/grouploop/phone/") + QLatin1String(name);
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        const QJSValue result = m_js.evaluate(QString::fromUtf8(file.readAll()), path);
        QVERIFY2(!result.isError(), qPrintable(result.toString()));
    }
    QVERIFY(call(QStringLiteral("typeof GroupLoop.LedRing")).toString() == u"function");
}

QJSValue TestPhoneModel::call(const QString &expression)
{
    const QJSValue value = m_js.evaluate(expression);
    if (value.isError())
        qWarning("JS error in %s: %s", qPrintable(expression), qPrintable(value.toString()));
    return value;
}

void TestPhoneModel::levelsMatch()
{
    // The envelopes themselves, bit for bit, over several periods.
    const QJSValue led = call(QStringLiteral("GroupLoop.led"));
    const QJSValue breathing = led.property(QStringLiteral("breathingLevel"));
    const QJSValue heartbeat = led.property(QStringLiteral("heartbeatLevel"));
    const QJSValue cycle = led.property(QStringLiteral("cycleIndex"));
    for (qint64 ms = 0; ms <= 3 * LedRing::HeartbeatPeriodMs; ++ms) {
        const QJSValueList args {double(ms)};
        QCOMPARE(breathing.call(args).toNumber(), LedRing::breathingLevel(ms));
        QCOMPARE(heartbeat.call(args).toNumber(), LedRing::heartbeatLevel(ms));
        QCOMPARE(cycle.call(args).toInt(), LedRing::cycleIndex(ms));
    }
    const QJSValue displacement = led.property(QStringLiteral("springDisplacement"));
    for (const QString &hex : {u"c91409"_qs, u"0a0000"_qs, u"0aff00"_qs, u"282809"_qs, u"ffffff"_qs}) {
        const SpringParams spring = *SpringParams::fromHex(hex);
        const QJSValue jsSpring = led.property(QStringLiteral("springFromHex")).call({hex});
        for (int ms = 0; ms <= 5000; ms += 7)
            QCOMPARE(displacement.call({jsSpring, ms / 1000.0}).toNumber(), spring.displacement(ms / 1000.0));
    }
}

// Applies the script to a VirtualDevice and to the JS port, interleaved with samples every
// stepMs up to untilMs, and compares what each command did and what the ring shows. The JS side
// runs the whole script in one call (a call into QJSEngine per sample costs more than the maths).
void TestPhoneModel::compareScript(const Script &script, qint64 untilMs, qint64 stepMs)
{
    QStringList results, colours;
    VirtualDevice device(0xa1b2);
    QJSValue jsScript = m_js.newArray(quint32(script.size()));
    qsizetype next = 0;
    for (qint64 t = 0; t <= untilMs; t += stepMs) {
        for (; next < script.size() && script[next].atMs <= t; ++next) {
            const TimedCommand &command = script[next];
            QJSValue entry = m_js.newArray(2);
            entry.setProperty(0, double(command.atMs));
            entry.setProperty(1, command.text);
            jsScript.setProperty(quint32(next), entry);
            device.advanceTo(command.atMs);
            const bool applied = device.applyCommand(command.text) == VirtualDevice::CommandResult::Applied;
            const bool vibrate = applied && command.text.startsWith(u"vibrate:");
            results << (vibrate       ? QStringLiteral("vibrate %1").arg(device.vibrationRemainingMs())
                            : applied ? QStringLiteral("applied")
                                      : QStringLiteral("ignored"));
        }
        device.advanceTo(t);
        colours << coloursText(device.ledColours());
    }
    const QJSValue run = call(QStringLiteral(R"((function (script, until, step) {
        const ring = new GroupLoop.LedRing(), results = [], colours = [];
        let next = 0;
        for (let t = 0; t <= until; t += step) {
            for (; next < script.length && script[next][0] <= t; ++next) {
                const r = GroupLoop.led.applyCommand(ring, script[next][1], script[next][0]);
                results.push(!r.applied ? 'ignored' : r.vibrateMs === null ? 'applied' : 'vibrate ' + r.vibrateMs);
            }
            colours.push(ring.coloursAt(t).map(GroupLoop.led.rgbToHex).join(' '));
        }
        return { results: results.join('|'), colours: colours.join('|') };
    }))"));
    const QJSValue js = run.call({jsScript, double(untilMs), double(stepMs)});
    QVERIFY2(!js.isError(), qPrintable(js.toString()));
    const QStringList jsResults = js.property(QStringLiteral("results")).toString().split(u'|');
    const QStringList jsColours = js.property(QStringLiteral("colours")).toString().split(u'|');
    QCOMPARE(jsColours.size(), colours.size());
    for (qsizetype i = 0; i < script.size(); ++i) {
        if (jsResults.value(i) != results[i])
            QFAIL(qPrintable(QStringLiteral("%1 at %2 ms: js %3, c++ %4")
                                 .arg(script[i].text)
                                 .arg(script[i].atMs)
                                 .arg(jsResults.value(i), results[i])));
    }
    for (qsizetype i = 0; i < colours.size(); ++i) {
        if (jsColours[i] != colours[i])
            QFAIL(qPrintable(
                QStringLiteral("at %1 ms: js %2, c++ %3").arg(i * stepMs).arg(jsColours[i], colours[i])));
    }
}

void TestPhoneModel::ringMatchesVirtualDevice_data()
{
    QTest::addColumn<Script>("script");
    QTest::newRow("boot: red breathing") << Script {};
    for (const char *pattern : {"breathing", "heartbeat", "solid", "cycle", "spring", "off"}) {
        const QString name = QLatin1String(pattern);
        QTest::addRow("pattern %s, then a colour", pattern)
            << Script {{123, u"pattern:"_qs + name}, {4321, u"led:3366ff"_qs}, {9000, u"led:ABCDEF"_qs}};
    }
    QTest::newRow("brightness") << Script {
        {0, u"pattern:solid"_qs},     {500, u"brightness:128"_qs},     {1000, u"brightness:0"_qs},
        {1500, u"brightness:300"_qs}, {2000, u"brightness:-5"_qs},     {2500, u"brightness: 77 "_qs},
        {3000, u"brightness:abc"_qs}, {3500, u"brightness:+200"_qs},   {4000, u"brightness:1e2"_qs},
        {4500, u"brightness:"_qs},    {5000, u"pattern:breathing"_qs}, {5500, u"brightness:33"_qs}};
    QTest::newRow("per-LED mode") << Script {{100, u"led_set:0:ff0000"_qs}, {200, u"led_set:5:00ff00"_qs},
                                             {300, u"led_set:3:0000FF"_qs}, {400, u"led_off:0"_qs},
                                             {500, u"led_set:6:ffffff"_qs}, {600, u"led_set:-1:ffffff"_qs},
                                             {700, u"led_set:2:zzzzzz"_qs}, {800, u"led_set:2"_qs},
                                             {900, u"led_off:9"_qs},        {1000, u"brightness:100"_qs},
                                             {1100, u"led_all_off:"_qs},    {1200, u"led_set:1:123456"_qs},
                                             {1300, u"led:00ff00"_qs},      {1400, u"led_set:4:ffff00"_qs},
                                             {1500, u"pattern:cycle"_qs},   {2000, u"led_set: 2 :ff00ff"_qs},
                                             {2100, u"reset:"_qs}};
    QTest::newRow("spring parameters")
        << Script {{0, u"pattern:spring"_qs}, {3000, u"spring_param:c81411"_qs},
                   {3001, u"reset:"_qs},      {6000, u"spring_param:0a0000"_qs},
                   {6001, u"reset:"_qs},      {9000, u"spring_param:0aff00"_qs},
                   {9001, u"reset:"_qs},      {12000, u"spring_param:282809"_qs},
                   {12001, u"reset:"_qs},     {15000, u"spring_param:xyz"_qs},
                   {15001, u"led:ff8000"_qs}};
    QTest::newRow("reset restarts") << Script {{0, u"pattern:heartbeat"_qs}, {2100, u"reset:"_qs},
                                               {4400, u"reset"_qs},          {5000, u"pattern:cycle"_qs},
                                               {5250, u"reset:"_qs},         {7000, u"pattern:breathing"_qs},
                                               {7700, u"reset:"_qs}};
    QTest::newRow("vibrate and inert commands")
        << Script {{10, u"vibrate:200"_qs}, {20, u"vibrate:0"_qs},         {30, u"vibrate:-1"_qs},
                   {40, u"vibrate:x"_qs},   {50, u"status:"_qs},           {60, u"led_get_state:"_qs},
                   {80, u"nonsense"_qs},    {90, u"pattern:Breathing"_qs}, {100, u"led:#ff0000"_qs},
                   {110, u""_qs},           {120, u"vibrate: 1500"_qs}};
}

void TestPhoneModel::ringMatchesVirtualDevice()
{
    QFETCH(Script, script);
    compareScript(script, 18000, 7); // 7 ms steps land on every phase of every period
}

void TestPhoneModel::otaIsIgnored()
{
    // A phone cannot flash firmware: where VirtualDevice starts an update, the page does nothing.
    const QJSValue result = call(QStringLiteral("GroupLoop.led.applyCommand(new GroupLoop.LedRing(), "
                                                "'ota:http://h:5004/x.bin', 0)"));
    QCOMPARE(result.property(QStringLiteral("applied")).toBool(), false);
}

void TestPhoneModel::randomScriptsMatch()
{
    // Mixed valid and malformed commands at random times: the parsers must agree on all of them.
    const QStringList templates
        = {u"led:%1"_qs,        u"pattern:%p"_qs, u"brightness:%n"_qs, u"spring_param:%1"_qs, u"reset:"_qs,
           u"led_set:%i:%1"_qs, u"led_off:%i"_qs, u"led_all_off:"_qs,  u"vibrate:%n"_qs,      u"led:%j"_qs};
    const QStringList patterns = {u"breathing"_qs, u"heartbeat"_qs, u"solid"_qs,  u"cycle"_qs,
                                  u"spring"_qs,    u"off"_qs,       u"sparkle"_qs};
    for (quint32 seed = 1; seed <= 20; ++seed) {
        QRandomGenerator rng(seed);
        Script script;
        qint64 t = 0;
        for (int i = 0; i < 40; ++i) {
            t += rng.bounded(600);
            QString text = templates[rng.bounded(int(templates.size()))];
            text.replace(u"%1"_qs, QStringLiteral("%1").arg(rng.bounded(0x1000000), 6, 16, QLatin1Char('0')));
            text.replace(u"%j"_qs, QString::number(rng.bounded(0x1000000), 16)); // often too short
            text.replace(u"%p"_qs, patterns[rng.bounded(int(patterns.size()))]);
            text.replace(u"%n"_qs, QString::number(rng.bounded(-50, 400)));
            text.replace(u"%i"_qs, QString::number(rng.bounded(-1, 8)));
            script.append({t, text});
        }
        compareScript(script, t + 4000, 11);
        if (QTest::currentTestFailed()) {
            qWarning("random script seed %u", seed);
            return;
        }
    }
}

void TestPhoneModel::accelBytesMatch()
{
    const QJSValue accelToByte = call(QStringLiteral("GroupLoop.frame.accelToByte"));
    for (int milli = -3000; milli <= 3000; ++milli) {
        const double g = milli / 1000.0;
        QCOMPARE(accelToByte.call({g}).toInt(), int(SensorFrame::accelToByte(g)));
    }
    QCOMPARE(accelToByte.call({1.0}).toInt(), 0xbf); // lying flat
    QCOMPARE(accelToByte.call({0.0}).toInt(), 0x80);
    QCOMPARE(accelToByte.call({-1.0}).toInt(), 0x40);
}

void TestPhoneModel::beaconBytesMatch()
{
    // Every 5 cm over the room and a margin around it (the page clamps, the model must not care).
    const QJSValue grid = call(QStringLiteral(R"((function () {
        const out = [];
        for (let x = -50; x <= 850; x += 5)
            for (let y = -50; y <= 650; y += 5)
                out.push(GroupLoop.frame.beaconBytesAt(x, y).join(' '));
        return out.join('|');
    })())"));
    const QStringList actual = grid.toString().split(u'|');
    qsizetype i = 0;
    for (int x = -50; x <= 850; x += 5) {
        for (int y = -50; y <= 650; y += 5, ++i) {
            const auto bytes = RoomModel::beaconBytesAt(QPointF(x, y));
            const QString expected
                = QStringLiteral("%1 %2 %3 %4").arg(bytes[0]).arg(bytes[1]).arg(bytes[2]).arg(bytes[3]);
            if (actual.value(i) != expected)
                QFAIL(qPrintable(
                    QStringLiteral("(%1, %2): js %3, c++ %4").arg(x).arg(y).arg(actual.value(i), expected)));
        }
    }
    QCOMPARE(actual.size(), i);
}

void TestPhoneModel::frameTextMatches()
{
    SensorFrame frame;
    frame.id = 0x0a1b;
    frame.ax = 0x9f;
    frame.ay = 0x40;
    frame.az = 0xbf;
    frame.beacons = RoomModel::beaconBytesAt(QPointF(200, 150));
    frame.tap = SensorFrame::TapByte;
    const QJSValue text = call(QStringLiteral("GroupLoop.frame.frameText('0A1B', 0x9f, 0x40, 0xbf, "
                                              "GroupLoop.frame.beaconBytesAt(200, 150), 0xff)"));
    QCOMPARE(text.toString(), QString::fromLatin1(frame.toHex()));
    QVERIFY(SensorFrame::isFrameText(text.toString()));
    const QJSValue quiet
        = call(QStringLiteral("GroupLoop.frame.frameText('beef', 128, 128, 191, [0, 0, 0, 0], 0)"));
    QCOMPARE(quiet.toString(), u"beef8080bf0000000000"_qs);
}

QTEST_GUILESS_MAIN(TestPhoneModel)
#include "tst_phonemodel.moc"
