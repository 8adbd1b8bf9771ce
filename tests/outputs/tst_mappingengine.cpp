// The mapping engine: ranges, invert, curves, smoothing, deadband, rate limit, tap edges,
// scopes and templates, room-level sources, values a device does not have, invalid mappings.
#include "mappingengine.h"
#include "recordingwriter.h"
#include "roommodel.h"
#include "snapshotbuilder.h"

#include <QTest>

#include <cmath>

using namespace GroupLoop;
using GroupLoop::Test::RecordingWriter;
using GroupLoop::Test::SentValue;

namespace {
DeviceSample device(quint16 id, double ax = 0.0, double ay = 0.0, double az = 1.0, int taps = 0,
                    bool selected = false)
{
    SensorFrame frame;
    frame.id = id;
    frame.ax = SensorFrame::accelToByte(ax);
    frame.ay = SensorFrame::accelToByte(ay);
    frame.az = SensorFrame::accelToByte(az);
    DeviceSample sample;
    sample.id = id;
    sample.frame = frame;
    sample.frames = 1;
    sample.taps = taps;
    sample.selected = selected;
    return sample;
}

OutputSnapshot snapshot(qint64 atMs, std::vector<DeviceSample> devices)
{
    return OutputSnapshot {atMs, std::move(devices)};
}

// `count` devices at rest: a room-level device_count source reads exactly `count`.
OutputSnapshot crowd(qint64 atMs, int count)
{
    std::vector<DeviceSample> devices;
    for (int i = 0; i < count; ++i)
        devices.push_back(device(quint16(0x1000 + i)));
    return snapshot(atMs, std::move(devices));
}

Mapping roomMapping(double inMax, double outMax)
{
    Mapping mapping;
    mapping.source = MappingSource::DeviceCount;
    mapping.inMin = 0.0;
    mapping.inMax = inMax;
    mapping.outMin = 0.0;
    mapping.outMax = outMax;
    mapping.address = QStringLiteral("/room/count");
    return mapping;
}

Mapping deviceMapping(MappingSource source, double inMin, double inMax,
                      const QString &address = QStringLiteral("/m/{id}"))
{
    Mapping mapping;
    mapping.source = source;
    mapping.inMin = inMin;
    mapping.inMax = inMax;
    mapping.outMin = 0.0;
    mapping.outMax = 1.0;
    mapping.address = address;
    return mapping;
}

QList<double> values(const QList<SentValue> &sent)
{
    QList<double> out;
    for (const SentValue &value : sent)
        out.append(value.value);
    return out;
}

// Runs one tick of `count` devices through a single-mapping engine and returns what it sent.
QList<double> countTicks(MappingEngine &engine, const QList<int> &counts, int stepMs = 50)
{
    RecordingWriter writer;
    qint64 at = 1000;
    for (int count : counts) {
        engine.process(crowd(at, count), writer);
        at += stepMs;
    }
    return values(writer.sent);
}
} // namespace

class TestMappingEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void inputRangeIsClampedOntoOutputRange();
    void deviceValuesFollowTheFirmwareScales();
    void invert();
    void exponentialCurve();
    void smoothing();
    void deadband();
    void rateLimit();
    void rateLimitStillSendsTheLastValue();
    void tapFiresOncePerTap();
    void tapToMidiNote();
    void scopeDevice();
    void scopeSelectionFollowsTheSelection();
    void templatesExpandPerDevice();
    void slotsAreStableAndReused();
    void templateOutOfRangeIsAnErrorForThatDevice();
    void roomLevelSources();
    void missingValuesSendNothing();
    void midiControlValuesAreWholeNumbers();
    void oscIntRounds();
    void invalidMappingsDoNotRun_data();
    void invalidMappingsDoNotRun();
    void disabledMappingsDoNotRun();
    void numberTemplates_data();
    void numberTemplates();
    void addressTemplates_data();
    void addressTemplates();
    void snapshotBuilderCountsSinceTheLastTick();
};

