// FirmwareStream: writes a firmware image to an HTTP client without holding it in memory or
// the relay's thread: a chunk at a time, the next once the socket has drained below one chunk,
// so a 2 MB image to a slow device costs 64 KiB of buffer and no waiting. It lives as the
// socket's child and tells its owner how many bytes of the body reached the kernel, and at the
// end whether all of them did.
#pragma once

#include <QFile>
#include <QObject>

#include <functional>

class QTcpSocket;

namespace GroupLoop {

class FirmwareStream : public QObject
{
    Q_OBJECT
public:
    using Progress = std::function<void(qint64 bodyBytes)>;
    using Ended = std::function<void(qint64 bodyBytes)>;

    static constexpr qint64 ChunkBytes = 64 * 1024;

    // Takes over `socket` whose response head (headBytes long) is already written; false if
    // the file cannot be opened (the socket is then closed).
    static bool start(QTcpSocket *socket, qint64 headBytes, const QString &path, Progress progress,
                      Ended ended);

private:
    FirmwareStream(QTcpSocket *socket, qint64 headBytes, Progress progress, Ended ended);
    void pump();
    void written(qint64 bytes);
    void finish();

    QTcpSocket *m_socket;
    QFile m_file;
    qint64 m_headBytes; // written before the body; bytesWritten counts them too
    qint64 m_flushed = 0; // head and body, handed to the kernel
    Progress m_progress;
    Ended m_ended;
    bool m_finished = false;
};

} // namespace GroupLoop
