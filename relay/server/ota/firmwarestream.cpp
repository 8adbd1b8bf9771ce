#include "firmwarestream.h"

#include <QTcpSocket>

namespace GroupLoop {

FirmwareStream::FirmwareStream(QTcpSocket *socket, qint64 headBytes, Progress progress, Ended ended)
    : QObject(socket)
    , m_socket(socket)
    , m_headBytes(headBytes)
    , m_progress(std::move(progress))
    , m_ended(std::move(ended))
{
}

bool FirmwareStream::start(QTcpSocket *socket, qint64 headBytes, const QString &path, Progress progress,
                           Ended ended)
{
    auto *stream = new FirmwareStream(socket, headBytes, std::move(progress), std::move(ended));
    stream->m_file.setFileName(path);
    if (!stream->m_file.open(QIODevice::ReadOnly)) {
        delete stream;
        socket->disconnectFromHost();
        return false;
    }
    connect(socket, &QTcpSocket::bytesWritten, stream, &FirmwareStream::written);
    connect(socket, &QTcpSocket::disconnected, stream, &FirmwareStream::finish);
    stream->pump();
    return true;
}

void FirmwareStream::pump()
{
    while (!m_file.atEnd() && m_socket->bytesToWrite() < ChunkBytes) {
        const QByteArray chunk = m_file.read(ChunkBytes);
        if (chunk.isEmpty())
            break; // a read error: the client sees a short body, and the owner a partial download
        m_socket->write(chunk);
    }
    if (m_file.atEnd() || m_file.error() != QFileDevice::NoError) {
        m_file.close();
        m_socket->disconnectFromHost(); // after what is queued has gone out
    }
}

void FirmwareStream::written(qint64 bytes)
{
    m_flushed += bytes;
    if (m_progress)
        m_progress(std::max<qint64>(0, m_flushed - m_headBytes));
    if (m_file.isOpen())
        pump();
}

void FirmwareStream::finish()
{
    if (std::exchange(m_finished, true))
        return;
    if (m_ended)
        m_ended(std::max<qint64>(0, m_flushed - m_headBytes));
}

} // namespace GroupLoop
