#include "osccommandreceiver.h"

#include "clock.h"
#include "oscreader.h"
#include "oscwriter.h"
#include "outputslogging.h"

#include <QMetaMethod>
#include <QNetworkDatagram>

namespace GroupLoop {

namespace {
constexpr int MaxReplyCharacters = 300;

QString endpoint(const QHostAddress &address, quint16 port)
{
    const QString host = address.toString();
    return (address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + host + u']' : host) + u':'
        + QString::number(port);
}
} // namespace

OscCommandReceiver::OscCommandReceiver(QObject *parent)
    : QObject(parent)
    , m_gate(std::make_shared<RegistryCommandGate>())
{
    connect(&m_socket, &QUdpSocket::readyRead, this, &OscCommandReceiver::readPending);
    m_expiry.setInterval(250);
    connect(&m_expiry, &QTimer::timeout, this, &OscCommandReceiver::expire);
}

bool OscCommandReceiver::listen(quint16 port, const QHostAddress &address)
{
    close();
    if (!m_socket.bind(address, port)) {
        m_status = QStringLiteral("error: cannot listen on %1: %2")
                       .arg(endpoint(address, port), m_socket.errorString());
        qCWarning(lcOutputsOscIn, "%s", qPrintable(m_status));
        Q_EMIT statusChanged();
        return false;
    }
    m_status = QStringLiteral("listening on ") + endpoint(address, m_socket.localPort());
    qCInfo(lcOutputsOscIn, "OSC in: %s", qPrintable(m_status));
    Q_EMIT statusChanged();
    return true;
}

void OscCommandReceiver::close()
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState && m_status == u"off")
        return;
    m_socket.close();
    m_pending.clear();
    m_expiry.stop();
    m_status = QStringLiteral("off");
    Q_EMIT statusChanged();
}

void OscCommandReceiver::setGate(std::shared_ptr<const CommandGate> gate)
{
    m_gate = gate ? std::move(gate) : std::make_shared<RegistryCommandGate>();
}

void OscCommandReceiver::readPending()
{
    while (m_socket.hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_socket.receiveDatagram();
        if (!datagram.isValid())
            break;
        ++m_stats.datagrams;
        QString error;
        const auto packet = Osc::parse(datagram.data(), &error);
        if (!packet) {
            refuse(QStringLiteral("error"), QStringLiteral("not an OSC packet: ") + error,
                   datagram.senderAddress(), quint16(datagram.senderPort()), true);
            continue;
        }
        for (const Osc::Message &message : packet->messages())
            handle(message, datagram.senderAddress(), quint16(datagram.senderPort()));
    }
}

void OscCommandReceiver::handle(const Osc::Message &message, const QHostAddress &sender, quint16 senderPort)
{
    QString why;
    const auto request = ShowControl::parse(message, &why);
    if (!request) {
        const bool isCommand = message.address == ShowControl::commandAddress();
        refuse(isCommand ? QStringLiteral("cmd") : QStringLiteral("error"), why, sender, senderPort);
        return;
    }
    const bool isCommand = request->kind == ShowRequest::Kind::Command;
    if (isCommand) {
        if (const auto rejection = m_gate->rejection(request->command, request->params)) {
            refuse(request->label(), QStringLiteral("refused: ") + *rejection, sender, senderPort);
            return;
        }
    }
    const QMetaMethod signal = isCommand ? QMetaMethod::fromSignal(&OscCommandReceiver::commandRequested)
                                         : QMetaMethod::fromSignal(&OscCommandReceiver::selectionRequested);
    if (!isSignalConnected(signal)) {
        refuse(request->label(), QStringLiteral("refused: nothing here carries it out"), sender, senderPort);
        return;
    }
    if (m_pending.size() >= MaxPending) {
        refuse(request->label(),
               QStringLiteral("refused: %1 requests are waiting for an answer").arg(MaxPending), sender,
               senderPort);
        return;
    }
    const int id = m_nextId++;
    m_pending.insert(id, Pending {sender, senderPort, request->label(), Clock::nowMs() + m_answerTimeoutMs});
    if (!m_expiry.isActive())
        m_expiry.start();
    qCInfo(lcOutputsOscIn, "OSC in from %s: %s", qPrintable(endpoint(sender, senderPort)),
           qPrintable(request->label()));
    if (isCommand) {
        ++m_stats.commands;
        Q_EMIT commandRequested(id, request->target, request->command, request->params);
    } else {
        ++m_stats.selections;
        Q_EMIT selectionRequested(id, request->ids);
    }
}

void OscCommandReceiver::refuse(const QString &what, const QString &why, const QHostAddress &sender,
                                quint16 senderPort, bool malformed)
{
    ++(malformed ? m_stats.malformed : m_stats.refused);
    const QString text = what + QStringLiteral(": ") + why;
    qCInfo(lcOutputsOscIn, "OSC in from %s: %s", qPrintable(endpoint(sender, senderPort)), qPrintable(text));
    Q_EMIT problem(QStringLiteral("OSC in from %1: %2").arg(endpoint(sender, senderPort), text));
    send(text, sender, senderPort);
}

void OscCommandReceiver::reply(int requestId, const QString &result)
{
    const auto it = m_pending.constFind(requestId);
    if (it == m_pending.constEnd())
        return; // answered already, or expired
    const Pending pending = *it;
    m_pending.erase(it);
    send(pending.label + QStringLiteral(": ") + result, pending.sender, pending.senderPort);
}

void OscCommandReceiver::send(const QString &text, const QHostAddress &sender, quint16 senderPort)
{
    if (!isListening())
        return;
    // A reply never grows much past the request: no amplification for a spoofed sender.
    const QString bounded
        = text.size() > MaxReplyCharacters ? text.left(MaxReplyCharacters - 3) + QStringLiteral("...") : text;
    m_socket.writeDatagram(Osc::encode(ShowControl::result(bounded)), sender, senderPort);
}

void OscCommandReceiver::expire()
{
    const qint64 now = Clock::nowMs();
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->expiresMs > now) {
            ++it;
            continue;
        }
        const Pending pending = *it;
        it = m_pending.erase(it);
        send(pending.label + QStringLiteral(": no answer within %1 ms").arg(m_answerTimeoutMs),
             pending.sender, pending.senderPort);
    }
    if (m_pending.isEmpty())
        m_expiry.stop();
}

} // namespace GroupLoop
