#include "relayclient.h"

#include "devicestore.h"
#include "logmodel.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

namespace GroupLoop {

namespace {
constexpr int HttpTimeoutMs = 3000;

constexpr bool sameState(RelayConnection::State connection, RelayClient::State client)
{
    return int(connection) == int(client);
}
static_assert(sameState(RelayConnection::State::Disconnected, RelayClient::Disconnected)
                  && sameState(RelayConnection::State::Connecting, RelayClient::Connecting)
                  && sameState(RelayConnection::State::Connected, RelayClient::Connected)
                  && sameState(RelayConnection::State::Subscribed, RelayClient::Subscribed)
                  && sameState(RelayConnection::State::Reconnecting, RelayClient::Reconnecting)
                  && sameState(RelayConnection::State::Failed, RelayClient::Failed),
              "RelayClient::State must list RelayConnection::State's values in the same order");
} // namespace

RelayClient::RelayClient(DeviceStore *store, QObject *parent)
    : CommandTransport(parent)
{
    qRegisterMetaType<RelayConnection::State>();
    m_connection = new RelayConnection(store->ingest());
    m_connection->moveToThread(&m_thread);
    m_thread.setObjectName(QStringLiteral("relay-client"));
    m_thread.start();

    connect(m_connection, &RelayConnection::stateChanged, this, &RelayClient::onConnectionState);
    connect(m_connection, &RelayConnection::commandReplied, this, &CommandTransport::commandReplied);
    connect(m_connection, &RelayConnection::commandFailed, this, &CommandTransport::commandFailed);
    connect(m_connection, &RelayConnection::event, this, [this](int level, const QString &text) {
        Q_EMIT logEvent(level, QStringLiteral("relay"), text);
    });
    connect(m_connection, &RelayConnection::messageStats, this,
            [this](quint64 messages, quint64 frames, quint64) {
                m_messages = messages;
                m_frames = frames;
                Q_EMIT statsChanged();
            });

    m_countdown.setInterval(250);
    connect(&m_countdown, &QTimer::timeout, this, &RelayClient::stateTextChanged);
    m_healthTimer.setInterval(3000);
    connect(&m_healthTimer, &QTimer::timeout, this, &RelayClient::pollHealth);
    m_network.setTransferTimeout(HttpTimeoutMs);
}

RelayClient::~RelayClient()
{
    RelayConnection *connection = m_connection;
    m_connection = nullptr;
    QMetaObject::invokeMethod(
        connection, [connection] { delete connection; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

bool RelayClient::isRelayUrl(const QUrl &url, QString *error)
{
    QString problem;
    if (!url.isValid())
        problem = tr("'%1' is not a valid URL: %2").arg(url.toString(), url.errorString());
    else if (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss"))
        problem = tr("'%1' must start with ws:// or wss://").arg(url.toString());
    else if (url.host().isEmpty())
        problem = tr("'%1' has no host").arg(url.toString());
    if (error)
        *error = problem;
    return problem.isEmpty();
}

QUrl RelayClient::httpUrlFor(const QUrl &wsUrl, const QString &path)
{
    QUrl http = wsUrl;
    http.setScheme(wsUrl.scheme() == QLatin1String("wss") ? QStringLiteral("https") : QStringLiteral("http"));
    http.setPath(path);
    http.setQuery(QString());
    return http;
}

void RelayClient::setBackoff(int initialMs, int maxMs)
{
    QMetaObject::invokeMethod(m_connection, "setBackoff", Qt::QueuedConnection, Q_ARG(int, initialMs),
                              Q_ARG(int, maxMs));
}

void RelayClient::connectTo(const QUrl &url)
{
    m_url = url;
    Q_EMIT urlChanged();
    QString error;
    if (!isRelayUrl(url, &error)) {
        onConnectionState(RelayConnection::State::Failed, error, 0);
        return;
    }
    QMetaObject::invokeMethod(m_connection, "open", Qt::QueuedConnection, Q_ARG(QUrl, url));
}

void RelayClient::disconnectFromRelay()
{
    QMetaObject::invokeMethod(m_connection, "close", Qt::QueuedConnection);
}

void RelayClient::reconnectNow()
{
    if (m_state == Disconnected || m_state == Failed) {
        connectTo(m_url);
        return;
    }
    QMetaObject::invokeMethod(m_connection, "reconnectNow", Qt::QueuedConnection);
}

void RelayClient::sendCommandText(quint64 token, const QString &text)
{
    QMetaObject::invokeMethod(m_connection, "sendCommand", Qt::QueuedConnection, Q_ARG(quint64, token),
                              Q_ARG(QString, text));
}

QString RelayClient::stateText() const
{
    switch (m_state) {
    case Disconnected:
        return tr("Disconnected");
    case Connecting:
        return tr("Connecting…");
    case Connected:
        return tr("Connected, subscribing…");
    case Subscribed:
        return tr("Connected");
    case Reconnecting: {
        const qint64 left = qMax<qint64>(0, m_retryInMs - m_retryClock.elapsed());
        return tr("Reconnecting in %1 s").arg((left + 999) / 1000);
    }
    case Failed:
        return tr("Failed: %1").arg(m_detail);
    }
    return {};
}

void RelayClient::onConnectionState(RelayConnection::State state, const QString &detail, int retryInMs)
{
    const State previous = m_state;
    m_state = State(int(state));
    m_detail = detail;
    m_retryInMs = retryInMs;
    m_retryClock.start();
    if (m_state == Reconnecting)
        m_countdown.start();
    else
        m_countdown.stop();

    switch (m_state) {
    case Connected:
        Q_EMIT logEvent(LogModel::Info, QStringLiteral("connection"), tr("Connected to %1").arg(detail));
        pollHealth();
        fetchRegistry();
        m_healthTimer.start();
        break;
    case Subscribed:
        Q_EMIT logEvent(LogModel::Info, QStringLiteral("connection"), tr("Subscribed to the frame stream"));
        break;
    case Reconnecting:
        Q_EMIT logEvent(LogModel::Warning, QStringLiteral("connection"),
                        tr("Connection to %1 lost or refused (%2); retrying in %3 ms")
                            .arg(m_url.toString(), detail)
                            .arg(retryInMs));
        m_healthTimer.stop();
        break;
    case Failed:
        Q_EMIT logEvent(LogModel::Error, QStringLiteral("connection"), tr("Cannot connect: %1").arg(detail));
        m_healthTimer.stop();
        break;
    case Disconnected:
        if (previous != Disconnected)
            Q_EMIT logEvent(LogModel::Info, QStringLiteral("connection"), tr("Disconnected"));
        m_healthTimer.stop();
        break;
    case Connecting:
        break;
    }
    if (previous == Subscribed || previous == Connected || m_state == Subscribed || m_state == Connected)
        Q_EMIT readyChanged();
    Q_EMIT stateChanged();
    Q_EMIT stateTextChanged();
}

void RelayClient::pollHealth()
{
    QNetworkReply *reply = m_network.get(QNetworkRequest(httpUrlFor(m_url, QStringLiteral("/health"))));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        // A reply that timed out is closed, and reading it warns "device not open".
        const bool answered = reply->error() == QNetworkReply::NoError;
        const QJsonObject json
            = answered ? QJsonDocument::fromJson(reply->readAll()).object() : QJsonObject();
        const bool ok = answered && !json.isEmpty();
        const bool was = m_healthAvailable;
        m_healthAvailable = ok;
        if (ok) {
            m_health = json.toVariantMap();
            m_healthText = tr("relay %1 · up %2 s · %3 devices · %4 subscribers · %5 connections")
                               .arg(json.value(QStringLiteral("version")).toString())
                               .arg(qint64(json.value(QStringLiteral("uptime_s"))
                                               .toDouble(json.value(QStringLiteral("uptime")).toDouble())))
                               .arg(json.value(QStringLiteral("devices")).toInt())
                               .arg(json.value(QStringLiteral("subscribers")).toInt())
                               .arg(json.value(QStringLiteral("connections")).toInt());
        } else {
            m_health.clear();
            m_healthText = tr("no /health (%1)").arg(reply->errorString());
            if (was)
                Q_EMIT logEvent(LogModel::Warning, QStringLiteral("relay"),
                                tr("Health check failed: %1").arg(reply->errorString()));
        }
        Q_EMIT healthChanged();
    });
}

void RelayClient::fetchRegistry()
{
    QNetworkReply *reply
        = m_network.get(QNetworkRequest(httpUrlFor(m_url, QStringLiteral("/commands.json"))));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        QString error;
        std::optional<CommandRegistry> fetched;
        if (reply->error() == QNetworkReply::NoError)
            fetched = CommandRegistry::fromJson(reply->readAll(), &error);
        else
            error = reply->errorString();
        if (fetched && !fetched->isEmpty()) {
            m_registry = *fetched;
            Q_EMIT logEvent(LogModel::Info, QStringLiteral("relay"),
                            tr("Loaded %1 commands from the relay's /commands.json").arg(fetched->size()));
        } else {
            m_registry = CommandRegistry::builtIn();
            Q_EMIT logEvent(
                LogModel::Warning, QStringLiteral("relay"),
                tr("Using the built-in command list; /commands.json unavailable (%1)").arg(error));
        }
        Q_EMIT registryChanged();
    });
}

} // namespace GroupLoop
