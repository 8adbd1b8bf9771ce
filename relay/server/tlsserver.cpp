#include "tlsserver.h"

#include <QSslSocket>

namespace GroupLoop {

TlsServer::TlsServer(const QSslConfiguration &tls, QObject *parent)
    : QTcpServer(parent)
    , m_tls(tls)
{
}

void TlsServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    socket->setSslConfiguration(m_tls);
    socket->startServerEncryption();
    addPendingConnection(socket);
}

} // namespace GroupLoop
