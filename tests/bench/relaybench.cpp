// relaybench: drives a grouploop-relay with D devices x R Hz x S subscribers over real sockets
// and prints one line of figures; or, with --idle N, measures what an idle connection costs.
// By default it starts the relay binary it was built with on a free loopback port.
#include "benchload.h"
#include "lightwebsocket.h"
#include "network.h"
#include "processstats.h"
#include "programs.h"
#include "redisprocess.h"
#include "relaybenchoptions.h"
#include "relayprocess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace GroupLoop;
using namespace GroupLoop::Bench;
using namespace GroupLoop::Testing;

namespace {

QString mib(qint64 kib)
{
    return kib < 0 ? QStringLiteral("n/a")
                   : QString::number(double(kib) / 1024.0, 'f', 1) + QStringLiteral("MiB");
}

// CPU seconds of several processes together; invalid if any is unreadable.
CpuTimes cpuOf(const QList<qint64> &pids)
{
    CpuTimes sum {0.0, 0.0};
    for (qint64 pid : pids) {
        const CpuTimes t = processCpuTimes(pid);
        if (!t.valid())
            return {};
        sum.user += t.user;
        sum.system += t.system;
    }
    return sum;
}

// The relay child: its log to a file, or nowhere.
RelayProcess::Options relayOptions(const QString &binary, const QStringList &arguments,
                                   const QString &logFile)
{
    RelayProcess::Options options;
    options.binary = binary;
    options.arguments = arguments;
    options.output = logFile.isEmpty() ? RelayProcess::Output::Discard : RelayProcess::Output::File;
    options.logFile = logFile;
    return options;
}

int runLoad(const Options &options, const QList<qint64> &pids, qint64 redisPid)
{
    BenchLoad load(options.load);
    QString error;
    const qint64 connectStart = benchNowUs();
    if (!load.connectAll(20000, &error)) {
        std::fprintf(stderr, "relaybench: %s\n", qPrintable(error));
        return 2;
    }
    std::fprintf(stderr, "relaybench: %d devices and %d subscribers connected in %.1f s\n",
                 options.load.devices, options.load.subscribers, double(benchNowUs() - connectStart) / 1e6);
    const qint64 warmupUs = qint64(options.warmup * 1e6);
    const qint64 windowUs = qint64(options.seconds * 1e6);
    const qint64 start = benchNowUs();
    load.startSending(start + warmupUs, start + warmupUs + windowUs);

    waitUntil([&] { return benchNowUs() >= start + warmupUs; }, int(warmupUs / 1000) + 1000);
    const CpuTimes relayCpu0 = cpuOf(pids);
    const CpuTimes redisCpu0 = processCpuTimes(redisPid);
    const double selfCpu0 = selfCpuSeconds();
    const HostCpuTicks host0 = hostCpuTicks();
    const qint64 t0 = benchNowUs();
    waitUntil([&] { return benchNowUs() >= start + warmupUs + windowUs; }, int(windowUs / 1000) + 1000);
    const CpuTimes relayCpu1 = cpuOf(pids);
    const CpuTimes redisCpu1 = processCpuTimes(redisPid);
    const double selfCpu1 = selfCpuSeconds();
    const HostCpuTicks host1 = hostCpuTicks();
    const qint64 t1 = benchNowUs();
    qint64 rss = 0;
    for (qint64 pid : pids)
        rss = processRssKiB(pid) < 0 || rss < 0 ? -1 : rss + processRssKiB(pid);
    load.stopSending();
    // Frames of the window still in flight: give them 2 s, then what has not come is lost.
    sleepMs(2000);

    const double elapsed = double(t1 - t0) / 1e6;
    const quint64 expected = load.sentInWindow() * quint64(options.load.subscribers);
    const quint64 delivered = load.receivedInWindow();
    const double ratio = expected ? double(delivered) / double(expected) : 0.0;
    const double relayCpu = relayCpu1.total() - relayCpu0.total();
    // Summed over the relays of a cluster run.
    QJsonObject health;
    for (const QUrl &url :
         options.load.spread.isEmpty() ? QList<QUrl> {options.load.url} : options.load.spread) {
        const QJsonObject one = QJsonDocument::fromJson(httpGet(url, "/health")).object();
        for (const char *key : {"frames_in", "frames_out", "frames_coalesced"}) {
            const QString name = QString::fromLatin1(key);
            health.insert(name, health.value(name).toDouble() + one.value(name).toDouble());
        }
    }
    const auto &lat = load.latency();

    QString line
        = QStringLiteral("relaybench %1devices=%2 hz=%3 subscribers=%4 window=%5s")
              .arg(options.cluster > 0 ? QStringLiteral("cluster=%1 ").arg(options.cluster) : QString())
              .arg(options.load.devices)
              .arg(options.load.hz)
              .arg(options.load.subscribers)
              .arg(elapsed, 0, 'f', 1);
    line += QStringLiteral(" | sent=%1/s delivered=%2/s delivery=%3% lost=%4")
                .arg(double(load.sentInWindow()) / elapsed, 0, 'f', 0)
                .arg(double(delivered) / elapsed, 0, 'f', 0)
                .arg(ratio * 100.0, 0, 'f', 3)
                .arg(qint64(expected) - qint64(delivered));
    line += QStringLiteral(" | latency p50=%1ms p99=%2ms max=%3ms")
                .arg(double(lat.percentileUs(50)) / 1000.0, 0, 'f', 2)
                .arg(double(lat.percentileUs(99)) / 1000.0, 0, 'f', 2)
                .arg(double(lat.maxUs()) / 1000.0, 0, 'f', 2);
    if (const auto &crossed = load.crossedLatency(); crossed.count() > 0) {
        line += QStringLiteral(" (via redis: %1 frames, p50=%2ms p99=%3ms max=%4ms)")
                    .arg(crossed.count())
                    .arg(double(crossed.percentileUs(50)) / 1000.0, 0, 'f', 2)
                    .arg(double(crossed.percentileUs(99)) / 1000.0, 0, 'f', 2)
                    .arg(double(crossed.maxUs()) / 1000.0, 0, 'f', 2);
    }
    if (!pids.isEmpty() && relayCpu0.valid() && relayCpu1.valid()) {
        line += QStringLiteral(" | relay cpu=%1us/frame (%2% of a core, user %3% sys %4%) rss=%5")
                    .arg(delivered ? relayCpu * 1e6 / double(delivered) : 0.0, 0, 'f', 3)
                    .arg(relayCpu / elapsed * 100.0, 0, 'f', 1)
                    .arg((relayCpu1.user - relayCpu0.user) / elapsed * 100.0, 0, 'f', 1)
                    .arg((relayCpu1.system - relayCpu0.system) / elapsed * 100.0, 0, 'f', 1)
                    .arg(mib(rss));
    } else {
        line += QStringLiteral(" | relay cpu=n/a rss=n/a");
    }
    if (redisCpu0.valid() && redisCpu1.valid()) {
        const double redisCpu = redisCpu1.total() - redisCpu0.total();
        line += QStringLiteral(" | redis cpu=%1us/frame (%2% of a core)")
                    .arg(delivered ? redisCpu * 1e6 / double(delivered) : 0.0, 0, 'f', 3)
                    .arg(redisCpu / elapsed * 100.0, 0, 'f', 1);
    }
    line += QStringLiteral(" | bench cpu=%1% of a core, %2 frames/msg")
                .arg((selfCpu1 - selfCpu0) / elapsed * 100.0, 0, 'f', 1)
                .arg(load.messagesReceived() ? double(load.receivedTotal()) / double(load.messagesReceived())
                                             : 0.0,
                     0, 'f', 1);
    if (host1.total > host0.total) {
        line += QStringLiteral(" | host steal=%1%")
                    .arg(100.0 * double(host1.steal - host0.steal) / double(host1.total - host0.total), 0,
                         'f', 1);
    }
    if (!health.isEmpty()) {
        line += QStringLiteral(" | relay frames_in=%1 frames_out=%2 coalesced=%3")
                    .arg(qint64(health.value(QStringLiteral("frames_in")).toDouble()))
                    .arg(qint64(health.value(QStringLiteral("frames_out")).toDouble()))
                    .arg(qint64(health.value(QStringLiteral("frames_coalesced")).toDouble()));
    }
    if (load.disconnects() > 0 || load.lateTicks() > 0 || load.malformedLines() > 0) {
        line += QStringLiteral(" | disconnects=%1 late_ticks=%2 malformed=%3")
                    .arg(load.disconnects())
                    .arg(load.lateTicks())
                    .arg(load.malformedLines());
    }
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
    load.closeAll();
    if (ratio < options.minDelivery) {
        std::fprintf(stderr, "relaybench: delivery %.3f%% is below --min-delivery %.3f%%\n", ratio * 100.0,
                     options.minDelivery * 100.0);
        return 1;
    }
    return 0;
}

// Opens n connections that only take the greeting and then sit idle.
bool openIdle(const LoadConfig &config, int n, std::vector<std::unique_ptr<LightWebSocket>> *sockets)
{
    int greeted = 0;
    for (int first = 0; first < n; first += 200) {
        const int last = std::min(n, first + 200);
        for (int i = first; i < last; ++i) {
            auto socket = std::make_unique<LightWebSocket>();
            config.prepare(*socket);
            QObject::connect(
                socket.get(), &LightWebSocket::textReceived, socket.get(), [&greeted] { ++greeted; },
                Qt::SingleShotConnection);
            socket->open(config.url);
            sockets->push_back(std::move(socket));
        }
        if (!waitUntil([&] { return greeted == last; }, 20000)) {
            std::fprintf(stderr, "relaybench: only %d of %d idle connections opened\n", greeted, n);
            return false;
        }
    }
    return true;
}

int runIdle(const Options &options, qint64 pid)
{
    if (pid <= 0) {
        std::fprintf(stderr,
                     "relaybench: --idle needs the relay's pid (start it here or pass --relay-pid)\n");
        return 2;
    }
    // One connection first, so one-time costs (the relay loads its TLS libraries on the first
    // WebSocket) are not charged to the idle connections.
    {
        std::vector<std::unique_ptr<LightWebSocket>> warm;
        if (!openIdle(options.load, 1, &warm))
            return 2;
        warm.front()->close();
        waitUntil([&] { return warm.front()->state() == LightWebSocket::State::Unconnected; }, 5000);
    }
    sleepMs(1000);
    const qint64 before = processRssKiB(pid);
    QString line = QStringLiteral("relaybench idle=%1 | rss before=%2KiB (after one warm-up connection)")
                       .arg(options.idle)
                       .arg(before);
    for (int round = 1; round <= options.idleRounds; ++round) {
        std::vector<std::unique_ptr<LightWebSocket>> sockets;
        QElapsedTimer opening; // connect, TLS handshake (with --tls), upgrade, greeting
        opening.start();
        const double cpuBefore = processCpuTimes(pid).total();
        if (!openIdle(options.load, options.idle, &sockets))
            return 2;
        const double openSeconds = double(opening.nsecsElapsed()) / 1e9;
        const double openCpuUs = (processCpuTimes(pid).total() - cpuBefore) * 1e6 / options.idle;
        sleepMs(1000);
        const qint64 open = processRssKiB(pid);
        for (auto &socket : sockets)
            socket->close();
        waitUntil(
            [&] {
                return std::all_of(sockets.begin(), sockets.end(), [](const auto &s) {
                    return s->state() == LightWebSocket::State::Unconnected;
                });
            },
            10000);
        sockets.clear();
        sleepMs(1500);
        const qint64 after = processRssKiB(pid);
        line += QStringLiteral(
                    " | round %1: opened in %6 s (%7 connections/s, relay cpu %8 us each) open=%2KiB "
                    "(%3 KiB per idle connection) after close=%4KiB (%5 KiB above before)")
                    .arg(round)
                    .arg(open)
                    .arg(double(open - before) / double(options.idle), 0, 'f', 2)
                    .arg(after)
                    .arg(after - before)
                    .arg(openSeconds, 0, 'f', 2)
                    .arg(double(options.idle) / openSeconds, 0, 'f', 0)
                    .arg(openCpuUs, 0, 'f', 0);
    }
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Options options;
    if (const int code = parseOptions(app, &options); code >= 0)
        return code;

    const qint64 fileLimit = raiseFileLimit();
    const qint64 needed = options.idle + options.load.devices + options.load.subscribers + 64;
    if (fileLimit >= 0 && fileLimit < needed)
        std::fprintf(stderr, "relaybench: warning: only %lld file descriptors for %lld sockets\n",
                     static_cast<long long>(fileLimit), static_cast<long long>(needed));

    RelayProcess relay;
    qint64 pid = options.relayPid;
    RedisProcess redis;
    std::vector<std::unique_ptr<RelayProcess>> clusterRelays;
    if (options.cluster > 0) {
        if (options.idle > 0 || options.attachUrl.isValid()) {
            std::fprintf(stderr, "relaybench: --cluster starts its own relays; not with --idle or --url\n");
            return 2;
        }
        QString error;
        if (!redis.start(0, &error)) {
            std::fprintf(stderr, "relaybench: %s\n", qPrintable(error));
            return 2;
        }
        QList<qint64> pids;
        for (int i = 0; i < options.cluster; ++i) {
            auto member = std::make_unique<RelayProcess>();
            const QString log
                = options.relayLog.isEmpty() ? QString() : options.relayLog + QString::number(i);
            if (!member->start(relayOptions(options.relayBinary,
                                            options.relayArgs + QStringList {u"--redis"_qs, redis.url()},
                                            log),
                               &error)) {
                std::fprintf(stderr, "relaybench: %s\n", qPrintable(error));
                return 2;
            }
            const QUrl url = member->url();
            if (!waitUntil([&] { return httpGet(url, "/health").contains("\"redis\":\"up\""); }, 10000)) {
                std::fprintf(stderr, "relaybench: relay %d did not connect to %s\n", i,
                             qPrintable(redis.url()));
                return 2;
            }
            options.load.spread.append(url);
            pids.append(member->pid());
            clusterRelays.push_back(std::move(member));
        }
        options.load.url = options.load.spread.constFirst();
        return runLoad(options, pids, redis.pid());
    }
    if (options.attachUrl.isValid()) {
        options.load.url = options.attachUrl;
    } else {
        QString error;
        if (!relay.start(relayOptions(options.relayBinary, options.relayArgs, options.relayLog), &error)) {
            std::fprintf(stderr, "relaybench: %s\n", qPrintable(error));
            return 2;
        }
        options.load.url = relay.url();
        if (options.tlsRelay)
            options.load.url.setScheme(QStringLiteral("wss"));
        pid = relay.pid();
    }
    const int result = options.idle > 0
        ? runIdle(options, pid)
        : runLoad(options, pid > 0 ? QList<qint64> {pid} : QList<qint64> {}, 0);
    relay.stop();
    return result;
}
