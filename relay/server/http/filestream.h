// FileStream: writes a FileBody to a socket a chunk at a time, topping the socket's write
// buffer up only when it has drained below one chunk, so a large download never fills memory
// nor holds the event loop: between two chunks the loop serves everything else (sensor frames
// first of all). Reads come from the page cache in 64 KiB pieces. The stream deletes itself
// after finished().
#pragma once

#include "httpresponse.h"

#include <QFile>
#include <QObject>
#include <QPointer>

namespace GroupLoop {

class HttpConnection;

class FileStream : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 ChunkBytes = 64 * 1024;

    // Starts at once; the connection must outlive nothing: the stream ends when it disconnects.
    FileStream(HttpConnection *connection, std::shared_ptr<const FileBody> body);

    qint64 sent() const { return m_sent; }

Q_SIGNALS:
    // complete: every byte went to the socket; false: the file failed or the client left.
    void finished(bool complete);

private:
    void pump();
    void end(bool complete);

    QPointer<HttpConnection> m_connection;
    std::shared_ptr<const FileBody> m_body;
    QFile m_file;
    qint64 m_sent = 0;
    bool m_ended = false;
};

} // namespace GroupLoop
