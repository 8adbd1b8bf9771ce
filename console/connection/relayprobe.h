// RelayProbe: asks whatever listens on a port whether it is a GroupLoop relay (GET /health
// answering {"status":"ok","service":"grouploop-relay"}). Used at start-up to decide whether
// to join an existing relay or move the built-in one to a free port.
#pragma once

#include <QHostAddress>
#include <QString>

namespace GroupLoop::RelayProbe {

struct Result
{
    bool reachable = false; // something accepted the connection
    bool isGroupLoop = false;
    QString version;
    QString detail; // what was found, one line
};

// Blocks (with a local event loop) for at most timeoutMs.
Result probe(const QHostAddress &host, quint16 port, int timeoutMs = 2000);

} // namespace GroupLoop::RelayProbe
