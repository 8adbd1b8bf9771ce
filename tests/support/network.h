// Loopback helpers for tests that talk to servers in other processes: a free port, whether a
// port accepts, and one blocking request. Blocking is right there (the server runs elsewhere);
// for a relay in the test's own thread use the event-loop clients of relaytestclient.h.
#pragma once

#include <QByteArray>
#include <QList>
#include <QUrl>

#include <functional>

namespace GroupLoop::Testing {

// A loopback port free right now, for a process the test starts. Another process may take it
// before the child binds it; the tests accept that small race.
quint16 freePort();

// Whether something on the loopback port accepts a connection within timeoutMs.
bool portAccepts(quint16 port, int timeoutMs = 100);

// Sends `request` to host:port and reads until the peer closes (or is silent for 2 s), or until
// complete(what came so far) holds. Empty when nothing answers.
QByteArray exchange(const QString &host, quint16 port, const QByteArray &request,
                    const std::function<bool(const QByteArray &)> &complete = {});

// ws://127.0.0.1:<port>/
QUrl wsUrl(quint16 loopbackPort);

// GET path: the body, or empty when nothing answers. wss:// and https:// go over TLS, unverified.
QByteArray httpGet(const QUrl &server, const QByteArray &path);
QByteArray httpGet(quint16 loopbackPort, const QByteArray &path);

} // namespace GroupLoop::Testing
