#include "oscreader.h"

#include <QtEndian>

#include <cstring>

namespace GroupLoop::Osc {

namespace {

constexpr QByteArrayView BundleTag("#bundle\0", 8);

class Reader
{
public:
    explicit Reader(QByteArrayView data)
        : m_data(data)
    {
    }

    QString error() const { return m_error; }

    bool packet(qsizetype begin, qsizetype end, int depth, Packet *out)
    {
        if ((end - begin) % 4 != 0)
            return fail(begin, QStringLiteral("size %1 is not a multiple of 4").arg(end - begin));
        if (begin == end)
            return fail(begin, QStringLiteral("empty packet"));
        if (++m_elements > MaxPacketElements)
            return fail(begin, QStringLiteral("more than %1 messages and bundles").arg(MaxPacketElements));
        if (m_data.sliced(begin, end - begin).startsWith(BundleTag))
            return bundle(begin, end, depth, out);
        if (m_data[begin] == '/')
            return message(begin, end, &out->message);
        return fail(begin, QStringLiteral("neither a message (an address starting with '/') nor a bundle"));
    }

private:
    bool fail(qsizetype at, const QString &why)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("byte %1: %2").arg(at).arg(why);
        return false;
    }

    bool bundle(qsizetype pos, qsizetype end, int depth, Packet *out)
    {
        if (depth >= MaxBundleDepth)
            return fail(pos, QStringLiteral("bundles nested deeper than %1").arg(MaxBundleDepth));
        pos += BundleTag.size();
        if (end - pos < 8)
            return fail(pos, QStringLiteral("bundle has no time tag"));
        out->isBundle = true;
        out->time = TimeTag {qFromBigEndian<quint64>(m_data.data() + pos)};
        pos += 8;
        while (pos < end) {
            if (end - pos < 4)
                return fail(pos, QStringLiteral("bundle element has no size"));
            const qint32 size = qFromBigEndian<qint32>(m_data.data() + pos);
            if (size <= 0 || size % 4 != 0)
                return fail(
                    pos, QStringLiteral("bundle element size %1 is not a positive multiple of 4").arg(size));
            if (size > end - pos - 4)
                return fail(pos,
                            QStringLiteral("bundle element of %1 bytes runs past the end (%2 left)")
                                .arg(size)
                                .arg(end - pos - 4));
            out->elements.emplace_back();
            if (!packet(pos + 4, pos + 4 + size, depth + 1, &out->elements.back()))
                return false;
            pos += 4 + size;
        }
        return true;
    }

    bool string(qsizetype *pos, qsizetype end, const QString &what, QByteArrayView *out)
    {
        const char *begin = m_data.data() + *pos;
        const void *nul = std::memchr(begin, 0, size_t(end - *pos));
        if (!nul)
            return fail(*pos, what + QStringLiteral(" has no terminating NUL"));
        const qsizetype length = static_cast<const char *>(nul) - begin;
        const qsizetype next = *pos + padded(length + 1);
        if (next > end)
            return fail(*pos, what + QStringLiteral(" padding runs past the end"));
        for (qsizetype i = *pos + length + 1; i < next; ++i) {
            if (m_data[i] != 0)
                return fail(i, what + QStringLiteral(" padding is not NUL"));
        }
        *out = QByteArrayView(begin, length);
        *pos = next;
        return true;
    }

    bool message(qsizetype pos, qsizetype end, Message *out)
    {
        QByteArrayView address;
        const qsizetype addressAt = pos;
        if (!string(&pos, end, QStringLiteral("address"), &address))
            return false;
        for (qsizetype i = 0; i < address.size(); ++i) {
            const auto c = quint8(address[i]);
            if (c <= 0x20 || c >= 0x7f)
                return fail(addressAt + i,
                            QStringLiteral("address has a byte 0x%1 (only printable ASCII without spaces)")
                                .arg(c, 2, 16, QLatin1Char('0')));
        }
        out->address = address.toByteArray();
        if (pos == end)
            return fail(pos, QStringLiteral("no type tag string after the address"));
        QByteArrayView tags;
        const qsizetype tagsAt = pos;
        if (!string(&pos, end, QStringLiteral("type tag string"), &tags))
            return false;
        if (tags.isEmpty() || tags[0] != ',')
            return fail(tagsAt, QStringLiteral("type tag string does not start with ','"));
        out->arguments.reserve(tags.size() - 1);
        for (qsizetype i = 1; i < tags.size(); ++i) {
            if (!argument(tags[i], int(i), &pos, end, out))
                return false;
        }
        if (pos != end)
            return fail(pos, QStringLiteral("%1 bytes after the last argument").arg(end - pos));
        return true;
    }

