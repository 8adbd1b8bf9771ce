// OutputsEngine over real UDP on loopback: the default scheme as documented, mapped values,
// bundles under the datagram limit, plain messages, several destinations with their own flags,
// destination status (resolving, sending, error), and the engine's stats.
#include "outputsengine.h"
#include "roommodel.h"
#include "udplistener.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace GroupLoop;
using GroupLoop::Test::UdpListener;

namespace {
DeviceSample device(quint16 id, double ax, double ay, double az, int taps = 0)
{
    SensorFrame frame;
    frame.id = id;
    frame.ax = SensorFrame::accelToByte(ax);
    frame.ay = SensorFrame::accelToByte(ay);
    frame.az = SensorFrame::accelToByte(az);
    frame.beacons = RoomModel::beaconBytesAt(QPointF(200.0 + id % 400, 300.0));
    DeviceSample sample = DeviceSample::fromFrame(frame);
    sample.taps = taps;
    return sample;
}

OutputSnapshot crowd(int count, qint64 atMs = 0)
{
    OutputSnapshot snapshot {atMs, {}};
    for (int i = 0; i < count; ++i)
        snapshot.devices.push_back(device(quint16(i + 1), 0.25, -0.5, 1.0));
    return snapshot;
}

OscDestination destination(quint16 port, bool defaultScheme = true, bool mappings = true, bool bundles = true)
{
    OscDestination out;
    out.host = QStringLiteral("127.0.0.1");
    out.port = port;
    out.defaultScheme = defaultScheme;
    out.mappings = mappings;
    out.bundles = bundles;
    return out;
}

float argumentFloat(const Osc::Message &message, int index)
{
    return float(message.arguments.value(index).toReal());
}
} // namespace

class TestOutputsEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultSchemeOverUdp();
    void onlyFreshDevicesAreSent();
    void fiveHundredDevicesFitTheDatagramLimit();
    void plainMessagesWithoutBundles();
    void destinationsGetWhatTheyAskFor();
    void mappedValuesOverUdp();
    void hostNamesResolve();
    void unresolvableHostIsAnErrorStatus();
    void configRoundTripsThroughTheEngine();
    void statsComeAboutOnceASecond();
};

