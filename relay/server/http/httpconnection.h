// HttpConnection: one accepted connection while the side door reads its request: a plain
// QTcpSocket, or TLS over one through the relay's own TlsSession (OpenSSL on the caller's
// buffers, the engine WebSocketConnection keeps using after the upgrade). The side door sees
// plaintext either way. What is written before the TLS handshake is done waits for it; a
// failed handshake is reported once (tlsFailed) with OpenSSL's reason, and its alert is sent
// before the connection closes. A WebSocket upgrade takes the socket, the session and the
// plaintext not read yet (takeOver()).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QObject>

#include <memory>

class QTcpSocket;

namespace GroupLoop {

class TlsContext;
class TlsSession;

class HttpConnection : public QObject
{
    Q_OBJECT
public:
    // Takes `socket` (reparented to this); `tls` null: plain.
    HttpConnection(QTcpSocket *socket, const std::shared_ptr<TlsContext> &tls, QObject *parent);
    ~HttpConnection() override;

    bool isTls() const { return bool(m_tls); }
    QHostAddress peerAddress() const { return m_peerAddress; }
    QString peerText() const { return m_peerAddress.toString(); }
    quint16 peerPort() const { return m_peerPort; }
    QHostAddress localAddress() const { return m_localAddress; } // the interface it came in on

    qint64 bytesAvailable() const;
    // Written but not yet taken by the kernel (TLS: ciphertext, plus what waits for the handshake).
    qint64 bytesToWrite() const;
    bool isConnected() const;
    // Up to maxSize bytes of plaintext; the rest stays for the next read.
    QByteArray read(qint64 maxSize);
    void write(QByteArrayView plain);
    // Closes once what was written has gone (TLS: after close_notify).
    void disconnectFromHost();
    void abort();

    struct Transport
    {
        QTcpSocket *socket = nullptr; // unparented, its signals no longer connected here
        std::unique_ptr<TlsSession> tls; // null: plain
        QByteArray plain; // decrypted but not read
    };
    // For the WebSocket upgrade; the connection is empty afterwards (delete it later).
    Transport takeOver();

Q_SIGNALS:
    void readyRead();
    void bytesWritten(); // the socket took some of what was written: room for more
    void disconnected();
    void tlsFailed(const QString &error);

private:
    void onSocketReadyRead();
    void sendEncrypted(QByteArrayView plain);

    QTcpSocket *m_socket;
    std::unique_ptr<TlsSession> m_tls;
    QHostAddress m_peerAddress;
    quint16 m_peerPort;
    QHostAddress m_localAddress;
    QByteArray m_plain; // TLS: decrypted, not read yet
    QByteArray m_beforeHandshake; // TLS: written while the handshake was running
    bool m_closeAfterHandshake = false;
};

} // namespace GroupLoop
