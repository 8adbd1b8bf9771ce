// HttpRouter: the side door's table of routes. A route is a path (exact, or a prefix such as
// "/apps/") with the methods it takes, an optional guard (a token check) and a handler; a GET
// route also answers HEAD, without the body. What no route takes gets the usual answers:
// OPTIONS a CORS preflight, an unknown path 404, a known path (or a method no route takes) 405.
#pragma once

#include "httpresponse.h"

#include <QByteArray>
#include <QList>

#include <functional>
#include <optional>

namespace GroupLoop {

class HttpRouter
{
public:
    using Handler = std::function<HttpResponse(const HttpRequest &request)>;
    // A refusal to answer instead of the handler's (e.g. 401), or nullopt to let it through.
    using Guard = std::function<std::optional<HttpResponse>(const HttpRequest &request)>;

    struct Route
    {
        QList<QByteArray> methods; // "GET", "POST", ...; GET also serves HEAD
        QByteArray path; // "/health"; ending in '/' with prefix, a folder: "/apps/"
        bool prefix = false;
        Handler handler;
        Guard guard; // optional
        qint64 maxBodyBytes = 0; // a request body up to this size (Content-Length); 0: none read
    };

    void add(Route route);
    // Shorthand for a GET (and HEAD) route on an exact path.
    void get(const QByteArray &path, Handler handler, Guard guard = {});
    // The 404 text: say what this server does serve.
    void setNotFoundMessage(const QByteArray &message) { m_notFoundMessage = message; }

    // The route for this method and path (exact before prefix, the longest prefix first); null if none.
    const Route *find(const QByteArray &method, const QByteArray &path) const;
    // The answer to a request: the route's handler (behind its guard) or 204, 404 or 405.
    HttpResponse answer(const HttpRequest &request) const;

private:
    HttpResponse answerWithBody(const HttpRequest &request) const;
    static bool takes(const Route &route, const QByteArray &method);
    bool matches(const Route &route, const QByteArray &path) const;
    bool knows(const QByteArray &path) const; // some route has it, whatever its methods
    // The methods the routes of `path` take, or every route's when none has that path.
    QList<QByteArray> methodsFor(const QByteArray &path) const;

    QList<Route> m_routes;
    QByteArray m_notFoundMessage = "not found";
};

} // namespace GroupLoop
