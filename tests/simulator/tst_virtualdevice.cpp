// VirtualDevice: command semantics over time, as PROTOCOL.md says the firmware behaves.
#include "roommodel.h"
#include "virtualdevice.h"

#include <QLineF>
#include <QTest>

using namespace GroupLoop;

namespace {

// "ff0000 ff0000 ..." for the six LEDs, so a failure shows the whole ring.
QString ringText(const LedRing::Colours &colours)
{
    QStringList parts;
    for (const Rgb &c : colours)
        parts << c.toHex();
    return parts.join(QLatin1Char(' '));
}

QString allLeds(const char *hex)
{
    return QStringList(6, QLatin1String(hex)).join(QLatin1Char(' '));
}

QString oneLed(int index, const char *hex)
{
    QStringList parts(6, QStringLiteral("000000"));
    parts[index] = QLatin1String(hex);
    return parts.join(QLatin1Char(' '));
}

VirtualDevice onlineDevice()
{
    VirtualDevice device(0xa1b2, 7);
    device.networkUp();
    return device;
}

} // namespace

class TestVirtualDevice : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bootsRedBreathing();
    void networkUpPicksRandomColour();
    void commands_data();
    void commands();
    void commandResults_data();
    void commandResults();
    void resetRestartsPattern();
    void perPatternColours();
    void vibrate();
    void otaCycle();
    void otaFailureResumes();
    void frameAtRest();
    void frameTilted_data();
    void frameTilted();
    void frameBeaconsFollowPosition();
    void tapInExactlyOneFrame();
};

void TestVirtualDevice::bootsRedBreathing()
{
    VirtualDevice device(0x0102);
    QCOMPARE(device.phase(), VirtualDevice::Phase::Booting);
    QVERIFY(!device.isPublishing());
    QCOMPARE(ringText(device.ledColours()), allLeds("000000")); // breathing starts dark
    device.advance(1000); // half the 2 s period: full brightness
    QCOMPARE(ringText(device.ledColours()), allLeds("ff0000"));
    device.advance(1000);
    QCOMPARE(ringText(device.ledColours()), allLeds("000000"));
}

void TestVirtualDevice::networkUpPicksRandomColour()
{
    QSet<QString> colours;
    for (quint32 seed = 1; seed <= 8; ++seed) {
        VirtualDevice device(0x0102, seed);
        device.advance(300);
        device.networkUp();
        QCOMPARE(device.phase(), VirtualDevice::Phase::Online);
        QVERIFY(device.isPublishing());
        QCOMPARE(device.leds().pattern(), LedPattern::Breathing);
        QCOMPARE(device.leds().patternStartMs(), 300);
        const Rgb c = device.leds().colour();
        QCOMPARE(std::max({c.r, c.g, c.b}), quint8(255)); // vivid, never dark
        colours << c.toHex();
        // Same seed, same colour: runs are reproducible.
        VirtualDevice twin(0x0102, seed);
        twin.networkUp();
        QCOMPARE(twin.leds().colour(), c);
    }
    QVERIFY2(colours.size() >= 6, qPrintable(QStringList(colours.values()).join(u',')));
}

