#include "commandfetcher.h"

#include "relaylogging.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace GroupLoop {

CommandFetcher::CommandFetcher(QUrl url, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_network(new QNetworkAccessManager(this))
{
}

void CommandFetcher::start()
{
    m_attempt = 0;
    attempt();
}

void CommandFetcher::attempt()
{
    ++m_attempt;
    QNetworkRequest request(m_url);
    request.setTransferTimeout(m_timeoutMs);
    request.setMaximumRedirectsAllowed(3);
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        QString why;
        if (reply->error() != QNetworkReply::NoError) {
            why = reply->errorString();
        } else {
            const auto registry
                = CommandRegistry::fromJson(reply->read(CommandRegistry::MaxJsonBytes + 1), &why);
            if (registry) {
                qCInfo(lcRelayCommands).noquote() << QStringLiteral("[COMMANDS] fetched %1 commands from %2")
                                                         .arg(registry->size())
                                                         .arg(m_url.toDisplayString());
                Q_EMIT fetched(*registry);
                return;
            }
        }
        const QString message = QStringLiteral("cannot fetch commands from %1 (attempt %2 of %3): %4")
                                    .arg(m_url.toDisplayString())
                                    .arg(m_attempt)
                                    .arg(m_attempts)
                                    .arg(why);
        qCWarning(lcRelayCommands).noquote() << QStringLiteral("[ERROR]") << message;
        if (m_attempt >= m_attempts) {
            Q_EMIT failed(message);
            return;
        }
        QTimer::singleShot(m_retryDelayMs << std::min(m_attempt - 1, 6), this, [this] { attempt(); });
    });
}

} // namespace GroupLoop
