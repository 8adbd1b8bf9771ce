// relaybench's flags, parsed into Options (relaybench.cpp runs them).
#pragma once

#include "benchload.h"

#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

class QCoreApplication;

namespace GroupLoop::Bench {

struct Options
{
    LoadConfig load;
    double seconds = 10.0;
    double warmup = 2.0;
    int idle = 0;
    int idleRounds = 1;
    QStringList relayArgs;
    QString relayLog;
    qint64 relayPid = 0;
    double minDelivery = 0.0;
    int cluster = 0; // relays on one redis-server started here; devices and subscribers spread over them
    QString relayBinary; // the relay to start
    QUrl attachUrl; // --url: a running relay instead (invalid: start one)
    bool tlsRelay = false; // the relay started here serves wss:// (--tls, or --tls-cert and --tls-key)
    std::shared_ptr<QTemporaryDir> certDir; // --tls: the certificate made for this run
};

// Parses the command line (--help prints and exits). Returns -1 to go on, else the exit code
// after one line on stderr.
int parseOptions(const QCoreApplication &app, Options *out);

} // namespace GroupLoop::Bench
