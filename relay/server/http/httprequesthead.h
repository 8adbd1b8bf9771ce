// HttpRequestHead: the request line and headers of an HTTP/1.x request, parsed strictly.
// The relay reads one before deciding whether a connection is a WebSocket upgrade or a
// plain HTTP request for the side door. Pure code, no sockets (also a fuzz target).
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

#include <optional>

namespace GroupLoop {

struct HttpRequestHead
{
    enum class Status { Complete, Incomplete, Malformed };

    QByteArray method;
    QByteArray target; // as sent: path plus optional ?query
    QByteArray version; // "HTTP/1.1"
    QList<QPair<QByteArray, QByteArray>> headers; // names lowercased, values trimmed

    QByteArray path() const; // target without the query
    QByteArray query() const; // after '?', empty if none
    std::optional<QByteArray> header(QByteArrayView lowercaseName) const;
    bool isWebSocketUpgrade() const;

    // Parses the head at the start of `buffer`. Complete: *headLength is the byte count up to
    // and including the blank line. Incomplete: no blank line yet. Malformed: not HTTP/1.x.
    static Status parse(QByteArrayView buffer, HttpRequestHead *head, qsizetype *headLength);
};

} // namespace GroupLoop
