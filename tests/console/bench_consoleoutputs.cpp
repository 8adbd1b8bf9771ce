// Outputs benchmark (issue 16, docs/performance.md): N devices at H Hz (default 500 at 50 Hz)
// through a relay into the console's full window with the outputs on: the default OSC scheme
// and four mappings (tilt to OSC per device, taps to MIDI notes, the room's motion to a MIDI CC, the
// crowd size to OSC)
// to a UDP receiver on its own thread, MIDI to a counting sink. Relay and devices run in a
// child process (console-feeder --host-relay) so the figures are the console's own.
// Reports the GUI-thread tick (store, views and outputs, which run inside it), the outputs'
// share, frame intervals, and at the receiver the gaps between ticks (more than two intervals:
// a value came later than a tick, counted). Fails if the p99 tick takes 16 ms or more of
// GUI-thread CPU time, or if any tick took a whole tick interval of it.
// Environment: BENCH_DEVICES, BENCH_HZ, BENCH_SECONDS.
#include "consolecontext.h"
#include "devicestore.h"
#include "outputscontroller.h"
#include "relayclient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkDatagram>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QUdpSocket>

#include "benchsupport.h"
#include "network.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>

Q_IMPORT_QML_PLUGIN(GroupLoop_ConsolePlugin)
Q_IMPORT_QML_PLUGIN(GroupLoop_UiPlugin)

using namespace GroupLoop;
using namespace GroupLoop::Bench;

namespace {
// Receives the console's OSC on its own thread: datagrams, and when each tick's
// /grouploop/devices arrived (one per tick).
class Receiver : public QObject
{
public:
    Receiver()
    {
        m_socket.bind(QHostAddress::LocalHost, 0);
        m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 8 * 1024 * 1024);
        m_clock.start();
        connect(&m_socket, &QUdpSocket::readyRead, this, [this] {
            while (m_socket.hasPendingDatagrams()) {
                const QNetworkDatagram datagram = m_socket.receiveDatagram();
                datagrams.fetch_add(1);
                bytes.fetch_add(quint64(datagram.data().size()));
                if (datagram.data().contains("/grouploop/devices")) {
                    std::lock_guard lock(mutex);
                    tickArrivalsMs.push_back(double(m_clock.nsecsElapsed()) / 1e6);
                }
            }
        });
    }
    quint16 port() const { return m_socket.localPort(); }

    std::atomic<quint64> datagrams {0};
    std::atomic<quint64> bytes {0};
    std::mutex mutex;
    std::vector<double> tickArrivalsMs;

private:
    QUdpSocket m_socket {this};
    QElapsedTimer m_clock;
};