void TestMappingEngine::inputRangeIsClampedOntoOutputRange()
{
    MappingEngine engine;
    engine.setMappings({roomMapping(4.0, 100.0)});
    QCOMPARE(countTicks(engine, {0, 1, 2, 4, 8, 3}), (QList<double> {0.0, 25.0, 50.0, 100.0, 75.0}));
    QCOMPARE(engine.stats(0).sent, quint64(5));
    QCOMPARE(engine.stats(0).lastValue, 75.0);
    QCOMPARE(engine.stats(0).lastNormalized, 0.75);
    QVERIFY(engine.stats(0).lastIsRoom);

    // A reversed input range reads downwards.
    Mapping reversed = roomMapping(4.0, 100.0);
    reversed.inMin = 4.0;
    reversed.inMax = 0.0;
    engine.setMappings({reversed});
    QCOMPARE(countTicks(engine, {0, 1}), (QList<double> {100.0, 75.0}));
}

void TestMappingEngine::deviceValuesFollowTheFirmwareScales()
{
    MappingEngine engine;
    engine.setMappings(
        {deviceMapping(MappingSource::Ax, -2.0, 2.0), deviceMapping(MappingSource::Roll, -180.0, 180.0)});
    RecordingWriter writer;
    const DeviceSample sample = device(0x00ab, 1.0, 1.0, 0.0);
    engine.process(snapshot(0, {sample}), writer);
    QCOMPARE(writer.sent.size(), 2);
    const double ax = SensorFrame::byteToAccel(sample.frame.ax);
    QCOMPARE(writer.sent[0].address, QByteArray("/m/00ab"));
    QCOMPARE(writer.sent[0].value, double(float((ax + 2.0) / 4.0)));
    // Standing on its side (ay = +1 g, az = 0 g): rolled about 90 degrees.
    const double roll = writer.sent[1].value * 360.0 - 180.0;
    QVERIFY2(std::abs(roll - 90.0) < 1.0, qPrintable(QString::number(roll)));
}

void TestMappingEngine::invert()
{
    Mapping mapping = roomMapping(4.0, 100.0);
    mapping.invert = true;
    MappingEngine engine;
    engine.setMappings({mapping});
    QCOMPARE(countTicks(engine, {0, 1, 4}), (QList<double> {100.0, 75.0, 0.0}));
}

void TestMappingEngine::exponentialCurve()
{
    Mapping mapping = roomMapping(4.0, 1.0);
    mapping.curve = Mapping::Curve::Exponential;
    mapping.curveAmount = 3.0;
    MappingEngine engine;
    engine.setMappings({mapping});
    const QList<double> sent = countTicks(engine, {0, 2, 4});
    QCOMPARE(sent.size(), 3);
    QCOMPARE(sent[0], 0.0);
    QCOMPARE(sent[1], double(float(std::expm1(1.5) / std::expm1(3.0)))); // about 0.18: slow start
    QCOMPARE(sent[2], 1.0);

    mapping.curveAmount = -3.0; // bends the other way: fast start
    engine.setMappings({mapping});
    const QList<double> other = countTicks(engine, {2});
    QVERIFY(other.value(0) > 0.8);
}

void TestMappingEngine::smoothing()
{
    Mapping mapping = roomMapping(4.0, 1.0);
    mapping.smoothing = 0.5;
    MappingEngine engine;
    engine.setMappings({mapping});
    QCOMPARE(countTicks(engine, {0, 4, 4, 4}), (QList<double> {0.0, 0.5, 0.75, 0.875}));
}

void TestMappingEngine::deadband()
{
    Mapping mapping = roomMapping(100.0, 100.0);
    mapping.deadband = 5.0;
    MappingEngine engine;
    engine.setMappings({mapping});
    // 52 is within 5 of the 50 sent, 56 is not; 53 is within 5 of 56; 50 again is not (6).
    QCOMPARE(countTicks(engine, {50, 52, 56, 53, 50}), (QList<double> {50.0, 56.0, 50.0}));

    // Without a deadband only changes are sent: a steady value goes out once.
    engine.setMappings({roomMapping(100.0, 100.0)});
    QCOMPARE(countTicks(engine, {10, 10, 10, 11, 11}), (QList<double> {10.0, 11.0}));
}