    bool need(qsizetype pos, qsizetype end, qsizetype bytes, char tag, int index)
    {
        if (end - pos >= bytes)
            return true;
        return fail(pos,
                    QStringLiteral("argument %1 ('%2') runs past the end").arg(index).arg(QLatin1Char(tag)));
    }

    bool argument(char tag, int index, qsizetype *pos, qsizetype end, Message *out)
    {
        const char *at = m_data.data() + *pos;
        switch (tag) {
        case Argument::Int32:
        case Argument::Float32:
        case Argument::Char:
        case Argument::Rgba:
        case Argument::Midi: {
            if (!need(*pos, end, 4, tag, index))
                return false;
            const quint32 bits = qFromBigEndian<quint32>(at);
            *pos += 4;
            if (tag == Argument::Int32) {
                out->arguments.append(Argument::int32(qint32(bits)));
            } else if (tag == Argument::Float32) {
                float value;
                std::memcpy(&value, &bits, 4);
                out->arguments.append(Argument::float32(value));
            } else if (tag == Argument::Char) {
                out->arguments.append(Argument::characterWord(bits));
            } else {
                out->arguments.append(tag == Argument::Rgba ? Argument::rgba(bits) : Argument::midi(bits));
            }
            return true;
        }
        case Argument::Int64:
        case Argument::Double:
        case Argument::Time: {
            if (!need(*pos, end, 8, tag, index))
                return false;
            const quint64 bits = qFromBigEndian<quint64>(at);
            *pos += 8;
            if (tag == Argument::Double) {
                double value;
                std::memcpy(&value, &bits, 8);
                out->arguments.append(Argument::float64(value));
            } else {
                out->arguments.append(tag == Argument::Int64 ? Argument::int64(qint64(bits))
                                                             : Argument::timeTag(TimeTag {bits}));
            }
            return true;
        }
        case Argument::String:
        case Argument::Symbol: {
            QByteArrayView text;
            if (!string(pos, end, QStringLiteral("argument %1 ('%2')").arg(index).arg(QLatin1Char(tag)),
                        &text))
                return false;
            out->arguments.append(tag == Argument::String ? Argument::string(text.toByteArray())
                                                          : Argument::symbol(text.toByteArray()));
            return true;
        }
        case Argument::Blob: {
            if (!need(*pos, end, 4, tag, index))
                return false;
            const qint32 size = qFromBigEndian<qint32>(at);
            if (size < 0 || padded(size) > end - *pos - 4)
                return fail(
                    *pos,
                    QStringLiteral("argument %1 (blob of %2 bytes) runs past the end").arg(index).arg(size));
            const qsizetype dataAt = *pos + 4;
            for (qsizetype i = dataAt + size; i < dataAt + padded(size); ++i) {
                if (m_data[i] != 0)
                    return fail(i, QStringLiteral("argument %1 (blob) padding is not NUL").arg(index));
            }
            out->arguments.append(Argument::blob(m_data.sliced(dataAt, size).toByteArray()));
            *pos = dataAt + padded(size);
            return true;
        }
        case Argument::True:
        case Argument::False:
            out->arguments.append(Argument::boolean(tag == Argument::True));
            return true;
        case Argument::Nil:
            out->arguments.append(Argument::nil());
            return true;
        case Argument::Impulse:
            out->arguments.append(Argument::impulse());
            return true;
        case '[':
        case ']':
            return fail(*pos, QStringLiteral("arrays ('[' and ']' type tags) are not supported"));
        default:
            return fail(*pos,
                        QStringLiteral("unknown type tag 0x%1 for argument %2")
                            .arg(quint8(tag), 2, 16, QLatin1Char('0'))
                            .arg(index));
        }
    }

    QByteArrayView m_data;
    QString m_error;
    int m_elements = 0;
};

} // namespace

std::optional<Packet> parse(QByteArrayView datagram, QString *error)
{
    Reader reader(datagram);
    Packet packet;
    if (!reader.packet(0, datagram.size(), 0, &packet)) {
        if (error)
            *error = reader.error();
        return std::nullopt;
    }
    return packet;
}

} // namespace GroupLoop::Osc
