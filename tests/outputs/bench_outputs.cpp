// Benchmark (label bench): the outputs engine at 500 devices with the default OSC scheme and
// four mappings (three per-device OSC, one per-device MIDI CC to a fake port), sending to
// loopback UDP destinations that are bound but never read (the kernel drops what overflows, as
// a busy receiver would). Prints CPU and wall time per tick (median, p99, max), messages and
// datagrams per tick, and how many ticks took longer than the tick interval (a value late by
// more than a tick). Environment: GROUPLOOP_BENCH_DEVICES (500), GROUPLOOP_BENCH_TICKS (400),
// GROUPLOOP_BENCH_DESTINATIONS (1), GROUPLOOP_BENCH_TICK_HZ (20, the console's refresh rate);
// GROUPLOOP_BENCH_ENFORCE=1 fails the run when a tick took longer than the interval, which a
// shared, busy machine can cause without the engine being at fault (compare CPU with wall).
// Run: ctest --test-dir build -R bench_outputs --output-on-failure
#include "fakemidisink.h"
#include "outputsengine.h"
#include "roommodel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QUdpSocket>

#if defined(GROUPLOOP_BENCH_LIBLO)
#include <lo/lo.h>
#endif

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <random>

using namespace GroupLoop;

namespace {
int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value > 0 ? value : fallback;
}

qint64 threadCpuNs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

// Devices at 50 Hz move between ticks: each tick sees 2 or 3 fresh frames per device, moving
// acceleration, positions walking around the room, a tap now and then.
OutputSnapshot makeTick(int devices, int tick, int tickHz, std::mt19937 &random)
{
    OutputSnapshot snapshot;
    snapshot.atMs = qint64(tick) * 1000 / tickHz;
    snapshot.devices.reserve(size_t(devices));
    const double t = double(snapshot.atMs) / 1000.0;
    std::uniform_int_distribution<int> tapDice(0, 199);
    for (int i = 0; i < devices; ++i) {
        SensorFrame frame;
        frame.id = quint16(0x1000 + i);
        frame.ax = SensorFrame::accelToByte(0.6 * std::sin(t * 2.1 + i));
        frame.ay = SensorFrame::accelToByte(0.6 * std::cos(t * 1.7 + i * 0.3));
        frame.az = SensorFrame::accelToByte(0.9 + 0.2 * std::sin(t * 3.3 + i * 0.7));
        const QPointF where(400.0 + 300.0 * std::sin(t * 0.2 + i),
                            300.0 + 200.0 * std::cos(t * 0.15 + i * 1.3));
        frame.beacons = RoomModel::beaconBytesAt(where);
        DeviceSample sample;
        sample.id = frame.id;
        sample.frame = frame;
        sample.frames = 50 / tickHz + (tick % 2);
        sample.taps = tapDice(random) == 0 ? 1 : 0;
        sample.hasPosition = true;
        sample.position = where / 100.0;
        sample.selected = i % 5 == 0;
        snapshot.devices.push_back(std::move(sample));
    }
    return snapshot;
}

QList<Mapping> fourMappings()
{
    Mapping roll;
    roll.name = QStringLiteral("roll");
    roll.source = MappingSource::Roll;
    roll.inMin = -90.0;
    roll.inMax = 90.0;
    roll.address = QStringLiteral("/tilt/{id}");
    Mapping energy;
    energy.name = QStringLiteral("energy");
    energy.source = MappingSource::Magnitude;
    energy.inMin = 0.0;
    energy.inMax = 2.0;
    energy.curve = Mapping::Curve::Exponential;
    energy.smoothing = 0.5;
    energy.address = QStringLiteral("/energy/{index}");
    Mapping x;
    x.name = QStringLiteral("x");
    x.source = MappingSource::RoomX;
    x.inMin = 0.0;
    x.inMax = 8.0;
    x.deadband = 0.01;
    x.address = QStringLiteral("/room/{id}/x");
    Mapping cc;
    cc.name = QStringLiteral("pitch cc");
    cc.source = MappingSource::Pitch;
    cc.inMin = -90.0;
    cc.inMax = 90.0;
    cc.outMax = 127.0;
    cc.target = Mapping::Target::MidiCc;
    cc.channel = QStringLiteral("1");
    cc.number = QStringLiteral("{index}");
    cc.scope = Mapping::Scope::Selection; // 100 of the 500: CC numbers 0..99
    return {roll, energy, x, cc};
}

