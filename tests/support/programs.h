// The programs of this build, for tests that start them as a user would.
#pragma once

#include <QString>

#include <QStringList>

class QProcess;

namespace GroupLoop::Testing {

QString relayBinary(); // grouploop-relay
QString simBinary(); // grouploop-sim

// A program run to its end, as from a shell.
struct ProgramRun
{
    int exitCode = -1; // -1: crashed, or still running after the timeout (then killed)
    QString out;
    QString err;
};
// Blocks: for programs that need nothing from the test's own thread.
ProgramRun run(const QString &program, const QStringList &arguments, int timeoutMs = 10000);

// Until the process has exited, running the event loop meanwhile (a relay in the test's thread
// keeps serving it); false after timeoutMs.
bool waitForExit(QProcess &process, int timeoutMs);

} // namespace GroupLoop::Testing