void TestMappingEngine::rateLimit()
{
    Mapping mapping = roomMapping(100.0, 100.0);
    QList<int> counts;
    for (int i = 0; i < 40; ++i)
        counts.append(i % 2 == 0 ? 10 : 20); // a change every tick, 2 s at 20 Hz
    MappingEngine engine;
    engine.setMappings({mapping});
    QCOMPARE(countTicks(engine, counts).size(), 40);

    mapping.maxRateHz = 5.0;
    engine.setMappings({mapping});
    const int limited = int(countTicks(engine, counts).size());
    QVERIFY2(limited >= 10 && limited <= 11, qPrintable(QString::number(limited)));

    // Ticks that jitter around the limit's interval are not held back a whole tick each.
    mapping.maxRateHz = 20.0;
    engine.setMappings({mapping});
    RecordingWriter writer;
    qint64 at = 0;
    for (int i = 0; i < 40; ++i) {
        at += i % 2 == 0 ? 45 : 55;
        engine.process(crowd(at, counts[i]), writer);
    }
    QCOMPARE(writer.sent.size(), 40);
}

void TestMappingEngine::rateLimitStillSendsTheLastValue()
{
    Mapping mapping = roomMapping(100.0, 100.0);
    mapping.maxRateHz = 2.0; // every 500 ms
    MappingEngine engine;
    engine.setMappings({mapping});
    // 10 at 0 ms goes out; 20 and 30 come too soon; with no further change, 30 goes out once due.
    QCOMPARE(countTicks(engine, {10, 20, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30}, 50),
             (QList<double> {10.0, 30.0}));
}

void TestMappingEngine::tapFiresOncePerTap()
{
    Mapping mapping = deviceMapping(MappingSource::Tap, 0.0, 1.0, QStringLiteral("/tap/{id}"));
    mapping.oscType = 'i';
    mapping.outMax = 1.0;
    MappingEngine engine;
    engine.setMappings({mapping});
    RecordingWriter writer;
    for (int taps : {0, 1, 0, 0, 3, 1, 10}) {
        engine.process(snapshot(0, {device(0x0001, 0.0, 0.0, 1.0, taps), device(0x0002)}), writer);
    }
    // 1 + 3 + 1 + at most four a tick; device 0002 never tapped.
    QCOMPARE(writer.sent.size(), 1 + 3 + 1 + Mapping::MaxTapsPerTick);
    for (const SentValue &sent : writer.sent) {
        QCOMPARE(sent.address, QByteArray("/tap/0001"));
        QCOMPARE(sent.value, 1.0);
    }
    QCOMPARE(engine.stats(0).sent, quint64(9));
    QCOMPARE(engine.stats(0).lastDevice, quint16(0x0001));

    // Smoothing, deadband and the rate limit never swallow a tap.
    mapping.smoothing = 0.9;
    mapping.deadband = 10.0;
    mapping.maxRateHz = 1.0;
    engine.setMappings({mapping});
    writer.take();
    for (int i = 0; i < 5; ++i)
        engine.process(snapshot(i * 50, {device(0x0001, 0.0, 0.0, 1.0, 1)}), writer);
    QCOMPARE(writer.sent.size(), 5);
}

