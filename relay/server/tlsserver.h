// TlsServer: serves TLS. Each accepted socket starts its server handshake at once and goes
// through the same request-head reading (and handshake timeout) as a plain one; readyRead only
// ever reports decrypted bytes, so the HTTP side door and WebSocketConnection see plain text.
#pragma once

#include <QSslConfiguration>
#include <QTcpServer>

namespace GroupLoop {

class TlsServer : public QTcpServer
{
public:
    TlsServer(const QSslConfiguration &tls, QObject *parent);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    QSslConfiguration m_tls;
};

} // namespace GroupLoop