struct Figures
{
    double median;
    double p99;
    double max;
};

Figures figures(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const auto at
        = [&](double q) { return values[size_t(std::min<double>(values.size() - 1, q * values.size()))]; };
    return {at(0.5), at(0.99), values.back()};
}

// Encoding alone, the default scheme of one tick, ours against liblo's (docs/outputs.md, "Why
// our own OSC codec"): liblo builds a message object per message and a bundle of them, then
// serialises; ours writes into the datagram as it goes. Median microseconds per tick.
void compareEncoders(const std::vector<OutputSnapshot> &snapshots)
{
    std::vector<double> ours;
    DefaultScheme scheme;
    int messages = 0;
    for (const OutputSnapshot &snapshot : snapshots) {
        const qint64 start = threadCpuNs();
        Osc::DatagramPacker packer(Osc::DatagramPacker::MaxMaxBytes);
        messages = scheme.write(snapshot, packer);
        const std::vector<QByteArray> datagrams = packer.take();
        ours.push_back(double(threadCpuNs() - start) / 1000.0);
    }
    std::printf("  encoding the default scheme alone (%d messages): ours median %.0f us", messages,
                figures(ours).median);
#if defined(GROUPLOOP_BENCH_LIBLO)
    // The addresses are made once, as DefaultScheme caches them too.
    std::vector<std::array<QByteArray, 3>> addresses;
    for (const DeviceSample &device : snapshots.front().devices) {
        const QByteArray prefix = "/grouploop/" + SensorFrame::idToText(device.id).toLatin1();
        addresses.push_back({prefix + "/accel", prefix + "/position", prefix + "/beacons"});
    }
    std::vector<double> liblo;
    for (const OutputSnapshot &snapshot : snapshots) {
        const qint64 start = threadCpuNs();
        lo_bundle bundle = lo_bundle_new(LO_TT_IMMEDIATE);
        lo_message count = lo_message_new();
        lo_message_add_int32(count, int(snapshot.devices.size()));
        lo_bundle_add_message(bundle, "/grouploop/devices", count);
        for (size_t i = 0; i < snapshot.devices.size(); ++i) {
            const DeviceSample &device = snapshot.devices[i];
            lo_message accel = lo_message_new();
            lo_message_add_float(accel, float(device.frame.axG()));
            lo_message_add_float(accel, float(device.frame.ayG()));
            lo_message_add_float(accel, float(device.frame.azG()));
            lo_bundle_add_message(bundle, addresses[i][0].constData(), accel);
            lo_message position = lo_message_new();
            lo_message_add_float(position, float(device.position.x()));
            lo_message_add_float(position, float(device.position.y()));
            lo_bundle_add_message(bundle, addresses[i][1].constData(), position);
            lo_message beacons = lo_message_new();
            for (int beacon = 0; beacon < 4; ++beacon)
                lo_message_add_float(beacons, float(device.frame.beaconDbm(beacon)));
            lo_bundle_add_message(bundle, addresses[i][2].constData(), beacons);
        }
        size_t size = 0;
        void *data = lo_bundle_serialise(bundle, nullptr, &size);
        std::free(data);
        lo_bundle_free_recursive(bundle);
        liblo.push_back(double(threadCpuNs() - start) / 1000.0);
    }
    std::printf(", liblo 0.31 median %.0f us (one bundle, not split into datagrams)", figures(liblo).median);
#endif
    std::printf("\n");
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int devices = envInt("GROUPLOOP_BENCH_DEVICES", 500);
    const int ticks = envInt("GROUPLOOP_BENCH_TICKS", 400);
    const int destinations = envInt("GROUPLOOP_BENCH_DESTINATIONS", 1);
    const int tickHz = envInt("GROUPLOOP_BENCH_TICK_HZ", 20);

    std::vector<std::unique_ptr<QUdpSocket>> sinks;
    QList<OscDestination> targets;
    for (int i = 0; i < destinations; ++i) {
        auto socket = std::make_unique<QUdpSocket>();
        if (!socket->bind(QHostAddress::LocalHost, 0)) {
            std::fprintf(stderr, "bench_outputs: cannot bind a loopback UDP socket\n");
            return 1;
        }
        OscDestination destination;
        destination.host = QStringLiteral("127.0.0.1");
        destination.port = socket->localPort();
        targets.append(destination);
        sinks.push_back(std::move(socket));
    }

    auto midi = std::make_shared<Test::MidiLog>();
    OutputsEngine engine;
    engine.setDestinations(targets);
    engine.setMappings(fourMappings());
    for (int i = 0; i < engine.mappings().count(); ++i) {
        if (!engine.mappings().stats(i).error.isEmpty()) {
            std::fprintf(stderr, "bench_outputs: mapping %d: %s\n", i,
                         qPrintable(engine.mappings().stats(i).error));
            return 1;
        }
    }
    engine.setMidiSink(std::make_unique<Test::FakeMidiSink>(midi));

    std::mt19937 random(42);
    std::vector<OutputSnapshot> snapshots;
    snapshots.reserve(size_t(ticks));
    for (int tick = 0; tick < ticks; ++tick)
        snapshots.push_back(makeTick(devices, tick, tickHz, random));

    std::vector<double> cpuUs;
    std::vector<double> wallUs;
    const double intervalUs = 1e6 / tickHz;
    int late = 0;
    quint64 bytesBefore = 0;
    const quint64 messagesBefore = engine.stats().oscMessages;
    const quint64 datagramsBefore = engine.stats().oscDatagrams;
    for (int i = 0; i < destinations; ++i)
        bytesBefore += engine.osc().destination(i).bytes;
    const qint64 startCpu = threadCpuNs();
    QElapsedTimer total;
    total.start();
    for (const OutputSnapshot &snapshot : snapshots) {
        const qint64 cpu0 = threadCpuNs();
        QElapsedTimer wall;
        wall.start();
        engine.process(snapshot);
        const double wallTook = double(wall.nsecsElapsed()) / 1000.0;
        cpuUs.push_back(double(threadCpuNs() - cpu0) / 1000.0);
        wallUs.push_back(wallTook);
        if (wallTook > intervalUs)
            ++late;
        QCoreApplication::processEvents(); // note-off timers, as the console's loop would
        // The receivers drop what they cannot hold; empty them so each tick meets the same kernel.
        for (const auto &socket : sinks) {
            while (socket->hasPendingDatagrams())
                socket->readDatagram(nullptr, 0);
        }
    }
    const double totalCpuS = double(threadCpuNs() - startCpu) / 1e9;
    quint64 bytes = 0;
    quint64 dropped = 0;
    for (int i = 0; i < destinations; ++i) {
        bytes += engine.osc().destination(i).bytes;
        dropped += engine.osc().destination(i).dropped;
    }
    const Figures cpu = figures(cpuUs);
    const Figures wall = figures(wallUs);
    const double messagesPerTick = double(engine.stats().oscMessages - messagesBefore) / ticks;
    const double datagramsPerTick
        = double(engine.stats().oscDatagrams - datagramsBefore) / ticks / destinations;
    std::printf(
        "bench_outputs: %d devices, default scheme + %d mappings, %d destination(s), %d ticks at %d Hz\n",
        devices, engine.mappings().count(), destinations, ticks, tickHz);
    std::printf("  per tick: %.0f OSC messages, %.1f datagrams per destination, %.1f KiB per destination, "
                "%.1f MIDI messages\n",
                messagesPerTick, datagramsPerTick,
                double(bytes - bytesBefore) / 1024.0 / ticks / destinations,
                double(engine.stats().midiMessages) / ticks);
    std::printf("  CPU per tick (thread):  median %.0f us, p99 %.0f us, max %.0f us\n", cpu.median, cpu.p99,
                cpu.max);
    std::printf(
        "  wall per tick:          median %.0f us, p99 %.0f us, max %.0f us (tick interval %.0f us)\n",
        wall.median, wall.p99, wall.max, intervalUs);
    std::printf(
        "  one core at %d Hz: %.1f %% (the engine and the ticks' event processing, %.2f s CPU in %.2f s)\n",
        tickHz, 100.0 * totalCpuS / (double(ticks) / tickHz), totalCpuS, double(total.elapsed()) / 1000.0);
    std::printf("  ticks longer than the interval (a value late by more than a tick): %d; datagrams dropped "
                "by the kernel: %llu\n",
                late, static_cast<unsigned long long>(dropped));
    compareEncoders(snapshots);
    return late > 0 && qEnvironmentVariableIntValue("GROUPLOOP_BENCH_ENFORCE") == 1 ? 1 : 0;
}