void TestMappingEngine::tapToMidiNote()
{
    Mapping mapping = deviceMapping(MappingSource::Tap, 0.0, 1.0);
    mapping.target = Mapping::Target::MidiNote;
    mapping.channel = QStringLiteral("10");
    mapping.number = QStringLiteral("{index}+36");
    mapping.velocity = 90;
    mapping.durationMs = 120;
    MappingEngine engine;
    engine.setMappings({mapping});
    QVERIFY2(engine.stats(0).error.isEmpty(), qPrintable(engine.stats(0).error));
    RecordingWriter writer;
    engine.process(snapshot(0, {device(0x0001), device(0x0002, 0.0, 0.0, 1.0, 1)}), writer);
    QCOMPARE(writer.sent.size(), 1);
    QCOMPARE(writer.sent[0].kind, SentValue::Note);
    QCOMPARE(writer.sent[0].channel, 9); // channel 10 on the wire is 9
    QCOMPARE(writer.sent[0].number, 37); // the second device has {index} 1
    QCOMPARE(writer.sent[0].velocity, 90);
    QCOMPARE(writer.sent[0].durationMs, 120);
}

void TestMappingEngine::scopeDevice()
{
    Mapping mapping = deviceMapping(MappingSource::Ax, -2.0, 2.0);
    mapping.scope = Mapping::Scope::Device;
    mapping.device = 0x0002;
    MappingEngine engine;
    engine.setMappings({mapping});
    RecordingWriter writer;
    engine.process(snapshot(0, {device(0x0001), device(0x0002), device(0x0003)}), writer);
    QCOMPARE(writer.sent.size(), 1);
    QCOMPARE(writer.sent[0].address, QByteArray("/m/0002"));
    QCOMPARE(engine.stats(0).outputs, 1);
}

void TestMappingEngine::scopeSelectionFollowsTheSelection()
{
    Mapping mapping = deviceMapping(MappingSource::Ax, -2.0, 2.0, QStringLiteral("/sel/{index}"));
    mapping.scope = Mapping::Scope::Selection;
    MappingEngine engine;
    engine.setMappings({mapping});
    RecordingWriter writer;
    auto tick = [&](bool one, bool two, bool three, double ax) {
        engine.process(
            snapshot(
                0, {device(1, ax, 0, 1, 0, one), device(2, ax, 0, 1, 0, two), device(3, ax, 0, 1, 0, three)}),
            writer);
        QList<QByteArray> out;
        for (const SentValue &sent : writer.take())
            out.append(sent.address);
        return out;
    };
    QCOMPARE(tick(false, true, true, 0.0), (QList<QByteArray> {"/sel/0", "/sel/1"}));
    QCOMPARE(engine.stats(0).outputs, 2);
    // Device 2 leaves the selection, device 1 joins: it takes the slot 2 left.
    QCOMPARE(tick(true, false, true, 0.5), (QList<QByteArray> {"/sel/0", "/sel/1"}));
    QCOMPARE(engine.slotOf(0, 1), 0);
    QCOMPARE(engine.slotOf(0, 3), 1);
    QCOMPARE(engine.slotOf(0, 2), -1);
    QCOMPARE(tick(false, false, false, 1.0), QList<QByteArray>());
    QCOMPARE(engine.stats(0).outputs, 0);
}

void TestMappingEngine::templatesExpandPerDevice()
{
    Mapping cc = deviceMapping(MappingSource::Ay, -1.0, 1.0);
    cc.target = Mapping::Target::MidiCc;
    cc.channel = QStringLiteral("{index}+1");
    cc.number = QStringLiteral("{index}*2+20");
    cc.outMax = 127.0;
    Mapping osc = deviceMapping(MappingSource::Ay, -1.0, 1.0, QStringLiteral("/tilt/{id}/{index}"));
    MappingEngine engine;
    engine.setMappings({cc, osc});
    RecordingWriter writer;
    engine.process(snapshot(0, {device(0xbeef), device(0x00ab), device(0x0c00)}), writer);
    QCOMPARE(writer.sent.size(), 6);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(writer.sent[i].kind, SentValue::Control);
        QCOMPARE(writer.sent[i].channel, i);
        QCOMPARE(writer.sent[i].number, 20 + 2 * i);
    }
    QCOMPARE(writer.sent[3].address, QByteArray("/tilt/beef/0"));
    QCOMPARE(writer.sent[4].address, QByteArray("/tilt/00ab/1"));
    QCOMPARE(writer.sent[5].address, QByteArray("/tilt/0c00/2"));
    QCOMPARE(engine.lastValue(1, 0x00ab), writer.sent[4].value);
    QVERIFY(!engine.lastValue(1, 0x1234));
}

