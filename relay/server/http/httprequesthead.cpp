#include "httprequesthead.h"

namespace GroupLoop {

namespace {
bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool headerHasToken(QByteArrayView value, QByteArrayView token)
{
    for (QByteArrayView part : QByteArray(value.data(), value.size()).split(',')) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}
} // namespace

QByteArray HttpRequestHead::path() const
{
    const qsizetype q = target.indexOf('?');
    return q < 0 ? target : target.left(q);
}

QByteArray HttpRequestHead::query() const
{
    const qsizetype q = target.indexOf('?');
    return q < 0 ? QByteArray() : target.mid(q + 1);
}

std::optional<QByteArray> HttpRequestHead::header(QByteArrayView lowercaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowercaseName)
            return value;
    }
    return std::nullopt;
}

bool HttpRequestHead::isWebSocketUpgrade() const
{
    const auto upgrade = header("upgrade");
    const auto connection = header("connection");
    return method == "GET" && upgrade && connection && headerHasToken(*upgrade, "websocket")
        && headerHasToken(*connection, "upgrade");
}

HttpRequestHead::Status HttpRequestHead::parse(QByteArrayView buffer, HttpRequestHead *head,
                                               qsizetype *headLength)
{
    // Tolerate bare LF line ends as RFC 9112 allows; find the blank line.
    qsizetype end = -1;
    qsizetype endLength = 0;
    for (qsizetype i = 0; i < buffer.size(); ++i) {
        if (buffer[i] != '\n')
            continue;
        if (i + 1 < buffer.size() && buffer[i + 1] == '\n') {
            end = i;
            endLength = 2;
            break;
        }
        if (i + 2 < buffer.size() && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
            end = i;
            endLength = 3;
            break;
        }
    }
    // Reject garbage early, without waiting for a blank line that may never come.
    for (qsizetype i = 0; i < buffer.size() && i < 16; ++i) {
        const char c = buffer[i];
        if (c == ' ')
            break;
        if (!isTokenChar(c))
            return Status::Malformed;
    }
    if (end < 0)
        return Status::Incomplete;

    const QList<QByteArray> lines = QByteArray(buffer.data(), end).split('\n');
    HttpRequestHead parsed;
    for (qsizetype n = 0; n < lines.size(); ++n) {
        QByteArray line = lines[n];
        if (line.endsWith('\r'))
            line.chop(1);
        if (n == 0) {
            const QList<QByteArray> parts = line.split(' ');
            if (parts.size() != 3 || parts[0].isEmpty() || parts[1].isEmpty()
                || !parts[2].startsWith("HTTP/1."))
                return Status::Malformed;
            for (char c : parts[0]) {
                if (!isTokenChar(c))
                    return Status::Malformed;
            }
            parsed.method = parts[0];
            parsed.target = parts[1];
            parsed.version = parts[2];
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return Status::Malformed;
        const QByteArray name = line.left(colon);
        for (char c : name) {
            if (!isTokenChar(c))
                return Status::Malformed;
        }
        parsed.headers.append({name.toLower(), line.mid(colon + 1).trimmed()});
    }
    *head = parsed;
    *headLength = end + endLength;
    return Status::Complete;
}

} // namespace GroupLoop
