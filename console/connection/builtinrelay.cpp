#include "builtinrelay.h"

#include "logmodel.h"
#include "relayclient.h"

namespace GroupLoop {

BuiltInRelay::BuiltInRelay(RelayClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

RelayHost::Result BuiltInRelay::start(const RelayConfig &config)
{
    m_config = config;
    const RelayHost::Result result = m_host.start(config);
    m_offerOwn = result.outcome == RelayHost::Outcome::UsingExisting;
    m_url = result.url;
    m_notice = result.outcome == RelayHost::Outcome::Started ? QString() : result.message;
    Q_EMIT changed();
    return result;
}

bool BuiltInRelay::startOnOtherPort()
{
    if (!canStartOwn())
        return false;
    const quint16 taken = m_config.port;
    RelayConfig config = m_config;
    config.port = 0; // a free one
    const RelayHost::Result result = m_host.start(config);
    if (result.outcome != RelayHost::Outcome::Started) {
        m_notice = tr("Could not start the built-in relay on another port (%1); still using the relay on "
                      "port %2")
                       .arg(result.message)
                       .arg(taken);
        Q_EMIT logEvent(LogModel::Error, QStringLiteral("relay"), m_notice);
        Q_EMIT changed();
        return false;
    }
    const QUrl from = m_url;
    m_url = result.url;
    m_offerOwn = false;
    const QString message = tr("Built-in relay listening on %1:%2 (port %3 stays with the GroupLoop relay "
                               "already there)")
                                .arg(m_config.host.toString())
                                .arg(result.port)
                                .arg(taken);
    m_notice.clear();
    Q_EMIT logEvent(LogModel::Info, QStringLiteral("relay"), message);
    m_client->connectTo(m_url);
    Q_EMIT moved(from, m_url, message);
    Q_EMIT changed();
    return true;
}

void BuiltInRelay::dismiss()
{
    if (m_notice.isEmpty() && !m_offerOwn)
        return;
    m_notice.clear();
    m_offerOwn = false; // "keep using it"
    Q_EMIT changed();
}

} // namespace GroupLoop
