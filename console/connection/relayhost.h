// RelayHost: the console's built-in relay, the same RelayServer as grouploop-relay, hosted in
// a worker thread so relay traffic never competes with the GUI thread.
// start() decides what the console connects to:
//   - the preferred port is free: the built-in relay listens there (0.0.0.0:5003 by default);
//   - a GroupLoop relay already listens there: use that one, start nothing;
//   - something else holds the port: the built-in relay takes a free port.
#pragma once

#include "relayconfig.h"

#include <QObject>
#include <QThread>
#include <QUrl>

namespace GroupLoop {

class RelayServer;

class RelayHost : public QObject
{
    Q_OBJECT
public:
    enum class Outcome { Started, UsingExisting, StartedOnOtherPort, Failed };
    Q_ENUM(Outcome)

    struct Result
    {
        Outcome outcome = Outcome::Failed;
        quint16 port = 0;
        QUrl url; // what the client should connect to
        QString message; // one line for the user
    };

    explicit RelayHost(QObject *parent = nullptr);
    ~RelayHost() override;

    Result start(RelayConfig config);
    void stop(); // closes every client (1001) and joins the thread
    bool isRunning() const { return m_server != nullptr; }
    quint16 port() const { return m_port; }

private:
    bool listenInThread(const RelayConfig &config, QString *error, quint16 *port);

    QThread m_thread;
    RelayServer *m_server = nullptr;
    quint16 m_port = 0;
};

} // namespace GroupLoop
