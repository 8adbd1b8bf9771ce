#include "relayprocess.h"

#include "network.h"
#include "programs.h"

#include <QJsonDocument>
#include <QTest>

#include <csignal>
#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif

namespace GroupLoop::Testing {

RelayProcess::~RelayProcess()
{
    stop();
}

bool RelayProcess::start(const Options &options, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        kill();
        return false;
    };
    m_port = options.port != 0 ? options.port : freePort();
    const QString binary = options.binary.isEmpty() ? relayBinary() : options.binary;
    m_process.setProcessEnvironment(options.environment);
    switch (options.output) {
    case Output::Forward:
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        break;
    case Output::Capture:
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        break;
    case Output::Discard:
    case Output::File: {
        const QString log = options.output == Output::File ? options.logFile : QProcess::nullDevice();
        m_process.setStandardOutputFile(log, QIODevice::Append);
        m_process.setStandardErrorFile(log, QIODevice::Append);
        break;
    }
    }
#ifdef Q_OS_LINUX
    m_process.setChildProcessModifier([] { prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    m_process.start(binary,
                    QStringList {QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
                                 QStringLiteral("--port"), QString::number(m_port)}
                        + options.arguments);
    if (!m_process.waitForStarted(5000))
        return fail(QStringLiteral("cannot start %1: %2").arg(binary, m_process.errorString()));
    m_pid = m_process.processId();
    // Event-loop waits: a test may serve something (a registry URL) in its own thread meanwhile.
    const bool up
        = QTest::qWaitFor([&] { return !isRunning() || portAccepts(m_port); }, options.startTimeoutMs);
    if (!up || !isRunning())
        return fail(QStringLiteral("%1 did not come up on port %2 (exit code %3)")
                        .arg(binary)
                        .arg(m_port)
                        .arg(m_process.exitCode()));
    return true;
}

bool RelayProcess::start()
{
    return start(Options());
}

void RelayProcess::stop()
{
    if (!isRunning())
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000))
        kill();
}

void RelayProcess::kill()
{
    if (!isRunning())
        return;
    m_process.kill(); // SIGKILL
    m_process.waitForFinished(3000);
}

QUrl RelayProcess::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_port));
}

QByteArray RelayProcess::get(const QByteArray &path) const
{
    return httpGet(m_port, path);
}

QJsonObject RelayProcess::health() const
{
    return QJsonDocument::fromJson(get("/health")).object();
}

} // namespace GroupLoop::Testing
