// SimApp: grouploop-sim's run loop around a SwarmRunner: a progress line each second,
// --seconds, Ctrl-C/SIGTERM, and the "cannot connect" timeout. Returns the exit code.
#pragma once

#include "simcommandline.h"
#include "swarmrunner.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace GroupLoop {

class SimApp : public QObject
{
    Q_OBJECT
public:
    enum ExitCode { Ok = 0, CannotConnect = 1, Usage = 2 };

    explicit SimApp(const SimOptions &options, QObject *parent = nullptr);
    int exec(); // runs the event loop until done

    static void installSignalHandlers(); // SIGINT and SIGTERM request a clean stop

private:
    void poll();
    void printProgress(const SwarmStats &stats);
    void finish(int code, const QString &error = {});

    SimOptions m_options;
    SwarmRunner m_runner;
    QTimer m_poll;
    QElapsedTimer m_clock;
    qint64 m_nextProgressMs = 1000;
    QString m_reportedError; // the last socket error printed while running
    int m_exitCode = Ok;
};

} // namespace GroupLoop