void TestOutputsEngine::defaultSchemeOverUdp()
{
    UdpListener listener;
    OutputsEngine engine;
    engine.setDestinations({destination(listener.port())});
    QCOMPARE(engine.osc().destination(0).status, OscSender::Status::Sending);
    QCOMPARE(engine.osc().destination(0).statusText,
             QStringLiteral("sending to 127.0.0.1:%1").arg(listener.port()));

    const DeviceSample a = device(0x00ab, 0.5, -1.0, 1.0, 1);
    DeviceSample b = device(0xbeef, 0.0, 0.0, 1.0);
    b.frame.beacons = {0, 0, 255, 0}; // one beacon: no position; the others read the floor
    b.hasPosition = false;
    engine.process(OutputSnapshot {0, {a, b}});
    QTRY_COMPARE_WITH_TIMEOUT(listener.withAddress("/grouploop/devices").size(), 1, 10000);
    QVERIFY(listener.errors.isEmpty());
    QCOMPARE(listener.packets.value(0).isBundle, true);
    QVERIFY(listener.packets.value(0).time.isImmediate());

    QCOMPARE(listener.withAddress("/grouploop/devices")[0].arguments,
             QList<Osc::Argument> {Osc::Argument::int32(2)});
    const auto accel = listener.withAddress("/grouploop/00ab/accel");
    QCOMPARE(accel.size(), 1);
    QCOMPARE(accel[0].typeTags(), QByteArray(",fff"));
    QCOMPARE(argumentFloat(accel[0], 0), float(a.frame.axG()));
    QCOMPARE(argumentFloat(accel[0], 1), float(a.frame.ayG()));
    QCOMPARE(argumentFloat(accel[0], 2), float(a.frame.azG()));
    const auto position = listener.withAddress("/grouploop/00ab/position");
    QCOMPARE(position.size(), 1);
    QCOMPARE(position[0].typeTags(), QByteArray(",ff"));
    QCOMPARE(argumentFloat(position[0], 0), float(a.position.x()));
    QVERIFY(std::abs(argumentFloat(position[0], 0) - (200.0f + 0xab) / 100.0f) < 0.3f); // metres
    const auto beacons = listener.withAddress("/grouploop/00ab/beacons");
    QCOMPARE(beacons.size(), 1);
    QCOMPARE(beacons[0].typeTags(), QByteArray(",ffff"));
    for (int i = 0; i < 4; ++i)
        QCOMPARE(argumentFloat(beacons[0], i), float(a.frame.beaconDbm(i)));
    QCOMPARE(listener.withAddress("/grouploop/00ab/tap").size(), 1);
    QCOMPARE(listener.withAddress("/grouploop/00ab/tap")[0].arguments,
             QList<Osc::Argument> {Osc::Argument::int32(1)});

    QCOMPARE(listener.withAddress("/grouploop/beef/accel").size(), 1);
    QVERIFY(listener.withAddress("/grouploop/beef/position").isEmpty());
    QVERIFY(listener.withAddress("/grouploop/beef/tap").isEmpty());
    const auto beefBeacons = listener.withAddress("/grouploop/beef/beacons");
    QCOMPARE(argumentFloat(beefBeacons.value(0), 0), -100.0f);
    QCOMPARE(argumentFloat(beefBeacons.value(0), 2), -40.0f);
    QCOMPARE(listener.messages.size(), 1 + 4 + 2);
    QCOMPARE(engine.stats().oscMessages, quint64(7));
    QCOMPARE(engine.stats().ticks, quint64(1));
}

void TestOutputsEngine::onlyFreshDevicesAreSent()
{
    UdpListener listener;
    OutputsEngine engine;
    engine.setDestinations({destination(listener.port())});
    OutputSnapshot snapshot = crowd(3);
    snapshot.devices[1].frames = 0; // nothing new from 0002 this tick
    engine.process(snapshot);
    QTRY_COMPARE_WITH_TIMEOUT(listener.withAddress("/grouploop/devices").size(), 1, 10000);
    QCOMPARE(listener.withAddress("/grouploop/devices")[0].arguments.value(0).toInteger(),
             3); // still counted
    QCOMPARE(listener.withAddress("/grouploop/0001/accel").size(), 1);
    QVERIFY(listener.withAddress("/grouploop/0002/accel").isEmpty());
    QCOMPARE(listener.withAddress("/grouploop/0003/accel").size(), 1);
}

void TestOutputsEngine::fiveHundredDevicesFitTheDatagramLimit()
{
    UdpListener listener;
    listener.socket().setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4 * 1024 * 1024);
    OutputsEngine engine;
    engine.setDestinations({destination(listener.port())});
    engine.process(crowd(500));
    const int expected = 1 + 500 * 3;
    QTRY_COMPARE_WITH_TIMEOUT(listener.messages.size(), expected, 20000);
    QVERIFY(listener.errors.isEmpty());
    for (const QByteArray &datagram : listener.datagrams)
        QVERIFY2(datagram.size() <= Osc::DatagramPacker::DefaultMaxBytes,
                 qPrintable(QString::number(datagram.size())));
    QCOMPARE(qsizetype(engine.stats().oscDatagrams), listener.datagrams.size());
    QCOMPARE(listener.withAddress("/grouploop/01f4/accel").size(), 1);

    engine.setMaxDatagramBytes(8000);
    listener.clear();
    engine.process(crowd(500));
    QTRY_COMPARE_WITH_TIMEOUT(listener.messages.size(), expected, 20000);
    for (const QByteArray &datagram : listener.datagrams)
        QVERIFY(datagram.size() <= 8000);
    QVERIFY(listener.datagrams.size() < 20);
}

