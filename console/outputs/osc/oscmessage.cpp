#include "oscmessage.h"

#include <QChar>

namespace GroupLoop::Osc {

namespace {
constexpr qint64 NtpToUnixSeconds = 2208988800LL; // 1900-01-01 to 1970-01-01
}

TimeTag TimeTag::fromMsecsSinceEpoch(qint64 ms)
{
    qint64 seconds = ms / 1000;
    qint64 rest = ms % 1000;
    if (rest < 0) {
        rest += 1000;
        --seconds;
    }
    const quint64 fraction = (quint64(rest) << 32) / 1000;
    return TimeTag {quint64(seconds + NtpToUnixSeconds) << 32 | fraction};
}

qint64 TimeTag::toMsecsSinceEpoch() const
{
    const qint64 seconds = qint64(ntp >> 32) - NtpToUnixSeconds;
    const qint64 ms = qint64(((ntp & 0xffffffffULL) * 1000 + 0x80000000ULL) >> 32);
    return seconds * 1000 + ms;
}

bool Argument::isKnownType(char tag)
{
    switch (tag) {
    case Int32:
    case Float32:
    case String:
    case Blob:
    case Int64:
    case Double:
    case Time:
    case Symbol:
    case Char:
    case Rgba:
    case Midi:
    case True:
    case False:
    case Nil:
    case Impulse:
        return true;
    default:
        return false;
    }
}

std::optional<QString> Argument::toText() const
{
    switch (m_type) {
    case Int32:
    case Int64:
        return QString::number(m_integer);
    case Float32:
        return QString::number(m_real, 'g', 7); // a float's precision: 0.1f reads "0.1"
    case Double:
        return QString::number(m_real, 'g', 15);
    case String:
    case Symbol:
        return QString::fromUtf8(m_bytes);
    case Char:
        return QString(QChar(char16_t(m_integer & 0xff)));
    case True:
        return QStringLiteral("true");
    case False:
        return QStringLiteral("false");
    default:
        return std::nullopt;
    }
}

bool operator==(const Argument &a, const Argument &b)
{
    // Reals compare by their bits (held in m_integer): a NaN that round-trips equals itself.
    return a.m_type == b.m_type && a.m_integer == b.m_integer && a.m_bytes == b.m_bytes;
}

QByteArray Message::typeTags() const
{
    QByteArray tags(arguments.size() + 1, Qt::Uninitialized);
    tags[0] = ',';
    for (qsizetype i = 0; i < arguments.size(); ++i)
        tags[i + 1] = char(arguments[i].type());
    return tags;
}

Packet Packet::fromMessage(Message message)
{
    Packet packet;
    packet.message = std::move(message);
    return packet;
}

Packet Packet::bundle(TimeTag time, std::vector<Packet> elements)
{
    Packet packet;
    packet.isBundle = true;
    packet.time = time;
    packet.elements = std::move(elements);
    return packet;
}

namespace {
void collect(const Packet &packet, QList<Message> *into)
{
    if (!packet.isBundle) {
        into->append(packet.message);
        return;
    }
    for (const Packet &element : packet.elements)
        collect(element, into);
}
} // namespace

QList<Message> Packet::messages() const
{
    QList<Message> out;
    collect(*this, &out);
    return out;
}

bool operator==(const Packet &a, const Packet &b)
{
    if (a.isBundle != b.isBundle)
        return false;
    if (!a.isBundle)
        return a.message == b.message;
    return a.time == b.time && a.elements == b.elements;
}

} // namespace GroupLoop::Osc
