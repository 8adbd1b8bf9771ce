// OSC encoding. Writer appends the pieces of a message to a byte array; DatagramPacker puts
// the messages of one tick into UDP datagrams of a bounded size, each a bundle (or one message
// per datagram for receivers that do not unpack bundles). The default scheme and the mappings
// write straight into the packer, so a tick costs no Message objects (docs/outputs.md, limits).
#pragma once

#include "oscmessage.h"

#include <QByteArray>
#include <QByteArrayView>

#include <vector>

namespace GroupLoop::Osc {

class Writer
{
public:
    explicit Writer(QByteArray *out)
        : m_out(out)
    {
    }

    void string(QByteArrayView text); // text, then 1 to 4 NULs
    void typeTags(QByteArrayView tags); // "fff" is written as ",fff" plus padding
    void int32(qint32 value);
    void uint32(quint32 value);
    void float32(float value);
    void int64(qint64 value);
    void float64(double value);
    void timeTag(TimeTag time);
    void blob(QByteArrayView bytes); // size, bytes, padding
    void argument(const Argument &argument); // the data of one argument (none for T, F, N, I)
    void message(const Message &message);
    void packet(const Packet &packet); // a message, or a bundle with its elements

private:
    QByteArray *m_out;
};

QByteArray encode(const Message &message);
QByteArray encode(const Packet &packet);

class DatagramPacker
{
public:
    // 1,400 bytes fit an Ethernet MTU of 1,500 less IPv6 (40), UDP (8) and room for a tunnel
    // (PPPoE, VPN) without IP fragmentation, which loses the whole datagram with any fragment.
    static constexpr int DefaultMaxBytes = 1400;
    static constexpr int MinMaxBytes = 512; // every message we build fits in this
    static constexpr int MaxMaxBytes = 65000; // UDP's limit is 65,507 over IPv4
    static constexpr int BundleHeaderBytes = 16; // "#bundle\0" and the time tag

    explicit DatagramPacker(int maxBytes = DefaultMaxBytes, bool bundled = true);

    int maxBytes() const { return m_maxBytes; }
    bool bundled() const { return m_bundled; }

    // Starts a message; write its arguments with the returned writer, then call endMessage().
    Writer &beginMessage(QByteArrayView address, QByteArrayView typeTags);
    void endMessage();
    void addMessage(const Message &message);

    int messageCount() const { return m_messages; }
    // The finished datagrams; the packer is empty afterwards and may be reused.
    std::vector<QByteArray> take();

private:
    void startBundle();
    void finishCurrent();

    int m_maxBytes;
    bool m_bundled;
    QByteArray m_current;
    Writer m_writer {&m_current};
    qsizetype m_messageStart = -1; // offset of the open message's size field (bundled)
    int m_inCurrent = 0; // messages in m_current
    int m_messages = 0; // since the last take()
    std::vector<QByteArray> m_done;
};

} // namespace GroupLoop::Osc