class CountingSink : public MidiSink
{
public:
    bool isOpen() const override { return true; }
    QString statusText() const override { return QStringLiteral("counting sink"); }
    bool send(const quint8 *, int, QString *) override
    {
        ++messages;
        return true;
    }
    static inline std::atomic<quint64> messages {0};
};
} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    const int devices = envInt("BENCH_DEVICES", 500);
    const int hz = envInt("BENCH_HZ", 50);
    const int seconds = envInt("BENCH_SECONDS", 10);
    const int warmupSeconds = 3;

    const quint16 port = GroupLoop::Testing::freePort();
    QProcess feeder;
    QByteArray feederOut;
    if (!startFeederRelay(feeder, QStringLiteral(CONSOLE_FEEDER_BINARY), port, devices, hz,
                          seconds + warmupSeconds + 6, &feederOut)) { // room for a slow window start
        std::fprintf(stderr, "bench: console-feeder did not start a relay\n");
        return 1;
    }

    QThread receiverThread;
    Receiver *receiver = nullptr;
    receiverThread.start();
    QMetaObject::invokeMethod(
        &app, [&] { receiver = new Receiver; }, Qt::DirectConnection);
    receiver->moveToThread(&receiverThread);

    QTemporaryDir dir;
    ConsoleContext context(dir.filePath(QStringLiteral("settings.ini")));
    ConsoleContext::setInstance(&context);
    DeviceStore *store = context.store();
    OutputsController *outputs = context.outputs();
    outputs->setMidiBackend([](const QString &) { return std::make_unique<CountingSink>(); },
                            [](QString *) { return QStringList(); });
    outputs->addDestination(QStringLiteral("127.0.0.1:%1").arg(receiver->port()));
    outputs->enableMidi(QString());
    const QStringList mappings {
        QStringLiteral(R"({"source": "roll", "target": {"kind": "osc", "address": "/tilt/{id}"}})"),
        QStringLiteral(R"({"source": "mean_motion", "output": {"min": 0, "max": 127},
                           "target": {"kind": "midi-cc", "channel": "1", "number": "1"}})"),
        QStringLiteral(
            R"({"source": "tap", "target": {"kind": "midi-note", "channel": "10", "note": "36"}})"),
        QStringLiteral(R"({"source": "device_count", "input": {"min": 0, "max": 1000},
                           "target": {"kind": "osc", "address": "/room/crowd"}})")};
    for (const QString &json : mappings) {
        const QString problem
            = outputs->addMapping(QJsonDocument::fromJson(json.toUtf8()).object().toVariantMap());
        if (!problem.isEmpty()) {
            std::fprintf(stderr, "bench: mapping: %s\n", qPrintable(problem));
            return 1;
        }
    }

    QQmlApplicationEngine engine;
    ConsoleContext::loadMainWindow(engine);
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
    if (!window) {
        std::fprintf(stderr, "bench: the window did not load\n");
        return 1;
    }
    QMetaObject::invokeMethod(window, "showView", Q_ARG(QVariant, QStringLiteral("outputs")));
    context.relay()->connectTo(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)));

    bool measuring = false;
    std::vector<double> tickMs, tickCpuMs, outputsMs, frameMs;
    QElapsedTimer frameClock;
    QObject::connect(window, &QQuickWindow::frameSwapped, &app, [&] {
        if (measuring && frameClock.isValid())
            frameMs.push_back(double(frameClock.nsecsElapsed()) / 1e6);
        frameClock.start();
    });
    // Read after the store's tick returns (it times itself, the outputs' work included).
    QObject::connect(store, &DeviceStore::ticked, &app, [&] {
        QTimer::singleShot(0, &app, [&] {
            if (!measuring)
                return;
            tickMs.push_back(double(store->lastTickDurationNs()) / 1e6);
            tickCpuMs.push_back(double(store->lastTickCpuNs()) / 1e6);
            outputsMs.push_back(double(outputs->engine()->stats().lastTickNs) / 1e6);
        });
    });

    double cpu0 = 0, gui0 = 0, elapsed = 0, cpu = 0, gui = 0;
    quint64 datagrams0 = 0, bytes0 = 0, midi0 = 0, messages0 = 0;
    quint64 datagrams = 0, bytes = 0, midi = 0, messages = 0;
    size_t arrivals0 = 0;
    int devicesSeen = 0;
    QElapsedTimer wall;
    QTimer::singleShot(warmupSeconds * 1000, &app, [&] {
        measuring = true;
        cpu0 = processCpuSeconds();
        gui0 = threadCpuSeconds();
        datagrams0 = receiver->datagrams;
        bytes0 = receiver->bytes;
        midi0 = CountingSink::messages;
        messages0 = outputs->engine()->stats().oscMessages;
        std::lock_guard lock(receiver->mutex);
        arrivals0 = receiver->tickArrivalsMs.size();
        wall.start();
    });
    QTimer::singleShot((warmupSeconds + seconds) * 1000, &app, [&] {
        measuring = false;
        elapsed = double(wall.nsecsElapsed()) / 1e9;
        cpu = processCpuSeconds() - cpu0;
        gui = threadCpuSeconds() - gui0;
        datagrams = receiver->datagrams - datagrams0;
        bytes = receiver->bytes - bytes0;
        midi = CountingSink::messages - midi0;
        messages = outputs->engine()->stats().oscMessages - messages0;
        devicesSeen = store->count();
    });
    QTimer::singleShot((warmupSeconds + seconds) * 1000 + 500, &app, &QCoreApplication::quit);
    app.exec();

    std::vector<double> gaps;
    {
        std::lock_guard lock(receiver->mutex);
        const std::vector<double> &a = receiver->tickArrivalsMs;
        // Only the measured stretch, and only while devices still streamed (the feeder stops).
        const size_t end = std::min(a.size(), arrivals0 + size_t(seconds * store->refreshHz()));
        for (size_t i = arrivals0 + 1; i < end; ++i)
            gaps.push_back(a[i] - a[i - 1]);
    }
    receiverThread.quit();
    receiverThread.wait();
    delete receiver;
    feeder.kill(); // its devices outlive the measured stretch by design
    feeder.waitForFinished(5000);

    const double tickInterval = 1000.0 / store->refreshHz();
    const double cpuP99 = percentile(tickCpuMs, 0.99);
    const double maxGap = percentile(gaps, 1.0);
    QFile loadavg(QStringLiteral("/proc/loadavg"));
    const QByteArray load
        = loadavg.open(QIODevice::ReadOnly) ? loadavg.readAll().trimmed() : QByteArray("n/a");
    const double s = std::max(elapsed, 1e-9);

    std::printf(
        "bench_consoleoutputs: %d devices at %d Hz for %d s (after %d s warm-up), Outputs view shown\n",
        devices, hz, seconds, warmupSeconds);
    std::printf("  outputs: default scheme + 4 mappings to 1 UDP destination, MIDI to a counting sink\n");
    std::printf("  devices in store: %d\n", devicesSeen);
    std::printf(
        "  sent: %.0f OSC messages/s in %.0f datagrams/s (%.1f MB/s received), %.0f MIDI messages/s\n",
        double(messages) / s, double(datagrams) / s, double(bytes) / s / 1e6, double(midi) / s);
    std::printf("  GUI-thread tick incl. outputs (ms): p50 %.2f p99 %.2f max %.2f (n=%zu)\n",
                percentile(tickMs, 0.5), percentile(tickMs, 0.99), percentile(tickMs, 1.0), tickMs.size());
    std::printf("  GUI-thread tick, thread CPU time (ms): p50 %.2f p99 %.2f max %.2f\n",
                percentile(tickCpuMs, 0.5), cpuP99, percentile(tickCpuMs, 1.0));
    std::printf("  outputs' part of the tick (ms): p50 %.2f p99 %.2f max %.2f\n", percentile(outputsMs, 0.5),
                percentile(outputsMs, 0.99), percentile(outputsMs, 1.0));
    std::printf("  frame interval (ms): p50 %.1f p99 %.1f (n=%zu, platform %s)\n", percentile(frameMs, 0.5),
                percentile(frameMs, 0.99), frameMs.size(), qPrintable(QGuiApplication::platformName()));
    const auto late
        = std::count_if(gaps.begin(), gaps.end(), [&](double gap) { return gap > 2 * tickInterval; });
    std::printf("  ticks at the receiver: gap p50 %.1f p99 %.1f max %.1f ms (n=%zu; interval %.0f ms; %lld "
                "over two intervals)\n",
                percentile(gaps, 0.5), percentile(gaps, 0.99), maxGap, gaps.size(), tickInterval,
                (long long)late);
    std::printf("  CPU: process %.2f cores, GUI thread %.2f cores\n", cpu / s, gui / s);
    std::printf("  machine load average at the end: %s (%d CPUs)\n", load.constData(),
                QThread::idealThreadCount());
    std::fflush(stdout);

    bool ok = true;
    if (devicesSeen != devices) {
        std::printf("FAIL: %d of %d devices in the store\n", devicesSeen, devices);
        ok = false;
    }
    if (cpuP99 >= 16.0) {
        std::printf("FAIL: p99 GUI-thread tick %.2f ms CPU >= 16 ms\n", cpuP99);
        ok = false;
    }
    // A tick's values leave before its processing returns, so they are late by more than a
    // tick only when a tick's work takes a whole interval. Gated on GUI-thread CPU time: wall
    // time (and the receiver's gaps) also count preemption by whatever else the machine runs.
    const double cpuMax = percentile(tickCpuMs, 1.0);
    if (gaps.empty() || cpuMax >= tickInterval) {
        std::printf("FAIL: a tick took %.1f ms of GUI-thread CPU (>= the %.0f ms interval: values late by "
                    "more than a tick)\n",
                    cpuMax, tickInterval);
        ok = false;
    }
    return ok ? 0 : 1;
}
