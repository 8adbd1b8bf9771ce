// RedisProcess: a redis-server child process on a loopback port, for cluster tests and the
// cluster benchmark: nothing saved, gone with the test.
#pragma once

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QString>

namespace GroupLoop::Testing {

class RedisProcess
{
public:
    RedisProcess() = default;
    RedisProcess(const RedisProcess &) = delete;
    RedisProcess &operator=(const RedisProcess &) = delete;
    ~RedisProcess(); // kill()

    // Starts it on `port` (0: a free one) and waits until it accepts; false with a one-line
    // *error (redis-server missing, or not answering).
    bool start(quint16 port = 0, QString *error = nullptr);
    void kill(); // SIGKILL: gone without a word, as a crash

    quint16 port() const { return m_port; }
    QString url() const; // redis://127.0.0.1:<port>
    qint64 pid() const { return m_process.processId(); }

    // One command in RESP; the raw reply ("+OK\r\n", ":1\r\n", ...), empty if none (blocking).
    QByteArray command(const QList<QByteArray> &arguments) const;

private:
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace GroupLoop::Testing