void TestMappingEngine::slotsAreStableAndReused()
{
    MappingEngine engine;
    engine.setMappings({deviceMapping(MappingSource::Ax, -2.0, 2.0, QStringLiteral("/s/{index}"))});
    RecordingWriter writer;
    engine.process(snapshot(0, {device(1), device(2), device(3)}), writer);
    // Device 1 goes; the others keep their slots even though their position in the list moves.
    engine.process(snapshot(50, {device(2), device(3)}), writer);
    QCOMPARE(engine.slotOf(0, 2), 1);
    QCOMPARE(engine.slotOf(0, 3), 2);
    // Newcomers take the lowest free slot first.
    engine.process(snapshot(100, {device(2), device(3), device(4), device(5)}), writer);
    QCOMPARE(engine.slotOf(0, 4), 0);
    QCOMPARE(engine.slotOf(0, 5), 3);
}

void TestMappingEngine::templateOutOfRangeIsAnErrorForThatDevice()
{
    Mapping cc = deviceMapping(MappingSource::Ax, -2.0, 2.0);
    cc.target = Mapping::Target::MidiCc;
    cc.channel = QStringLiteral("{index}+1");
    cc.number = QStringLiteral("7");
    MappingEngine engine;
    engine.setMappings({cc});
    std::vector<DeviceSample> devices;
    for (int i = 0; i < 17; ++i)
        devices.push_back(device(quint16(0x0100 + i)));
    RecordingWriter writer;
    engine.process(snapshot(0, devices), writer);
    QCOMPARE(writer.sent.size(), 16); // the 17th device would be channel 17
    QCOMPARE(engine.stats(0).error,
             QStringLiteral("channel 17 for device 0110 ({index} 16) is outside 1..16"));
}

void TestMappingEngine::roomLevelSources()
{
    Mapping count = roomMapping(10.0, 10.0);
    count.scope = Mapping::Scope::Selection;
    Mapping motion;
    motion.source = MappingSource::MeanMotion;
    motion.inMin = 0.0;
    motion.inMax = 2.0;
    motion.outMin = 0.0;
    motion.outMax = 2.0;
    motion.address = QStringLiteral("/room/motion");
    MappingEngine engine;
    engine.setMappings({count, motion});
    RecordingWriter writer;
    // Two devices at rest (|a| = 1 g: no motion), one pushed to |a| = 2 g (motion 1 g).
    engine.process(
        snapshot(0, {device(1, 0, 0, 1, 0, true), device(2, 0, 0, 1, 0, true), device(3, 0, 0, 2, 0, false)}),
        writer);
    QCOMPARE(writer.sent.size(), 2);
    QCOMPARE(writer.sent[0].address, QByteArray("/room/count"));
    QCOMPARE(writer.sent[0].value, 2.0);
    QCOMPARE(writer.sent[1].address, QByteArray("/room/motion"));
    QVERIFY2(std::abs(writer.sent[1].value - 1.0 / 3.0) < 0.02,
             qPrintable(QString::number(writer.sent[1].value)));
    QCOMPARE(engine.lastValue(0, 0), 2.0);
    // No devices: the count is 0, the mean motion 0.
    engine.process(snapshot(50, {}), writer);
    QCOMPARE(engine.lastValue(0, 0), 0.0);
    QCOMPARE(engine.lastValue(1, 0), 0.0);
}

