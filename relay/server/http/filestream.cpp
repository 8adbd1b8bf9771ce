#include "filestream.h"

#include "relaylogging.h"

#include "httpconnection.h"
#include <QTimer>

namespace GroupLoop {

FileStream::FileStream(HttpConnection *connection, std::shared_ptr<const FileBody> body)
    : QObject(connection)
    , m_connection(connection)
    , m_body(std::move(body))
    , m_file(m_body->path)
{
    connect(connection, &HttpConnection::bytesWritten, this, &FileStream::pump);
    connect(connection, &HttpConnection::disconnected, this, [this] { end(m_sent == m_body->length); });
    if (!m_file.open(QIODevice::ReadOnly) || !m_file.seek(m_body->offset)) {
        qCWarning(lcRelayHttp).noquote()
            << QStringLiteral("[HTTP] cannot read %1: %2").arg(m_body->path, m_file.errorString());
        // After the constructor returns, so the owner has connected to finished().
        QTimer::singleShot(0, this, [this] { end(false); });
        return;
    }
    QTimer::singleShot(0, this, &FileStream::pump);
}

void FileStream::pump()
{
    if (m_ended || !m_connection)
        return;
    // One chunk in the socket's buffer at most: the kernel's send buffer holds more, and every
    // bytesWritten() brings us back here.
    while (m_sent < m_body->length && m_connection->bytesToWrite() < ChunkBytes) {
        const QByteArray chunk = m_file.read(qMin(ChunkBytes, m_body->length - m_sent));
        if (chunk.isEmpty()) {
            qCWarning(lcRelayHttp).noquote() << QStringLiteral("[HTTP] %1 ended early (%2 of %3 bytes): %4")
                                                    .arg(m_body->path)
                                                    .arg(m_sent)
                                                    .arg(m_body->length)
                                                    .arg(m_file.errorString());
            end(false);
            return;
        }
        m_connection->write(chunk);
        m_sent += chunk.size();
        if (m_body->progress)
            m_body->progress(m_sent, m_body->length, false);
    }
    if (m_sent == m_body->length && m_connection->bytesToWrite() == 0)
        end(true);
}

void FileStream::end(bool complete)
{
    if (m_ended)
        return;
    m_ended = true;
    m_file.close();
    if (m_connection)
        disconnect(m_connection, nullptr, this, nullptr);
    if (m_body->progress)
        m_body->progress(m_sent, m_body->length, true);
    Q_EMIT finished(complete);
    deleteLater();
}

} // namespace GroupLoop
