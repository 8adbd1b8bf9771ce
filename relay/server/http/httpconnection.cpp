#include "httpconnection.h"

#include "tlscontext.h"
#include "tlssession.h"

#include <QTcpSocket>

#include <utility>

namespace GroupLoop {

HttpConnection::HttpConnection(QTcpSocket *socket, const std::shared_ptr<TlsContext> &tls, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_peerAddress(socket->peerAddress())
    , m_peerPort(socket->peerPort())
    , m_localAddress(socket->localAddress())
{
    socket->setParent(this);
    if (tls)
        m_tls = std::make_unique<TlsSession>(*tls);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onSocketReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::disconnected);
    connect(socket, &QTcpSocket::bytesWritten, this, &HttpConnection::bytesWritten);
}

HttpConnection::~HttpConnection() = default;

qint64 HttpConnection::bytesAvailable() const
{
    if (!m_socket)
        return 0;
    return m_tls ? m_plain.size() : m_socket->bytesAvailable();
}

qint64 HttpConnection::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() + m_beforeHandshake.size() : 0;
}

bool HttpConnection::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

QByteArray HttpConnection::read(qint64 maxSize)
{
    if (!m_socket)
        return {};
    if (!m_tls)
        return m_socket->read(maxSize);
    QByteArray chunk = m_plain.left(maxSize);
    m_plain.remove(0, chunk.size());
    return chunk;
}

void HttpConnection::onSocketReadyRead()
{
    if (!m_tls) {
        Q_EMIT readyRead();
        return;
    }
    const bool wasHandshaking = m_tls->state() == TlsSession::State::Handshaking;
    QByteArray toPeer; // handshake messages, alerts
    const bool ok = m_tls->feed(m_socket->readAll(), m_plain, toPeer);
    if (!toPeer.isEmpty())
        m_socket->write(toPeer);
    if (!ok) {
        m_plain.clear();
        Q_EMIT tlsFailed(m_tls->errorString());
        if (m_socket)
            m_socket->disconnectFromHost(); // after the alert
        return;
    }
    if (wasHandshaking && m_tls->isOpen()) {
        if (!m_beforeHandshake.isEmpty())
            sendEncrypted(std::exchange(m_beforeHandshake, QByteArray()));
        if (m_closeAfterHandshake) {
            disconnectFromHost();
            return;
        }
    }
    if (m_tls->peerSentCloseNotify()) {
        m_socket->disconnectFromHost();
        return;
    }
    if (!m_plain.isEmpty())
        Q_EMIT readyRead();
}

void HttpConnection::write(QByteArrayView plain)
{
    if (!m_socket)
        return;
    if (!m_tls)
        m_socket->write(plain.data(), plain.size());
    else if (m_tls->state() == TlsSession::State::Handshaking)
        m_beforeHandshake.append(plain);
    else
        sendEncrypted(plain);
}

void HttpConnection::sendEncrypted(QByteArrayView plain)
{
    QByteArray records;
    if (m_tls->encrypt(plain, records))
        m_socket->write(records);
}

void HttpConnection::disconnectFromHost()
{
    if (!m_socket)
        return;
    if (m_tls && m_tls->state() == TlsSession::State::Handshaking) {
        m_closeAfterHandshake = true; // the answer waits for the handshake (or its timeout)
        return;
    }
    if (m_tls) {
        QByteArray closeNotify;
        m_tls->shutdown(closeNotify);
        m_socket->write(closeNotify);
    }
    m_socket->disconnectFromHost();
}

void HttpConnection::abort()
{
    if (m_socket)
        m_socket->abort();
}

HttpConnection::Transport HttpConnection::takeOver()
{
    Transport transport;
    if (!m_socket)
        return transport;
    m_socket->disconnect(this);
    m_socket->setParent(nullptr);
    transport.socket = std::exchange(m_socket, nullptr);
    transport.tls = std::move(m_tls);
    transport.plain = std::exchange(m_plain, QByteArray());
    return transport;
}

} // namespace GroupLoop