void TestMappingEngine::missingValuesSendNothing()
{
    MappingEngine engine;
    engine.setMappings(
        {deviceMapping(MappingSource::RoomX, 0.0, 8.0), deviceMapping(MappingSource::RssiSE, -100.0, -40.0)});
    RecordingWriter writer;
    DeviceSample unplaced = device(1);
    unplaced.frame.beacons = {200, 180, 0, 0}; // two beacons: no position; SE not heard
    engine.process(snapshot(0, {unplaced}), writer);
    QVERIFY(writer.sent.isEmpty());

    SensorFrame placed = device(2).frame;
    placed.beacons = {120, 160, 200, 140};
    engine.process(snapshot(50, {DeviceSample::fromFrame(placed)}), writer);
    QCOMPARE(writer.sent.size(), 2);
    const auto position = DeviceSample::estimatePosition(placed);
    QVERIFY(position);
    QCOMPARE(writer.sent[0].value, double(float(position->x() / 8.0)));
    QCOMPARE(writer.sent[1].value, double(float((SensorFrame::byteToRssi(200) + 100.0) / 60.0)));
}

void TestMappingEngine::midiControlValuesAreWholeNumbers()
{
    Mapping cc = roomMapping(3.0, 127.0);
    cc.target = Mapping::Target::MidiCc;
    cc.number = QStringLiteral("1");
    MappingEngine engine;
    engine.setMappings({cc});
    // 1/3 of 127 is 42.33: 42; 2/3 is 84.67: 85.
    QCOMPARE(countTicks(engine, {1, 2, 3}), (QList<double> {42.0, 85.0, 127.0}));
    // An output range past 0..127 is clamped on the wire.
    cc.outMax = 500.0;
    engine.setMappings({cc});
    QCOMPARE(countTicks(engine, {3}), QList<double> {127.0});
}

void TestMappingEngine::oscIntRounds()
{
    Mapping mapping = roomMapping(3.0, 10.0);
    mapping.oscType = 'i';
    MappingEngine engine;
    engine.setMappings({mapping});
    RecordingWriter writer;
    engine.process(crowd(0, 1), writer);
    QCOMPARE(writer.sent.value(0).type, 'i');
    QCOMPARE(writer.sent.value(0).value, 3.0);
}

void TestMappingEngine::invalidMappingsDoNotRun_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<QString>("error");
    QTest::addRow("empty input range") << 0 << "input: min and max must be different numbers";
    QTest::addRow("address without slash") << 1 << "target.address: an OSC address starts with '/'";
    QTest::addRow("room-level with {id}")
        << 2 << "target.address: device_count is room-level, so {id} and {index} have no device";
    QTest::addRow("note from roll") << 3 << "target: midi-note plays on taps, so the source must be tap";
    QTest::addRow("channel 0") << 4 << "target.channel: 0 is outside 1..16";
    QTest::addRow("CC 128") << 5 << "target.number: 128 is outside 0..127";
    QTest::addRow("smoothing 1") << 6 << "smoothing: must be between 0 and 0.99";
    QTest::addRow("velocity 0") << 7 << "target.velocity: must be 1..127";
    QTest::addRow("bad number template") << 8 << "target.number: expected +, - or * at 7, found '/'";
    QTest::addRow("curve amount 0") << 9 << "curveAmount: must be between -20 and 20 and not 0";
}

