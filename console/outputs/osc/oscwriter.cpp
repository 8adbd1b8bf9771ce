#include "oscwriter.h"

#include <QtEndian>

#include <cstring>

namespace GroupLoop::Osc {

namespace {
constexpr char Zeros[4] = {0, 0, 0, 0};

void putBigEndian32(char *at, quint32 value)
{
    qToBigEndian(value, at);
}
} // namespace

void Writer::string(QByteArrayView text)
{
    m_out->append(text.data(), text.size());
    m_out->append(Zeros, padded(text.size() + 1) - text.size());
}

void Writer::typeTags(QByteArrayView tags)
{
    m_out->append(',');
    m_out->append(tags.data(), tags.size());
    m_out->append(Zeros, padded(tags.size() + 2) - tags.size() - 1);
}

void Writer::int32(qint32 value)
{
    uint32(quint32(value));
}

void Writer::uint32(quint32 value)
{
    char bytes[4];
    putBigEndian32(bytes, value);
    m_out->append(bytes, 4);
}

void Writer::float32(float value)
{
    quint32 bits;
    std::memcpy(&bits, &value, 4);
    uint32(bits);
}

void Writer::int64(qint64 value)
{
    char bytes[8];
    qToBigEndian(quint64(value), bytes);
    m_out->append(bytes, 8);
}

void Writer::float64(double value)
{
    quint64 bits;
    std::memcpy(&bits, &value, 8);
    int64(qint64(bits));
}

void Writer::timeTag(TimeTag time)
{
    int64(qint64(time.ntp));
}

void Writer::blob(QByteArrayView bytes)
{
    int32(qint32(bytes.size()));
    m_out->append(bytes.data(), bytes.size());
    m_out->append(Zeros, padded(bytes.size()) - bytes.size());
}

void Writer::argument(const Argument &argument)
{
    switch (argument.type()) {
    case Argument::Int32:
    case Argument::Char:
    case Argument::Rgba:
    case Argument::Midi:
        uint32(quint32(argument.toInteger()));
        break;
    case Argument::Float32:
        uint32(quint32(argument.realBits()));
        break;
    case Argument::String:
    case Argument::Symbol:
        string(argument.bytes());
        break;
    case Argument::Blob:
        blob(argument.bytes());
        break;
    case Argument::Int64:
        int64(argument.toInteger());
        break;
    case Argument::Double:
        int64(qint64(argument.realBits()));
        break;
    case Argument::Time:
        timeTag(argument.toTimeTag());
        break;
    case Argument::True:
    case Argument::False:
    case Argument::Nil:
    case Argument::Impulse:
        break; // the type tag is the whole value
    }
}

void Writer::message(const Message &message)
{
    string(message.address);
    const QByteArray tags = message.typeTags();
    m_out->append(tags);
    m_out->append(Zeros, padded(tags.size() + 1) - tags.size());
    for (const Argument &argument : message.arguments)
        this->argument(argument);
}

void Writer::packet(const Packet &packet)
{
    if (!packet.isBundle) {
        message(packet.message);
        return;
    }
    string("#bundle");
    timeTag(packet.time);
    for (const Packet &element : packet.elements) {
        const qsizetype sizeAt = m_out->size();
        m_out->append(Zeros, 4);
        this->packet(element);
        putBigEndian32(m_out->data() + sizeAt, quint32(m_out->size() - sizeAt - 4));
    }
}

QByteArray encode(const Message &message)
{
    QByteArray out;
    Writer(&out).message(message);
    return out;
}

QByteArray encode(const Packet &packet)
{
    QByteArray out;
    Writer(&out).packet(packet);
    return out;
}

DatagramPacker::DatagramPacker(int maxBytes, bool bundled)
    : m_maxBytes(qBound(MinMaxBytes, maxBytes, MaxMaxBytes))
    , m_bundled(bundled)
{
}

void DatagramPacker::startBundle()
{
    m_current.reserve(m_maxBytes + 256);
    m_writer.string("#bundle");
    m_writer.timeTag(TimeTag::immediately());
}

Writer &DatagramPacker::beginMessage(QByteArrayView address, QByteArrayView typeTags)
{
    Q_ASSERT(m_messageStart < 0);
    if (m_bundled) {
        if (m_current.isEmpty())
            startBundle();
        m_messageStart = m_current.size();
        m_current.append(Zeros, 4);
    } else {
        m_messageStart = 0;
    }
    m_writer.string(address);
    m_writer.typeTags(typeTags);
    return m_writer;
}

void DatagramPacker::endMessage()
{
    Q_ASSERT(m_messageStart >= 0);
    ++m_messages;
    if (!m_bundled) {
        m_done.push_back(std::move(m_current));
        m_current = QByteArray();
        m_messageStart = -1;
        return;
    }
    putBigEndian32(m_current.data() + m_messageStart, quint32(m_current.size() - m_messageStart - 4));
    if (m_current.size() > m_maxBytes && m_inCurrent > 0) {
        // It did not fit: the bundle so far goes out, this message opens the next one.
        const QByteArray element = m_current.mid(m_messageStart);
        m_current.truncate(m_messageStart);
        finishCurrent();
        startBundle();
        m_current.append(element);
    }
    ++m_inCurrent;
    m_messageStart = -1;
}

void DatagramPacker::addMessage(const Message &message)
{
    Writer &writer = beginMessage(message.address, message.typeTags().mid(1));
    for (const Argument &argument : message.arguments)
        writer.argument(argument);
    endMessage();
}

void DatagramPacker::finishCurrent()
{
    m_done.push_back(std::move(m_current));
    m_current = QByteArray();
    m_inCurrent = 0;
}

std::vector<QByteArray> DatagramPacker::take()
{
    Q_ASSERT(m_messageStart < 0);
    if (m_inCurrent > 0)
        finishCurrent();
    m_messages = 0;
    return std::exchange(m_done, {});
}

} // namespace GroupLoop::Osc
