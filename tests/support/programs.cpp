#include "programs.h"

#include <QProcess>
#include <QTest>

namespace GroupLoop::Testing {

QString relayBinary()
{
    return QStringLiteral(GROUPLOOP_RELAY_BINARY);
}

QString simBinary()
{
    return QStringLiteral(GROUPLOOP_SIM_BINARY);
}

ProgramRun run(const QString &program, const QStringList &arguments, int timeoutMs)
{
    QProcess process;
    process.start(program, arguments);
    ProgramRun result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

bool waitForExit(QProcess &process, int timeoutMs)
{
    return QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, timeoutMs);
}

} // namespace GroupLoop::Testing