void TestMappingEngine::invalidMappingsDoNotRun()
{
    QFETCH(int, which);
    QFETCH(QString, error);
    Mapping mapping = roomMapping(4.0, 1.0);
    switch (which) {
    case 0:
        mapping.inMax = mapping.inMin;
        break;
    case 1:
        mapping.address = QStringLiteral("room");
        break;
    case 2:
        mapping.address = QStringLiteral("/room/{id}");
        break;
    case 3:
        mapping = deviceMapping(MappingSource::Roll, -90, 90);
        mapping.target = Mapping::Target::MidiNote;
        break;
    case 4:
        mapping.target = Mapping::Target::MidiCc;
        mapping.channel = QStringLiteral("0");
        break;
    case 5:
        mapping.target = Mapping::Target::MidiCc;
        mapping.number = QStringLiteral("100+28");
        break;
    case 6:
        mapping.smoothing = 1.0;
        break;
    case 7:
        mapping = deviceMapping(MappingSource::Tap, 0, 1);
        mapping.target = Mapping::Target::MidiNote;
        mapping.velocity = 0;
        break;
    case 8:
        mapping.target = Mapping::Target::MidiCc;
        mapping.number = QStringLiteral("{index}/2");
        break;
    case 9:
        mapping.curve = Mapping::Curve::Exponential;
        mapping.curveAmount = 0.0;
        break;
    }
    QCOMPARE(mapping.validate(), error);
    MappingEngine engine;
    engine.setMappings({mapping});
    QCOMPARE(engine.stats(0).error, error);
    RecordingWriter writer;
    engine.process(crowd(0, 3), writer);
    QVERIFY(writer.sent.isEmpty());
}

void TestMappingEngine::disabledMappingsDoNotRun()
{
    Mapping mapping = roomMapping(4.0, 1.0);
    mapping.enabled = false;
    MappingEngine engine;
    engine.setMappings({mapping, roomMapping(4.0, 2.0)});
    QCOMPARE(countTicks(engine, {2}), QList<double> {1.0}); // only the second one
    QCOMPARE(engine.mappings().value(0).enabled, false);
}

void TestMappingEngine::numberTemplates_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("value"); // -1000: refused
    QTest::addColumn<QString>("error");
    QTest::addRow("constant") << "10" << 5 << 10 << QString();
    QTest::addRow("index") << "{index}" << 5 << 5 << QString();
    QTest::addRow("offset") << "{index}+20" << 3 << 23 << QString();
    QTest::addRow("spaces and precedence") << " 2 * {index} + 36 - 1 " << 4 << 43 << QString();
    QTest::addRow("square") << "{index}*{index}" << 7 << 49 << QString();
    QTest::addRow("empty") << "" << 0 << -1000 << "empty (a number such as 1 or {index}+20)";
    QTest::addRow("unknown placeholder")
        << "{id}+1" << 0 << -1000 << "unknown placeholder at 0 (numbers take {index} only)";
    QTest::addRow("dangling operator") << "{index}+" << 0 << -1000 << "ends with an operator";
    QTest::addRow("leading operator") << "+1" << 0 << -1000 << "expected a number or {index} at 0, found '+'";
    QTest::addRow("huge") << "99999999" << 0 << -1000 << "constant at 0 is larger than 65535";
    QTest::addRow("huge product") << "300*300" << 0 << -1000 << "constant at 4 is larger than 65535";
    QTest::addRow("cube") << "{index}*{index}*{index}" << 0 << -1000
                          << "{index} more than twice in one product";
    QTest::addRow("letters") << "12a" << 0 << -1000 << "expected +, - or * at 2, found 'a'";
    QTest::addRow("arabic digit")
        << QString(QChar(0x0663)) << 0 << -1000
        << QStringLiteral("expected a number or {index} at 0, found '%1'").arg(QChar(0x0663));
}

void TestMappingEngine::numberTemplates()
{
    QFETCH(QString, text);
    QFETCH(int, index);
    QFETCH(int, value);
    QFETCH(QString, error);
    QString why;
    const auto parsed = NumberTemplate::parse(text, &why);
    if (value == -1000) {
        QVERIFY(!parsed);
        QCOMPARE(why, error);
    } else {
        QVERIFY2(parsed, qPrintable(why));
        QCOMPARE(parsed->evaluate(index), qint64(value));
        QCOMPARE(parsed->usesDevice(), text.contains(QStringLiteral("{index}")));
    }
}

