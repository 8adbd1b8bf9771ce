#include "httpresponse.h"

namespace GroupLoop {

HttpResponse HttpResponse::text(int status, const QByteArray &message, const QByteArray &extraHeaders)
{
    HttpResponse response;
    response.status = status;
    response.contentType = "text/plain; charset=utf-8";
    response.body = message + '\n';
    response.extraHeaders = extraHeaders;
    return response;
}

HttpResponse HttpResponse::json(QByteArray body)
{
    HttpResponse response;
    response.contentType = "application/json";
    response.body = std::move(body);
    return response;
}

QByteArray HttpResponse::reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

QByteArray HttpResponse::toBytes() const
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    if (bare)
        return out + extraHeaders + "Connection: close\r\n\r\n";
    out += "Server: grouploop-relay/" GROUPLOOP_VERSION "\r\n";
    out += extraHeaders;
    out += "Content-Type: " + contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(streamLength >= 0 ? streamLength : body.size()) + "\r\n";
    out += "Access-Control-Allow-Origin: *\r\n";
    out += "Cache-Control: no-store\r\n";
    out += "Connection: close\r\n\r\n";
    if (!headOnly)
        out += body;
    return out;
}

} // namespace GroupLoop
