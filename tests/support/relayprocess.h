// RelayProcess: a grouploop-relay child process on a loopback port, for tests and benchmarks
// that need the real binary (flags, signals, several relays, CPU and memory of its own). It goes
// when the test goes, even when the test is killed.
#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QUrl>

namespace GroupLoop::Testing {

class RelayProcess
{
public:
    enum class Output {
        Forward, // its log goes to the test's stderr
        Capture, // readable from process()
        Discard,
        File, // appended to logFile
    };
    struct Options
    {
        QStringList arguments; // after --host 127.0.0.1 --port <port>
        quint16 port = 0; // 0: a free one
        Output output = Output::Forward;
        QString logFile;
        // Without QT_LOGGING_RULES (which would override --log-level) where a test reads the log.
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        QString binary; // empty: the grouploop-relay of this build
        int startTimeoutMs = 10000;
    };

    RelayProcess() = default;
    RelayProcess(const RelayProcess &) = delete;
    RelayProcess &operator=(const RelayProcess &) = delete;
    ~RelayProcess(); // stop()

    // Starts it and waits until its port accepts; false (and *error) if it exits or never does.
    bool start(const Options &options, QString *error = nullptr);
    bool start(); // with the default Options
    void stop(); // SIGTERM, and SIGKILL if it is still there 5 s later
    void kill(); // SIGKILL: no goodbye to anyone
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    quint16 port() const { return m_port; }
    QUrl url() const; // ws://127.0.0.1:<port>/
    qint64 pid() const { return m_pid; }
    QProcess &process() { return m_process; }

    // Its side door, blocking: the body of GET path, and /health parsed (empty if no answer).
    QByteArray get(const QByteArray &path) const;
    QJsonObject health() const;

private:
    QProcess m_process;
    quint16 m_port = 0;
    qint64 m_pid = 0;
};

} // namespace GroupLoop::Testing
