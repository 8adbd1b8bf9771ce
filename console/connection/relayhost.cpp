#include "relayhost.h"

#include "eventdispatcher.h"
#include "relayprobe.h"
#include "relayserver.h"

#include <QAbstractEventDispatcher>

namespace GroupLoop {

namespace {
QUrl localUrl(quint16 port)
{
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port);
    url.setPath(QStringLiteral("/"));
    return url;
}
} // namespace

RelayHost::RelayHost(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("built-in-relay"));
}

RelayHost::~RelayHost()
{
    stop();
}

bool RelayHost::listenInThread(const RelayConfig &config, QString *error, quint16 *port)
{
    if (!m_thread.isRunning()) {
        if (QAbstractEventDispatcher *dispatcher = createEventDispatcher())
            m_thread.setEventDispatcher(dispatcher); // epoll for the relay's sockets
        m_thread.start();
    }
    bool ok = false;
    RelayServer *server = nullptr;
    // Constructed, listening and later destroyed in the worker thread, so every socket and
    // timer of the server belongs to that thread.
    QObject context;
    context.moveToThread(&m_thread);
    QMetaObject::invokeMethod(
        &context,
        [&] {
            server = new RelayServer(config);
            ok = server->listen(error);
            *port = server->serverPort();
            if (!ok) {
                delete server;
                server = nullptr;
            }
        },
        Qt::BlockingQueuedConnection);
    if (ok)
        m_server = server;
    return ok;
}

RelayHost::Result RelayHost::start(RelayConfig config)
{
    stop();
    Result result;
    const quint16 preferred = config.port;
    QString error;
    quint16 port = 0;
    if (listenInThread(config, &error, &port)) {
        m_port = port;
        result = {Outcome::Started, port, localUrl(port),
                  tr("Built-in relay listening on %1:%2").arg(config.host.toString()).arg(port)};
        return result;
    }

    const RelayProbe::Result probe = RelayProbe::probe(QHostAddress::LocalHost, preferred);
    if (probe.isGroupLoop) {
        result
            = {Outcome::UsingExisting, preferred, localUrl(preferred),
               tr("Port %1 is already served by a GroupLoop relay (%2); using it instead of the built-in one")
                   .arg(preferred)
                   .arg(probe.version)};
        return result;
    }

    config.port = 0;
    QString secondError;
    if (listenInThread(config, &secondError, &port)) {
        m_port = port;
        result = {Outcome::StartedOnOtherPort, port, localUrl(port),
                  tr("Port %1 is unavailable (%2; %3); built-in relay listening on port %4 instead")
                      .arg(preferred)
                      .arg(error, probe.detail)
                      .arg(port)};
        return result;
    }
    result.message = tr("Cannot start the built-in relay: %1; %2").arg(error, secondError);
    return result;
}

void RelayHost::stop()
{
    if (m_server) {
        RelayServer *server = m_server;
        m_server = nullptr;
        QMetaObject::invokeMethod(
            server,
            [server] {
                server->shutdown();
                delete server;
            },
            Qt::BlockingQueuedConnection);
    }
    m_port = 0;
    if (m_thread.isRunning()) {
        m_thread.quit();
        m_thread.wait();
    }
}

} // namespace GroupLoop
