#include "simapp.h"

#include <QCoreApplication>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <sys/resource.h>

namespace GroupLoop {

namespace {

std::atomic<int> stopSignal {0};

void onSignal(int signal)
{
    stopSignal.store(signal);
}

// RelayConfig::maxFramesPerSecond's default; the simulator does not link the relay.
constexpr double DefaultRelayFrameLimit = 200.0;

double seconds(const timeval &tv)
{
    return double(tv.tv_sec) + double(tv.tv_usec) / 1e6;
}

} // namespace

SimApp::SimApp(const SimOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    m_poll.setInterval(50);
    connect(&m_poll, &QTimer::timeout, this, &SimApp::poll);
}

void SimApp::installSignalHandlers()
{
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
}

int SimApp::exec()
{
    QString error;
    if (!m_runner.start(m_options.config, &error)) {
        std::fprintf(stderr, "grouploop-sim: %s\n", qPrintable(error));
        return Usage;
    }
    const SimulationConfig &c = m_options.config;
    std::printf("grouploop-sim: %d devices on %d sockets at %g Hz to %s\n", c.swarm.devices,
                (c.swarm.devices + c.link.gateway - 1) / c.link.gateway, c.link.hz,
                qPrintable(c.link.url.toDisplayString()));
    const double perSocket = c.link.hz * c.link.gateway; // the relay allows a second of burst
    if (perSocket > DefaultRelayFrameLimit)
        std::fprintf(stderr,
                     "grouploop-sim: warning: %.0f frames/s per socket; a relay with the default limit "
                     "(%.0f/s per connection) will close these sockets (raise its --max-frame-rate)\n",
                     perSocket, DefaultRelayFrameLimit);
    std::fflush(stdout);
    m_clock.start();
    m_poll.start();
    QCoreApplication::exec();
    return m_exitCode;
}

void SimApp::poll()
{
    const qint64 now = m_clock.elapsed();
    if (stopSignal.load() != 0) {
        finish(Ok);
        return;
    }
    const SwarmStats stats = m_runner.stats();
    if (!stats.everConnected && now >= qint64(m_options.connectTimeoutSeconds) * 1000) {
        finish(CannotConnect,
               QStringLiteral("cannot connect to ") + m_options.config.link.url.toDisplayString()
                   + QStringLiteral(": ")
                   + (stats.lastError.isEmpty() ? QStringLiteral("no answer") : stats.lastError)
                   + QStringLiteral(" (nothing connected within ")
                   + QString::number(m_options.connectTimeoutSeconds) + QStringLiteral(" s)"));
        return;
    }
    if (m_options.seconds > 0 && now >= qint64(m_options.seconds) * 1000) {
        finish(Ok);
        return;
    }
    if (now >= m_nextProgressMs) {
        m_nextProgressMs += 1000;
        if (!m_options.quiet)
            printProgress(stats);
    }
}

void SimApp::printProgress(const SwarmStats &stats)
{
    std::printf("[%5llds] connected %d/%d  frames/s %.0f  commands %llu  reconnects %llu\n",
                static_cast<long long>(m_clock.elapsed() / 1000), stats.openSockets, stats.sockets,
                stats.framesPerSecond, static_cast<unsigned long long>(stats.commandsReceived),
                static_cast<unsigned long long>(stats.reconnects));
    std::fflush(stdout);
}

void SimApp::finish(int code, const QString &error)
{
    m_poll.stop();
    const double elapsed = m_clock.elapsed() / 1000.0;
    m_runner.stop();
    m_exitCode = code;
    if (!error.isEmpty())
        std::fprintf(stderr, "grouploop-sim: %s\n", qPrintable(error));
    const SwarmStats stats = m_runner.stats();
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    const double user = seconds(usage.ru_utime);
    const double sys = seconds(usage.ru_stime);
    std::printf(
        "grouploop-sim: ran %.1f s, seed %u, frames sent %llu (%.0f/s), commands %llu, reconnects %llu, "
        "cpu user %.2f s sys %.2f s (%.0f%% of one core)\n",
        elapsed, stats.seed, static_cast<unsigned long long>(stats.framesSent),
        elapsed > 0 ? double(stats.framesSent) / elapsed : 0.0,
        static_cast<unsigned long long>(stats.commandsReceived),
        static_cast<unsigned long long>(stats.reconnects), user, sys,
        elapsed > 0 ? 100.0 * (user + sys) / elapsed : 0.0);
    std::fflush(stdout);
    QCoreApplication::quit();
}

} // namespace GroupLoop
