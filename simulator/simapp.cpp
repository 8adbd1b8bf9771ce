#include "simapp.h"

#include "protocol.h"
#include "sessioncsv.h"
#include "sessionindex.h"

#include <QCoreApplication>
#include <QUrlQuery>

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

double seconds(const timeval &tv)
{
    return double(tv.tv_sec) + double(tv.tv_usec) / 1e6;
}

// The relay's URL as printed: a ?token= shows as *** (output ends up in logs and terminals).
QString displayUrl(QUrl url)
{
    QUrlQuery query(url);
    if (query.hasQueryItem(QStringLiteral("token"))) {
        query.removeAllQueryItems(QStringLiteral("token"));
        query.addQueryItem(QStringLiteral("token"), QStringLiteral("***"));
        url.setQuery(query);
    }
    return url.toDisplayString();
}

// What to do about the last error, when there is an obvious next step.
QString hintFor(const QString &error, const LinkConfig &link)
{
    if (error.contains(u"certificate verify failed"))
        return QStringLiteral(
            " (trust the relay's certificate with --ca-file FILE, or skip the check with --insecure)");
    const bool hasToken = !link.token.isEmpty() || QUrlQuery(link.url).hasQueryItem(QStringLiteral("token"));
    if (error.contains(u"401") || error.contains(u"code 4401"))
        return hasToken ? QStringLiteral(" (the relay does not know this token)")
                        : QStringLiteral(" (the relay wants a token: --token-file FILE)");
    return {};
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
    if (!m_options.replayPath.isEmpty()) {
        // One pass for ids, span and seek positions; frames then stream from disk.
        auto session = std::make_shared<SessionIndex>(SessionIndex::build(m_options.replayPath));
        if (!session->isValid()) {
            std::fprintf(stderr, "grouploop-sim: --replay: %s\n", qPrintable(session->error));
            return Usage;
        }
        // Bad lines are named and skipped; what is valid still plays.
        for (const QString &problem : std::as_const(session->problems.list))
            std::fprintf(stderr, "grouploop-sim: warning: %s\n", qPrintable(problem));
        if (session->problems.skippedLines > session->problems.list.size())
            std::fprintf(stderr, "grouploop-sim: warning: %d lines skipped in all\n",
                         session->problems.skippedLines);
        if (!m_options.exportCsvPath.isEmpty()) {
            SessionStream stream;
            qint64 frames = 0;
            if (!stream.open(m_options.replayPath, SessionStream::Parts::Follow, &error)
                || !SessionCsv::write(stream, m_options.exportCsvPath, &error, &frames)) {
                std::fprintf(stderr, "grouploop-sim: --export-csv: %s\n", qPrintable(error));
                return Usage;
            }
            std::printf("grouploop-sim: wrote %lld frames of %lld devices to %s\n",
                        static_cast<long long>(frames), static_cast<long long>(session->deviceIds.size()),
                        qPrintable(m_options.exportCsvPath));
            return Ok;
        }
        m_options.config.useReplay(session, m_options.replaySpeed, m_options.replayLoop);
    }
    if (!m_runner.start(m_options.config, &error)) {
        std::fprintf(stderr, "grouploop-sim: %s\n", qPrintable(error));
        return Usage;
    }
    const SimulationConfig &c = m_options.config;
    if (c.replay.enabled()) {
        const SessionIndex &session = *c.replay.session;
        std::printf("grouploop-sim: replaying %d devices (%lld frames, %.1f s%s) from %s at %gx%s to %s\n",
                    c.swarm.devices, static_cast<long long>(session.frames),
                    double(session.endMs - session.startMs()) / 1000.0,
                    session.parts.size() > 1
                        ? qPrintable(QStringLiteral(", %1 parts").arg(session.parts.size()))
                        : "",
                    qPrintable(m_options.replayPath), c.replay.speed, c.replay.loop ? ", looping" : "",
                    qPrintable(displayUrl(c.link.url)));
    } else {
        std::printf("grouploop-sim: %d devices on %d sockets at %g Hz to %s\n", c.swarm.devices,
                    (c.swarm.devices + c.link.gateway - 1) / c.link.gateway, c.link.hz,
                    qPrintable(displayUrl(c.link.url)));
    }
    const double perSocket = c.link.hz * c.link.gateway; // the relay allows a second of burst
    if (perSocket > Protocol::DefaultMaxFramesPerSecond)
        std::fprintf(stderr,
                     "grouploop-sim: warning: %.0f frames/s per socket; a relay with the default limit "
                     "(%.0f/s per connection) will close these sockets (raise its --max-frame-rate)\n",
                     perSocket, Protocol::DefaultMaxFramesPerSecond);
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
               QStringLiteral("cannot connect to ") + displayUrl(m_options.config.link.url)
                   + QStringLiteral(": ")
                   + (stats.lastError.isEmpty() ? QStringLiteral("no answer") : stats.lastError)
                   + QStringLiteral(" (nothing connected within ")
                   + QString::number(m_options.connectTimeoutSeconds) + QStringLiteral(" s)")
                   + hintFor(stats.lastError, m_options.config.link));
        return;
    }
    if (m_options.seconds > 0 && now >= qint64(m_options.seconds) * 1000) {
        finish(Ok);
        return;
    }
    if (stats.replayFinished) {
        finish(Ok);
        return;
    }
    if (now >= m_nextProgressMs) {
        m_nextProgressMs += 1000;
        if (!m_options.quiet)
            printProgress(stats);
        // Why sockets drop once running (a relay restarting, a token refused, a limit), each
        // reason once, at most once a second.
        if (stats.everConnected && !stats.lastError.isEmpty() && stats.lastError != m_reportedError) {
            m_reportedError = stats.lastError;
            std::fprintf(stderr, "grouploop-sim: %s%s\n", qPrintable(stats.lastError),
                         qPrintable(hintFor(stats.lastError, m_options.config.link)));
        }
    }
}

void SimApp::printProgress(const SwarmStats &stats)
{
    if (m_options.config.replay.enabled()) {
        std::printf("[%5llds] connected %d/%d  replay at %.1f s  loops %d  frames %llu  commands %llu\n",
                    static_cast<long long>(m_clock.elapsed() / 1000), stats.openSockets, stats.sockets,
                    double(stats.replayPositionMs) / 1000.0, stats.replayLoops,
                    static_cast<unsigned long long>(stats.framesSent),
                    static_cast<unsigned long long>(stats.commandsReceived));
        std::fflush(stdout);
        return;
    }
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
