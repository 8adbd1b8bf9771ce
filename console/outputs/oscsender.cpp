#include "oscsender.h"

#include "outputslogging.h"

#include <QHostInfo>
#include <QUdpSocket>

namespace GroupLoop {

OscSender::OscSender(QObject *parent)
    : QObject(parent)
{
    m_retry.setInterval(RetryMs);
    connect(&m_retry, &QTimer::timeout, this, &OscSender::retryFailed);
}

OscSender::~OscSender()
{
    for (const auto &slot : m_destinations) {
        if (slot->lookupId >= 0)
            QHostInfo::abortHostLookup(slot->lookupId);
    }
}

void OscSender::setDestinations(const QList<OscDestination> &destinations)
{
    std::vector<std::unique_ptr<Slot>> next;
    for (const OscDestination &config : destinations) {
        auto same = std::find_if(m_destinations.begin(), m_destinations.end(),
                                 [&](const std::unique_ptr<Slot> &slot) {
                                     return slot && slot->state.config.host == config.host
                                         && slot->state.config.port == config.port;
                                 });
        if (same != m_destinations.end()) {
            (*same)->state.config = config; // the flags may have changed
            next.push_back(std::move(*same));
            continue;
        }
        auto slot = std::make_unique<Slot>();
        slot->state.config = config;
        slot->socket = std::make_unique<QUdpSocket>();
        next.push_back(std::move(slot));
    }
    for (const auto &gone : m_destinations) {
        if (gone && gone->lookupId >= 0)
            QHostInfo::abortHostLookup(gone->lookupId);
    }
    m_destinations = std::move(next);
    for (const auto &slot : m_destinations) {
        if (slot->state.address.isNull() && slot->lookupId < 0)
            resolve(*slot);
    }
    Q_EMIT destinationsChanged();
}

QList<OscDestination> OscSender::configs() const
{
    QList<OscDestination> out;
    for (const auto &slot : m_destinations)
        out.append(slot->state.config);
    return out;
}

int OscSender::indexOf(const Slot *slot) const
{
    for (size_t i = 0; i < m_destinations.size(); ++i) {
        if (m_destinations[i].get() == slot)
            return int(i);
    }
    return -1;
}

void OscSender::setStatus(Slot &slot, Status status, const QString &text)
{
    if (slot.state.status == status && slot.state.statusText == text)
        return;
    if (status == Status::Error)
        qCWarning(lcOutputs, "OSC destination %s: %s", qPrintable(slot.state.config.label()),
                  qPrintable(text));
    slot.state.status = status;
    slot.state.statusText = text;
    Q_EMIT statusChanged(indexOf(&slot));
}

void OscSender::resolve(Slot &slot)
{
    const QString host = slot.state.config.host;
    const QHostAddress literal(host);
    if (!literal.isNull()) {
        slot.state.address = literal;
        setStatus(slot, Status::Sending, sendingText(slot.state));
        return;
    }
    setStatus(slot, Status::Resolving, QStringLiteral("resolving ") + host);
    slot.lookupId = QHostInfo::lookupHost(host, this, [this](const QHostInfo &info) {
        // Found by the lookup's id: a destination removed meanwhile had its lookup aborted, and
        // a result already queued for it matches nobody.
        const auto it
            = std::find_if(m_destinations.begin(), m_destinations.end(),
                           [&](const std::unique_ptr<Slot> &s) { return s->lookupId == info.lookupId(); });
        if (it == m_destinations.end())
            return;
        Slot *target = it->get();
        target->lookupId = -1;
        const QList<QHostAddress> addresses = info.addresses();
        if (info.error() != QHostInfo::NoError || addresses.isEmpty()) {
            const QString why
                = info.error() != QHostInfo::NoError ? info.errorString() : QStringLiteral("no address");
            setStatus(*target, Status::Error,
                      QStringLiteral("error: cannot resolve %1: %2 (retrying every %3 s)")
                          .arg(target->state.config.host, why)
                          .arg(RetryMs / 1000));
            if (!m_retry.isActive())
                m_retry.start();
            return;
        }
        // Prefer IPv4: show machines on a LAN often have link-local IPv6 that receivers ignore.
        auto v4 = std::find_if(addresses.begin(), addresses.end(), [](const QHostAddress &a) {
            return a.protocol() == QAbstractSocket::IPv4Protocol;
        });
        target->state.address = v4 != addresses.end() ? *v4 : addresses.first();
        setStatus(*target, Status::Sending, sendingText(target->state));
    });
}

void OscSender::retryFailed()
{
    bool waiting = false;
    for (const auto &slot : m_destinations) {
        if (slot->state.address.isNull() && slot->lookupId < 0) {
            resolve(*slot);
            waiting = true;
        }
    }
    if (!waiting)
        m_retry.stop();
}

bool OscSender::wants(bool bundled) const
{
    return std::any_of(m_destinations.begin(), m_destinations.end(),
                       [bundled](const std::unique_ptr<Slot> &slot) {
                           const OscDestination &config = slot->state.config;
                           return !slot->state.address.isNull() && config.bundles == bundled
                               && (config.defaultScheme || config.mappings);
                       });
}

bool OscSender::wantsDefaultScheme() const
{
    return std::any_of(m_destinations.begin(), m_destinations.end(), [](const std::unique_ptr<Slot> &slot) {
        return !slot->state.address.isNull() && slot->state.config.defaultScheme;
    });
}

bool OscSender::wantsMapped() const
{
    return std::any_of(m_destinations.begin(), m_destinations.end(), [](const std::unique_ptr<Slot> &slot) {
        return !slot->state.address.isNull() && slot->state.config.mappings;
    });
}

int OscSender::send(const OscTickDatagrams &bundled, const OscTickDatagrams &plain)
{
    int sent = 0;
    for (const auto &slot : m_destinations) {
        if (slot->state.address.isNull())
            continue;
        const OscDestination &config = slot->state.config;
        const OscTickDatagrams &packed = config.bundles ? bundled : plain;
        if (config.defaultScheme)
            sent += sendAll(*slot, packed.defaultScheme);
        if (config.mappings)
            sent += sendAll(*slot, packed.mapped);
    }
    return sent;
}

int OscSender::sendAll(Slot &slot, const std::vector<QByteArray> &datagrams)
{
    int sent = 0;
    QString failure;
    for (const QByteArray &datagram : datagrams) {
        if (slot.socket->writeDatagram(datagram, slot.state.address, slot.state.config.port) < 0) {
            ++slot.state.dropped;
            // A full send buffer only drops (counted); anything else is the destination's status.
            if (slot.socket->error() != QAbstractSocket::TemporaryError)
                failure = slot.socket->errorString();
            continue;
        }
        ++sent;
        ++slot.state.datagrams;
        slot.state.bytes += quint64(datagram.size());
    }
    if (!failure.isEmpty())
        setStatus(slot, Status::Error, QStringLiteral("error: ") + failure);
    else if (sent > 0 && slot.state.status == Status::Error)
        setStatus(slot, Status::Sending, sendingText(slot.state));
    return sent;
}

QString OscSender::sendingText(const Destination &destination)
{
    const QString label = destination.config.label();
    if (QHostAddress(destination.config.host) == destination.address)
        return QStringLiteral("sending to ") + label;
    return QStringLiteral("sending to %1 (%2)").arg(label, destination.address.toString());
}

} // namespace GroupLoop