void TestVirtualDevice::commands_data()
{
    QTest::addColumn<QStringList>("commands"); // applied in order at t = 0 after network up
    QTest::addColumn<int>("atMs"); // ring sampled this long after the commands
    QTest::addColumn<QString>("expected");

    auto row = [](const char *name, QStringList commands, int atMs, QString expected) {
        QTest::newRow(name) << commands << atMs << expected;
    };
    row("solid is white", {u"pattern:solid"_qs}, 0, allLeds("ffffff"));
    row("led colours solid", {u"pattern:solid"_qs, u"led:00ff00"_qs}, 777, allLeds("00ff00"));
    row("led upper-case hex", {u"pattern:solid"_qs, u"led:00FF00"_qs}, 0, allLeds("00ff00"));
    row("brightness scales", {u"pattern:solid"_qs, u"led:ff8000"_qs, u"brightness:128"_qs}, 0,
        allLeds("804000"));
    row("brightness 0 is dark", {u"pattern:solid"_qs, u"brightness:0"_qs}, 0, allLeds("000000"));
    row("brightness clamps", {u"pattern:solid"_qs, u"brightness:300"_qs}, 0, allLeds("ffffff"));
    row("brightness junk ignored", {u"pattern:solid"_qs, u"brightness:bright"_qs}, 0, allLeds("ffffff"));
    row("breathing dark at start", {u"pattern:breathing"_qs, u"led:0000ff"_qs}, 0, allLeds("000000"));
    row("breathing 15 % at 250 ms", {u"pattern:breathing"_qs, u"led:0000ff"_qs}, 250, allLeds("000025"));
    row("breathing peak at 1 s", {u"pattern:breathing"_qs, u"led:0000ff"_qs}, 1000, allLeds("0000ff"));
    row("breathing period 2 s", {u"pattern:breathing"_qs, u"led:0000ff"_qs}, 2250, allLeds("000025"));
    row("heartbeat dark at 1 s", {u"pattern:heartbeat"_qs}, 1000, allLeds("000000"));
    row("heartbeat dark at 1.99 s", {u"pattern:heartbeat"_qs}, 1999, allLeds("000000"));
    row("heartbeat rising at 2.03 s", {u"pattern:heartbeat"_qs}, 2030, allLeds("800000"));
    row("heartbeat lit at 2.06 s", {u"pattern:heartbeat"_qs}, 2060, allLeds("ff0000"));
    row("heartbeat fading at 2.135 s", {u"pattern:heartbeat"_qs}, 2135, allLeds("800000"));
    row("heartbeat pause at 2.26 s", {u"pattern:heartbeat"_qs}, 2260, allLeds("000000"));
    row("heartbeat second beat at 2.37 s", {u"pattern:heartbeat"_qs}, 2370, allLeds("ff0000"));
    row("heartbeat long fade at 2.57 s", {u"pattern:heartbeat"_qs}, 2570, allLeds("800000"));
    row("heartbeat repeats after 2.77 s", {u"pattern:heartbeat"_qs}, 2770 + 2060, allLeds("ff0000"));
    row("heartbeat dark again at 3.77 s", {u"pattern:heartbeat"_qs}, 3770, allLeds("000000"));
    row("heartbeat takes led colour", {u"pattern:heartbeat"_qs, u"led:00ff00"_qs}, 2060, allLeds("00ff00"));
    row("cycle starts at LED 0", {u"pattern:cycle"_qs}, 0, oneLed(0, "ffffff"));
    row("cycle after 250 ms", {u"pattern:cycle"_qs}, 250, oneLed(2, "ffffff"));
    row("cycle wraps after 6 steps", {u"pattern:cycle"_qs}, 650, oneLed(0, "ffffff"));
    row("cycle in colour", {u"pattern:cycle"_qs, u"led:ff00ff"_qs}, 320, oneLed(3, "ff00ff"));
    row("spring plucked white", {u"pattern:spring"_qs}, 0, allLeds("ffffff"));
    row("off is dark", {u"pattern:solid"_qs, u"pattern:off"_qs}, 0, allLeds("000000"));
    row("unknown pattern ignored", {u"pattern:solid"_qs, u"pattern:disco"_qs}, 0, allLeds("ffffff"));
    row("led_set enters per-LED mode", {u"pattern:solid"_qs, u"led_set:2:00ff00"_qs}, 0, oneLed(2, "00ff00"));
    row("led_set two LEDs", {u"led_set:0:ff0000"_qs, u"led_set:5:0000ff"_qs}, 0,
        u"ff0000 000000 000000 000000 000000 0000ff"_qs);
    row("led_set with brightness", {u"led_set:1:ffffff"_qs, u"brightness:51"_qs}, 0, oneLed(1, "333333"));
    row("led_off", {u"led_set:3:ffffff"_qs, u"led_set:4:ffffff"_qs, u"led_off:3"_qs}, 0, oneLed(4, "ffffff"));
    row("led_all_off", {u"pattern:solid"_qs, u"led_set:3:ffffff"_qs, u"led_all_off:"_qs}, 0,
        allLeds("000000"));
    row("led_all_off from a pattern", {u"pattern:solid"_qs, u"led_all_off:"_qs}, 0, allLeds("000000"));
    row("led leaves per-LED mode", {u"pattern:solid"_qs, u"led_set:1:0000ff"_qs, u"led:ff0000"_qs}, 0,
        allLeds("ff0000"));
    row("pattern leaves per-LED mode", {u"led_set:1:0000ff"_qs, u"pattern:solid"_qs}, 0, allLeds("ffffff"));
    row("led_set index 6 ignored", {u"pattern:solid"_qs, u"led_set:6:00ff00"_qs}, 0, allLeds("ffffff"));
    row("led_set bad colour ignored", {u"pattern:solid"_qs, u"led_set:1:00ff0"_qs}, 0, allLeds("ffffff"));
    row("led_off bad index ignored", {u"pattern:solid"_qs, u"led_off:x"_qs}, 0, allLeds("ffffff"));
    row("bad led colour ignored", {u"pattern:solid"_qs, u"led:12345g"_qs}, 0, allLeds("ffffff"));
    row("led with # ignored", {u"pattern:solid"_qs, u"led:#00ff00"_qs}, 0, allLeds("ffffff"));
    row("status has no effect", {u"pattern:solid"_qs, u"status:"_qs}, 0, allLeds("ffffff"));
    row("led_get_state has no effect", {u"led_set:1:0000ff"_qs, u"led_get_state:"_qs}, 0,
        oneLed(1, "0000ff"));
    row("unknown command ignored", {u"pattern:solid"_qs, u"dance:now"_qs}, 0, allLeds("ffffff"));
    row("greeting ignored", {u"pattern:solid"_qs, u"Connected to GroupLoop WebSocket server"_qs}, 0,
        allLeds("ffffff"));
    row("empty text ignored", {u"pattern:solid"_qs, QString()}, 0, allLeds("ffffff"));
}

