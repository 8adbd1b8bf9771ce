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

bool waitForExit(QProcess &process, int timeoutMs)
{
    return QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, timeoutMs);
}

} // namespace GroupLoop::Testing