void TestOutputsEngine::plainMessagesWithoutBundles()
{
    UdpListener listener;
    OutputsEngine engine;
    engine.setDestinations({destination(listener.port(), true, true, false)});
    engine.process(crowd(2));
    QTRY_COMPARE_WITH_TIMEOUT(listener.messages.size(), 1 + 2 * 3, 10000);
    QCOMPARE(listener.datagrams.size(), listener.messages.size());
    for (const Osc::Packet &packet : listener.packets)
        QVERIFY(!packet.isBundle);
}

void TestOutputsEngine::destinationsGetWhatTheyAskFor()
{
    Mapping roll;
    roll.address = QStringLiteral("/roll/{id}");
    UdpListener everything;
    UdpListener schemeOnly;
    UdpListener mappedOnly;
    UdpListener plainMapped;
    OutputsEngine engine;
    engine.setMappings({roll});
    engine.setDestinations({destination(everything.port()), destination(schemeOnly.port(), true, false),
                            destination(mappedOnly.port(), false, true),
                            destination(plainMapped.port(), false, true, false)});
    engine.process(crowd(2));
    QTRY_COMPARE_WITH_TIMEOUT(everything.messages.size(), 1 + 2 * 3 + 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(schemeOnly.messages.size(), 1 + 2 * 3, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(mappedOnly.messages.size(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(plainMapped.messages.size(), 2, 10000);
    QCOMPARE(plainMapped.datagrams.size(), 2);
    QCOMPARE(mappedOnly.datagrams.size(), 1);
    QCOMPARE(mappedOnly.messages[0].address, QByteArray("/roll/0001"));
    QVERIFY(schemeOnly.withAddress("/roll/0001").isEmpty());
    QCOMPARE(engine.stats().oscMessages, quint64(1 + 2 * 3 + 2)); // counted once, not per destination
    QCOMPARE(engine.stats().oscDatagrams, quint64(1 + 1 + 1 + 2 + 1)); // scheme and mapped travel apart
    QCOMPARE(engine.osc().destination(3).datagrams, quint64(2));
}

void TestOutputsEngine::mappedValuesOverUdp()
{
    Mapping count;
    count.source = MappingSource::DeviceCount;
    count.inMin = 0.0;
    count.inMax = 10.0;
    count.outMax = 100.0;
    count.oscType = 'i';
    count.address = QStringLiteral("/room/count");
    Mapping pitch;
    pitch.source = MappingSource::Pitch;
    pitch.inMin = -90.0;
    pitch.inMax = 90.0;
    pitch.address = QStringLiteral("/pitch/{index}");
    UdpListener listener;
    OutputsEngine engine;
    engine.setMappings({count, pitch});
    engine.setDestinations({destination(listener.port(), false, true)});
    engine.process(crowd(3));
    QTRY_COMPARE_WITH_TIMEOUT(listener.messages.size(), 4, 10000);
    QCOMPARE(listener.messages[0].address, QByteArray("/room/count"));
    QCOMPARE(listener.messages[0].arguments, QList<Osc::Argument> {Osc::Argument::int32(30)});
    QCOMPARE(listener.messages[1].address, QByteArray("/pitch/0"));
    QCOMPARE(listener.messages[3].address, QByteArray("/pitch/2"));
    QCOMPARE(listener.messages[1].typeTags(), QByteArray(",f"));
    QCOMPARE(double(argumentFloat(listener.messages[1], 0)), *engine.mappings().lastValue(1, 0x0001));
    QCOMPARE(engine.mappings().stats(0).lastValue, 30.0);
    QCOMPARE(engine.mappings().stats(1).outputs, 3);
}

void TestOutputsEngine::hostNamesResolve()
{
    UdpListener listener;
    OutputsEngine engine;
    QSignalSpy status(&engine, &OutputsEngine::statusChanged);
    OscDestination named = destination(listener.port());
    named.host = QStringLiteral("localhost");
    engine.setDestinations({named});
    QTRY_COMPARE_WITH_TIMEOUT(engine.osc().destination(0).status, OscSender::Status::Sending, 20000);
    QVERIFY2(engine.osc().destination(0).statusText.startsWith(
                 QStringLiteral("sending to localhost:%1 (").arg(listener.port())),
             qPrintable(engine.osc().destination(0).statusText));
    QVERIFY(status.size() >= 1);
    if (engine.osc().destination(0).address.protocol() != QAbstractSocket::IPv4Protocol)
        QSKIP("localhost resolves to IPv6 only here; the listener is on 127.0.0.1");
    engine.process(crowd(1));
    QTRY_COMPARE_WITH_TIMEOUT(listener.messages.size(), 4, 10000);
}

void TestOutputsEngine::unresolvableHostIsAnErrorStatus()
{
    OutputsEngine engine;
    QSignalSpy problems(&engine, &OutputsEngine::problem);
    OscDestination nowhere = destination(9000);
    nowhere.host = QStringLiteral("no-such-host.invalid");
    engine.setDestinations({nowhere});
    QCOMPARE(engine.osc().destination(0).status, OscSender::Status::Resolving);
    QCOMPARE(engine.osc().destination(0).statusText, QStringLiteral("resolving no-such-host.invalid"));
    engine.process(crowd(3)); // nothing to send it to: fine
    QTRY_COMPARE_WITH_TIMEOUT(engine.osc().destination(0).status, OscSender::Status::Error, 30000);
    const QString text = engine.osc().destination(0).statusText;
    QVERIFY2(text.startsWith(QStringLiteral("error: cannot resolve no-such-host.invalid: ")),
             qPrintable(text));
    QVERIFY2(text.endsWith(QStringLiteral("(retrying every 5 s)")), qPrintable(text));
    QVERIFY(!problems.isEmpty());
    QVERIFY(problems.last().value(0).toString().startsWith(
        QStringLiteral("OSC no-such-host.invalid:9000: error: cannot resolve")));
    engine.process(crowd(3));
    QCOMPARE(engine.stats().oscDatagrams, quint64(0));
}

void TestOutputsEngine::configRoundTripsThroughTheEngine()
{
    OutputsConfig config;
    config.destinations = {destination(9), destination(10, false, true, false)};
    config.maxDatagramBytes = 900;
    Mapping mapping;
    mapping.name = QStringLiteral("m");
    config.mappings = {mapping};
    OutputsEngine engine;
    engine.setConfig(config);
    QVERIFY(engine.config() == config);
    // Keeping a destination keeps its counters; a changed flag is taken.
    config.destinations[0].bundles = false;
    engine.setConfig(config);
    QCOMPARE(engine.osc().destination(0).config.bundles, false);
}

void TestOutputsEngine::statsComeAboutOnceASecond()
{
    UdpListener listener;
    OutputsEngine engine;
    engine.setDestinations({destination(listener.port())});
    QSignalSpy stats(&engine, &OutputsEngine::statsChanged);
    QElapsedTimer clock;
    clock.start();
    int ticks = 0;
    while (stats.isEmpty() && clock.elapsed() < 30000) {
        engine.process(crowd(10));
        ++ticks;
        QTest::qWait(50);
    }
    QCOMPARE(stats.size(), 1);
    QVERIFY(ticks > 1); // not after the first tick: over a whole second
    QVERIFY(engine.stats().oscMessagesPerSecond > 0.0);
    QVERIFY(engine.stats().oscDatagramsPerSecond > 0.0);
    QVERIFY(engine.stats().maxTickNs > 0);
    QCOMPARE(engine.stats().ticks, quint64(ticks));
    QCOMPARE(engine.stats().oscMessages, quint64(ticks * (1 + 10 * 3)));
}

QTEST_GUILESS_MAIN(TestOutputsEngine)
#include "tst_outputsengine.moc"