void TestVirtualDevice::commands()
{
    QFETCH(QStringList, commands);
    QFETCH(int, atMs);
    QFETCH(QString, expected);
    VirtualDevice device = onlineDevice();
    device.advance(1234); // commands at an arbitrary moment: patterns restart from it
    for (const QString &command : commands)
        device.applyCommand(command);
    device.advance(atMs);
    QCOMPARE(ringText(device.ledColours()), expected);
}

void TestVirtualDevice::commandResults_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<VirtualDevice::CommandResult>("result");
    using R = VirtualDevice::CommandResult;
    const QList<std::pair<const char *, R>> rows = {
        {"led:00ff00", R::Applied},
        {"pattern:cycle", R::Applied},
        {"brightness:10", R::Applied},
        {"spring_param:c91409", R::Applied},
        {"vibrate:100", R::Applied},
        {"reset:", R::Applied},
        {"status:", R::Applied},
        {"led_set:0:ffffff", R::Applied},
        {"led_off:0", R::Applied},
        {"led_all_off:", R::Applied},
        {"led_get_state:", R::Applied},
        {"ota:http://10.0.0.2:5004/fw.bin", R::OtaStarted},
        {"ota:ftp://h/fw.bin", R::Ignored},
        {"ota:", R::Ignored},
        {"spring_param:c914", R::Ignored},
        {"vibrate:-5", R::Ignored},
        {"led:", R::Ignored},
        {"nonsense", R::Ignored},
        {"cmd:all:led:ff0000", R::Ignored},
    };
    for (const auto &[command, result] : rows)
        QTest::newRow(command) << QString::fromLatin1(command) << result;
}

void TestVirtualDevice::commandResults()
{
    QFETCH(QString, command);
    QFETCH(VirtualDevice::CommandResult, result);
    VirtualDevice device = onlineDevice();
    QCOMPARE(device.applyCommand(command), result);
}

