// The programs of this build, for tests that start them as a user would.
#pragma once

#include <QString>

class QProcess;

namespace GroupLoop::Testing {

QString relayBinary(); // grouploop-relay
QString simBinary(); // grouploop-sim

// Until the process has exited, running the event loop meanwhile (a relay in the test's thread
// keeps serving it); false after timeoutMs.
bool waitForExit(QProcess &process, int timeoutMs);

} // namespace GroupLoop::Testing
