#include "redisprocess.h"

#include "network.h"

#include <QTest>

#include <csignal>
#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif

namespace GroupLoop::Testing {

RedisProcess::~RedisProcess()
{
    kill();
}

bool RedisProcess::start(quint16 port, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        kill();
        return false;
    };
    m_port = port != 0 ? port : freePort();
#ifdef Q_OS_LINUX
    m_process.setChildProcessModifier([] { prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    m_process.start(QStringLiteral("redis-server"),
                    {QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                     QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                     QStringLiteral("--appendonly"), QStringLiteral("no")});
    if (!m_process.waitForStarted(5000))
        return fail(QStringLiteral("redis-server did not start (install the redis-server package; "
                                   "./deploy/quickstart.sh test does): ")
                    + m_process.errorString());
    if (!QTest::qWaitFor([this] { return portAccepts(m_port); }, 5000))
        return fail(QStringLiteral("redis-server does not accept connections on port %1").arg(m_port));
    return true;
}

void RedisProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(3000);
}

QString RedisProcess::url() const
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(m_port);
}

QByteArray RedisProcess::command(const QList<QByteArray> &arguments) const
{
    QByteArray request = '*' + QByteArray::number(arguments.size()) + "\r\n";
    for (const QByteArray &argument : arguments)
        request += '$' + QByteArray::number(argument.size()) + "\r\n" + argument + "\r\n";
    return exchange(QStringLiteral("127.0.0.1"), m_port, request,
                    [](const QByteArray &answer) { return answer.endsWith("\r\n"); });
}

} // namespace GroupLoop::Testing