void TestVirtualDevice::resetRestartsPattern()
{
    VirtualDevice device = onlineDevice();
    device.applyCommand(u"pattern:heartbeat");
    device.advance(1500);
    device.applyCommand(u"reset:");
    device.advance(2060 - 1500 + 1500); // 2.06 s after the reset, not after the pattern command
    QCOMPARE(ringText(device.ledColours()), allLeds("ff0000"));
    device.advance(-5000); // time never runs backwards
    QCOMPARE(device.now(), 1500 + 2060);

    // The spring re-plucks on reset.
    device.applyCommand(u"pattern:spring");
    device.advance(4000);
    QVERIFY(device.ledColours()[0].r < 20);
    device.applyCommand(u"reset:");
    QCOMPARE(ringText(device.ledColours()), allLeds("ffffff"));
}

void TestVirtualDevice::perPatternColours()
{
    VirtualDevice device = onlineDevice();
    device.applyCommand(u"pattern:solid");
    device.applyCommand(u"led:00ff00");
    device.applyCommand(u"pattern:heartbeat"); // heartbeat keeps its own red
    device.advance(2060);
    QCOMPARE(ringText(device.ledColours()), allLeds("ff0000"));
    device.applyCommand(u"pattern:solid"); // and solid remembers its green
    QCOMPARE(ringText(device.ledColours()), allLeds("00ff00"));
}

void TestVirtualDevice::vibrate()
{
    VirtualDevice device = onlineDevice();
    QVERIFY(!device.isVibrating());
    device.applyCommand(u"vibrate:500");
    QVERIFY(device.isVibrating());
    device.advance(499);
    QVERIFY(device.isVibrating());
    QCOMPARE(device.vibrationRemainingMs(), 1);
    device.advance(1);
    QVERIFY(!device.isVibrating());
    device.applyCommand(u"vibrate:1000");
    device.advance(100);
    device.applyCommand(u"vibrate:0"); // a new duration replaces the old one
    QVERIFY(!device.isVibrating());
    QCOMPARE(device.applyCommand(u"vibrate:soon"), VirtualDevice::CommandResult::Ignored);
}

void TestVirtualDevice::otaCycle()
{
    VirtualDevice device = onlineDevice();
    device.applyCommand(u"pattern:solid");
    device.applyCommand(u"brightness:10");
    device.advance(100);
    QCOMPARE(device.applyCommand(u"ota:http://hub.local:5004/fw.bin"),
             VirtualDevice::CommandResult::OtaStarted);
    QCOMPARE(device.otaUrl(), QUrl(u"http://hub.local:5004/fw.bin"_qs));
    QCOMPARE(device.phase(), VirtualDevice::Phase::Updating);
    QVERIFY(!device.isPublishing());
    device.advance(1000);
    QCOMPARE(ringText(device.ledColours()), allLeds("00ff00")); // green breathing, full brightness
    QCOMPARE(device.applyCommand(u"pattern:off"), VirtualDevice::CommandResult::Ignored); // busy

    device.finishOta(true); // flashed: reboot to defaults, red breathing, no network yet
    QCOMPARE(device.phase(), VirtualDevice::Phase::Booting);
    QVERIFY(!device.isPublishing());
    QCOMPARE(device.leds().pattern(), LedPattern::Breathing);
    QCOMPARE(device.leds().brightness(), 255);
    device.advance(1000);
    QCOMPARE(ringText(device.ledColours()), allLeds("ff0000"));
    device.networkUp();
    QCOMPARE(device.phase(), VirtualDevice::Phase::Online);
    QVERIFY(device.isPublishing());
}

void TestVirtualDevice::otaFailureResumes()
{
    VirtualDevice device = onlineDevice();
    device.applyCommand(u"pattern:solid");
    device.applyCommand(u"led:123456");
    device.applyCommand(u"ota:https://hub.local/fw.bin");
    QVERIFY(!device.isPublishing());
    device.finishOta(false);
    QCOMPARE(device.phase(), VirtualDevice::Phase::Online);
    QVERIFY(device.isPublishing());
    QCOMPARE(ringText(device.ledColours()), allLeds("123456"));
}

