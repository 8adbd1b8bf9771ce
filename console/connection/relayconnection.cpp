#include "relayconnection.h"

#include "clock.h"
#include "inboundmessage.h"
#include "logmodel.h"
#include "protocol.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace GroupLoop {

namespace {
constexpr int KeepAliveMs = 10000;
constexpr int StatsMs = 1000;
} // namespace

int RelayConnection::backoffDelayMs(const Backoff &backoff, int attempt, double unit)
{
    const double base
        = std::min<double>(backoff.maxMs, backoff.initialMs * std::pow(2.0, std::max(0, attempt - 1)));
    const double factor = 1.0 + backoff.jitter * (2.0 * unit - 1.0);
    return std::max(50, int(std::lround(base * factor)));
}

int RelayConnection::parseFrames(QStringView text, qint64 atMs, std::vector<TimedFrame> &out)
{
    return forEachFrameLine(text, [&](quint16, QStringView line) {
        if (const auto frame = SensorFrame::parse(line))
            out.push_back(TimedFrame {*frame, atMs});
    });
}

RelayConnection::RelayConnection(std::shared_ptr<FrameIngest> ingest, QObject *parent)
    : QObject(parent)
    , m_ingest(std::move(ingest))
    , m_retryTimer(this) // parented so moveToThread() takes the timers along
    , m_keepAlive(this)
    , m_statsTimer(this)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &RelayConnection::startSocket);
    m_keepAlive.setInterval(KeepAliveMs);
    connect(&m_keepAlive, &QTimer::timeout, this, [this] {
        if (!m_socket)
            return;
        if (m_awaitingPong) {
            Q_EMIT event(
                LogModel::Warning,
                tr("The relay did not answer a ping within %1 s; reconnecting").arg(KeepAliveMs / 1000));
            m_socket->abort();
            return;
        }
        m_awaitingPong = true;
        m_socket->ping();
    });
    m_statsTimer.setInterval(StatsMs);
    connect(&m_statsTimer, &QTimer::timeout, this,
            [this] { Q_EMIT messageStats(m_messages, m_frames, m_junk); });
    m_batch.reserve(4096);
}

RelayConnection::~RelayConnection()
{
    m_wanted = false;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
    }
}

void RelayConnection::setBackoff(int initialMs, int maxMs)
{
    m_backoff.initialMs = std::max(10, initialMs);
    m_backoff.maxMs = std::max(m_backoff.initialMs, maxMs);
}

void RelayConnection::setState(State state, const QString &detail, int retryInMs)
{
    m_state = state;
    Q_EMIT stateChanged(state, detail, retryInMs);
}

void RelayConnection::open(const QUrl &url)
{
    close();
    if (!url.isValid() || (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss"))
        || url.host().isEmpty()) {
        setState(State::Failed, tr("'%1' is not a ws:// or wss:// URL").arg(url.toString()));
        return;
    }
    m_url = url;
    m_wanted = true;
    m_attempt = 0;
    startSocket();
    m_statsTimer.start();
}

void RelayConnection::close()
{
    m_wanted = false;
    m_retryTimer.stop();
    m_keepAlive.stop();
    if (m_socket) {
        QWebSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        socket->close();
        socket->deleteLater();
    }
    failPending(tr("disconnected before the relay replied"));
    if (m_state != State::Disconnected && m_state != State::Failed)
        setState(State::Disconnected);
}

void RelayConnection::reconnectNow()
{
    if (!m_wanted)
        return;
    m_retryTimer.stop();
    m_attempt = 0;
    if (!m_socket)
        startSocket();
}

void RelayConnection::startSocket()
{
    if (!m_wanted)
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_attempt = 0;
        m_awaitingPong = false;
        m_keepAlive.start();
        setState(State::Connected, m_url.toString());
        m_socket->sendTextMessage(QStringLiteral("s"));
    });
    connect(m_socket, &QWebSocket::disconnected, this, &RelayConnection::handleDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &RelayConnection::handleText);
    connect(m_socket, &QWebSocket::pong, this, [this] { m_awaitingPong = false; });
    setState(State::Connecting, m_url.toString());
    m_socket->open(m_url);
}

void RelayConnection::handleDisconnected()
{
    QWebSocket *socket = m_socket;
    if (!socket)
        return;
    QString reason = socket->errorString();
    if (socket->error() == QAbstractSocket::UnknownSocketError || reason.isEmpty())
        reason = socket->closeReason().isEmpty()
            ? tr("the relay closed the connection (code %1)").arg(int(socket->closeCode()))
            : socket->closeReason();
    m_socket = nullptr;
    socket->disconnect(this);
    socket->deleteLater();
    m_keepAlive.stop();
    failPending(tr("connection lost before the relay replied"));
    if (m_wanted)
        scheduleReconnect(reason);
    else
        setState(State::Disconnected, reason);
}

void RelayConnection::scheduleReconnect(const QString &reason)
{
    ++m_attempt;
    const int delay = backoffDelayMs(m_backoff, m_attempt, QRandomGenerator::global()->generateDouble());
    m_retryTimer.start(delay);
    setState(State::Reconnecting, reason, delay);
}

void RelayConnection::failPending(const QString &reason)
{
    while (!m_pending.isEmpty())
        Q_EMIT commandFailed(m_pending.dequeue(), reason);
}

void RelayConnection::sendCommand(quint64 token, const QString &text)
{
    if (!m_socket || (m_state != State::Connected && m_state != State::Subscribed)) {
        Q_EMIT commandFailed(token, tr("not connected to a relay"));
        return;
    }
    m_pending.enqueue(token);
    m_socket->sendTextMessage(text);
}

void RelayConnection::handleText(const QString &text)
{
    ++m_messages;
    if (text.startsWith(QLatin1String("cmd:"))) {
        if (m_pending.isEmpty()) {
            Q_EMIT event(LogModel::Warning, tr("Reply with no command waiting for it: %1").arg(text));
            return;
        }
        Q_EMIT commandReplied(m_pending.dequeue(), text);
        return;
    }
    if (text == Protocol::streamOn()) {
        setState(State::Subscribed, m_url.toString());
        return;
    }
    if (text == Protocol::greeting()) {
        Q_EMIT event(LogModel::Info, tr("Relay says: %1").arg(text));
        return;
    }
    if (text == Protocol::pong() || text == Protocol::idOk() || text == Protocol::idError())
        return;

    m_batch.clear();
    const int junk = parseFrames(text, Clock::nowMs(), m_batch);
    if (!m_batch.empty()) {
        m_ingest->push(m_batch);
        m_frames += m_batch.size();
    }
    if (junk) {
        m_junk += quint64(junk);
        m_ingest->countMalformed(junk);
        if (m_junk <= 20) // say it, but do not flood the log with a misbehaving relay
            Q_EMIT event(LogModel::Warning,
                         tr("Ignored %1 lines that are not sensor frames: %2").arg(junk).arg(text.left(80)));
    }
}

} // namespace GroupLoop
