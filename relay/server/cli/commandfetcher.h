// CommandFetcher: fetches a commands.json over HTTP in the background, with retries, so a
// relay serves at once with its built-in registry (the old relay blocked start-up up to 15 s).
#pragma once

#include "commandregistry.h"

#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace GroupLoop {

class CommandFetcher : public QObject
{
    Q_OBJECT
public:
    explicit CommandFetcher(QUrl url, QObject *parent = nullptr);

    void setAttempts(int attempts) { m_attempts = attempts; }
    void setFirstRetryDelayMs(int ms) { m_retryDelayMs = ms; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    void start();

Q_SIGNALS:
    void fetched(const GroupLoop::CommandRegistry &registry);
    void failed(const QString &reason); // after the last attempt

private:
    void attempt();

    QUrl m_url;
    QNetworkAccessManager *m_network;
    int m_attempts = 5;
    int m_attempt = 0;
    int m_retryDelayMs = 1000;
    int m_timeoutMs = 5000;
};

} // namespace GroupLoop