void TestMappingEngine::addressTemplates_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("expanded"); // for id 0x0a0b, index 12; empty: refused
    QTest::addColumn<QString>("error");
    QTest::addRow("plain") << "/room/count" << QByteArray("/room/count") << QString();
    QTest::addRow("id") << "/tilt/{id}" << QByteArray("/tilt/0a0b") << QString();
    QTest::addRow("both") << "/d{index}/{id}/x" << QByteArray("/d12/0a0b/x") << QString();
    QTest::addRow("no slash") << "tilt" << QByteArray() << "an OSC address starts with '/'";
    QTest::addRow("space") << "/a b" << QByteArray() << "character ' ' at 2 is not allowed in an OSC address";
    QTest::addRow("pattern character")
        << "/a*" << QByteArray() << "character '*' at 2 is not allowed in an OSC address";
    QTest::addRow("non-ASCII") << "/grün" << QByteArray()
                               << "character 'ü' at 3 is not allowed in an OSC address";
    QTest::addRow("unknown placeholder")
        << "/{name}" << QByteArray() << "unknown placeholder {name} (use {id} or {index})";
    QTest::addRow("unclosed") << "/{id" << QByteArray() << "'{' at 1 is not closed";
    QTest::addRow("stray brace") << "/a}" << QByteArray() << "'}' at 2 without '{'";
    QTest::addRow("too long") << QString(QLatin1Char('/') + QString(200, u'a')) << QByteArray()
                              << "longer than 200 characters";
}

void TestMappingEngine::addressTemplates()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, expanded);
    QFETCH(QString, error);
    QString why;
    const auto parsed = AddressTemplate::parse(text, &why);
    if (expanded.isEmpty()) {
        QVERIFY(!parsed);
        QCOMPARE(why, error);
    } else {
        QVERIFY2(parsed, qPrintable(why));
        QCOMPARE(parsed->expand(0x0a0b, 12), expanded);
    }
}

void TestMappingEngine::snapshotBuilderCountsSinceTheLastTick()
{
    SensorFrame still = device(1).frame;
    SensorFrame tapped = device(2).frame;
    tapped.tap = SensorFrame::TapByte;
    tapped.beacons = RoomModel::beaconBytesAt(QPointF(300.0, 200.0));
    SnapshotBuilder builder;

    builder.begin(1000);
    builder.add(1, still, 5, 0, true, QPointF(1.0, 2.0));
    builder.add(2, tapped, 3, 2, false);
    const OutputSnapshot &first = builder.finish();
    QCOMPARE(first.atMs, 1000);
    QCOMPARE(first.devices.size(), size_t(2));
    // First sight: fresh, and a tap only if the latest frame is one (no replay of old taps).
    QCOMPARE(first.devices[0].frames, 1);
    QCOMPARE(first.devices[0].taps, 0);
    QVERIFY(first.devices[0].selected);
    QCOMPARE(first.devices[0].position, QPointF(1.0, 2.0));
    QCOMPARE(first.devices[1].taps, 1);
    QVERIFY(first.devices[1].hasPosition); // estimated from the beacons
    QVERIFY(std::abs(first.devices[1].position.x() - 3.0) < 0.3);
    QVERIFY(!DeviceSample::fromFrame(still).hasPosition);

    builder.begin(1050);
    builder.add(1, still, 8, 1, false);
    const OutputSnapshot &second = builder.finish();
    QCOMPARE(second.devices.size(), size_t(1));
    QCOMPARE(second.devices[0].frames, 3);
    QCOMPARE(second.devices[0].taps, 1);
    QVERIFY(!second.devices[0].hasPosition);

    builder.begin(1100);
    builder.add(1, still, 8, 1, false); // nothing new
    builder.add(2, device(2).frame, 4, 2, false); // back after being left out: first sight again
    const OutputSnapshot &third = builder.finish();
    QCOMPARE(third.devices[0].frames, 0);
    QCOMPARE(third.devices[0].taps, 0);
    QCOMPARE(third.devices[1].frames, 1);
    QCOMPARE(third.devices[1].taps, 0);
}

QTEST_APPLESS_MAIN(TestMappingEngine)
#include "tst_mappingengine.moc"