void TestVirtualDevice::frameAtRest()
{
    VirtualDevice device(0xbeef);
    const SensorFrame frame = device.peekFrame();
    QCOMPARE(frame.id, quint16(0xbeef));
    QCOMPARE(frame.ax, quint8(128));
    QCOMPARE(frame.ay, quint8(128));
    QCOMPARE(frame.az, quint8(191)); // +1 g on z, lying flat
    QCOMPARE(frame.tap, quint8(0));
    QCOMPARE(frame.toHex().left(10), QByteArray("beef8080bf"));
}

void TestVirtualDevice::frameTilted_data()
{
    QTest::addColumn<double>("roll");
    QTest::addColumn<double>("pitch");
    QTest::addColumn<double>("yaw");
    QTest::addColumn<int>("ax");
    QTest::addColumn<int>("ay");
    QTest::addColumn<int>("az");
    QTest::newRow("flat") << 0.0 << 0.0 << 0.0 << 128 << 128 << 191;
    QTest::newRow("yaw changes nothing") << 0.0 << 0.0 << 123.0 << 128 << 128 << 191;
    QTest::newRow("roll 90") << 90.0 << 0.0 << 0.0 << 128 << 191 << 128;
    QTest::newRow("roll -90") << -90.0 << 0.0 << 0.0 << 128 << 64 << 128;
    QTest::newRow("pitch 90") << 0.0 << 90.0 << 0.0 << 64 << 128 << 128;
    QTest::newRow("upside down") << 180.0 << 0.0 << 0.0 << 128 << 128 << 64;
    QTest::newRow("roll 30") << 30.0 << 0.0 << 0.0 << 128 << 159 << 183; // 0.5 g, 0.866 g
}

void TestVirtualDevice::frameTilted()
{
    QFETCH(double, roll);
    QFETCH(double, pitch);
    QFETCH(double, yaw);
    VirtualDevice device(1);
    device.setOrientation({roll, pitch, yaw});
    const SensorFrame frame = device.peekFrame();
    QFETCH(int, ax);
    QFETCH(int, ay);
    QFETCH(int, az);
    QCOMPARE(int(frame.ax), ax);
    QCOMPARE(int(frame.ay), ay);
    QCOMPARE(int(frame.az), az);
}

void TestVirtualDevice::frameBeaconsFollowPosition()
{
    VirtualDevice device(1);
    for (const QPointF &p : {QPointF(400, 300), QPointF(50, 60), QPointF(790, 590), QPointF(200, 500)}) {
        device.setPosition(p);
        const SensorFrame frame = device.peekFrame();
        QCOMPARE(frame.beacons, RoomModel::beaconBytesAt(p)); // the model the console inverts
        const auto estimate = RoomModel::estimatePosition(frame.beacons);
        QVERIFY(estimate);
        QVERIFY2(QLineF(*estimate, p).length() < 40.0,
                 qPrintable(QString::number(QLineF(*estimate, p).length())));
    }
    device.setPosition({20, 20}); // next to the north-west beacon: strongest there
    const SensorFrame frame = device.peekFrame();
    QVERIFY(frame.beacons[SensorFrame::NorthWest] > frame.beacons[SensorFrame::NorthEast]);
    QVERIFY(frame.beacons[SensorFrame::NorthWest] > frame.beacons[SensorFrame::SouthEast]);
}

void TestVirtualDevice::tapInExactlyOneFrame()
{
    VirtualDevice device = onlineDevice();
    QCOMPARE(device.takeFrame().tap, quint8(0));
    device.tap();
    QVERIFY(device.isTapPending());
    QCOMPARE(device.peekFrame().tap, quint8(0xff)); // peeking does not consume it
    const SensorFrame tapped = device.takeFrame();
    QCOMPARE(tapped.tap, quint8(0xff));
    QVERIFY(tapped.isTap());
    QVERIFY(tapped.toHex().endsWith("ff"));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(device.takeFrame().tap, quint8(0));
    device.tap();
    device.tap(); // two taps between frames still mark one frame
    QCOMPARE(device.takeFrame().tap, quint8(0xff));
    QCOMPARE(device.takeFrame().tap, quint8(0));
}

QTEST_APPLESS_MAIN(TestVirtualDevice)
#include "tst_virtualdevice.moc"
