// Open Sound Control 1.0 values (opensoundcontrol.stanford.edu/spec-1_0.html): a message is an
// address, a type tag string and arguments; a bundle is a time tag and elements, each a message
// or a bundle. These types are what the decoder returns and what the round-trip tests compare; the hot path
// encodes straight into datagrams with Osc::Writer (oscwriter.h).
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstring>
#include <optional>
#include <vector>

namespace GroupLoop::Osc {

// Strings, blobs and type tags are padded with NULs to a multiple of four bytes.
constexpr qsizetype padded(qsizetype size)
{
    return (size + 3) & ~qsizetype(3);
}

// NTP time: seconds since 1900 in the high 32 bits, fraction in the low 32. The value 1 means
// "immediately", which is what every bundle we send carries.
struct TimeTag
{
    quint64 ntp = 1;

    static constexpr TimeTag immediately() { return TimeTag {1}; }
    bool isImmediate() const { return ntp == 1; }
    static TimeTag fromMsecsSinceEpoch(qint64 ms);
    qint64 toMsecsSinceEpoch() const;
    friend bool operator==(TimeTag a, TimeTag b) { return a.ntp == b.ntp; }
    friend bool operator!=(TimeTag a, TimeTag b) { return a.ntp != b.ntp; }
};

class Argument
{
public:
    // The type tag characters of OSC 1.0 plus the common extensions (1.0 spec, "nonstandard").
    enum Type : char {
        Int32 = 'i',
        Float32 = 'f',
        String = 's',
        Blob = 'b',
        Int64 = 'h',
        Double = 'd',
        Time = 't',
        Symbol = 'S',
        Char = 'c',
        Rgba = 'r',
        Midi = 'm',
        True = 'T',
        False = 'F',
        Nil = 'N',
        Impulse = 'I',
    };

    Argument() = default; // Nil
    static Argument int32(qint32 value) { return Argument(Int32, value, 0.0); }
    static Argument float32(float value) { return Argument(Float32, bitsOf(value), double(value)); }
    static Argument string(const QByteArray &utf8) { return Argument(String, utf8); }
    static Argument string(const QString &text) { return Argument(String, text.toUtf8()); }
    static Argument symbol(const QByteArray &utf8) { return Argument(Symbol, utf8); }
    static Argument blob(const QByteArray &bytes) { return Argument(Blob, bytes); }
    static Argument int64(qint64 value) { return Argument(Int64, value, 0.0); }
    static Argument float64(double value) { return Argument(Double, bitsOf(value), value); }
    static Argument timeTag(TimeTag time) { return Argument(Time, qint64(time.ntp), 0.0); }
    static Argument character(char c) { return Argument(Char, quint8(c), 0.0); }
    // A 'c' word as received: the character is its low byte; the rest is kept for a byte-exact
    // round trip.
    static Argument characterWord(quint32 word) { return Argument(Char, word, 0.0); }
    static Argument rgba(quint32 value) { return Argument(Rgba, value, 0.0); }
    static Argument midi(quint32 value) { return Argument(Midi, value, 0.0); }
    static Argument boolean(bool value) { return Argument(value ? True : False, value, 0.0); }
    static Argument nil() { return Argument(); }
    static Argument impulse() { return Argument(Impulse, 0, 0.0); }

    static bool isKnownType(char tag);
    Type type() const { return m_type; }
    qint64 toInteger() const { return m_integer; } // i, h, c, r, m (as unsigned 32), t, T/F as 1/0
    double toReal() const { return m_real; } // f, d
    // The IEEE bits of f (low 32) and d, kept as they came: a round trip is byte-exact, NaNs too.
    quint64 realBits() const { return quint64(m_integer); }
    const QByteArray &bytes() const { return m_bytes; } // s, S (without the NUL), b
    TimeTag toTimeTag() const { return TimeTag {quint64(m_integer)}; }

    // How a show controller's argument reads as command text: numbers in decimal (floats
    // without a trailing ".0"), strings as they are; nullopt for blobs, nil, impulse and time.
    std::optional<QString> toText() const;

    friend bool operator==(const Argument &a, const Argument &b);
    friend bool operator!=(const Argument &a, const Argument &b) { return !(a == b); }

private:
    static qint64 bitsOf(float value)
    {
        quint32 bits;
        std::memcpy(&bits, &value, 4);
        return qint64(bits);
    }
    static qint64 bitsOf(double value)
    {
        quint64 bits;
        std::memcpy(&bits, &value, 8);
        return qint64(bits);
    }
    Argument(Type type, qint64 integer, double real)
        : m_type(type)
        , m_integer(integer)
        , m_real(real)
    {
    }
    Argument(Type type, const QByteArray &bytes)
        : m_type(type)
        , m_bytes(bytes)
    {
    }

    Type m_type = Nil;
    qint64 m_integer = 0;
    double m_real = 0.0;
    QByteArray m_bytes;
};

struct Message
{
    QByteArray address; // starts with '/'
    QList<Argument> arguments;

    QByteArray typeTags() const; // ",ifs..."
    friend bool operator==(const Message &a, const Message &b)
    {
        return a.address == b.address && a.arguments == b.arguments;
    }
};

// A decoded datagram: one message, or a bundle of elements (messages or nested bundles).
struct Packet
{
    bool isBundle = false;
    Message message; // when !isBundle
    TimeTag time; // when isBundle
    std::vector<Packet> elements; // when isBundle

    static Packet fromMessage(Message message);
    static Packet bundle(TimeTag time, std::vector<Packet> elements);
    // Every message in depth-first order, bundles unpacked (what OSC in acts on).
    QList<Message> messages() const;
    friend bool operator==(const Packet &a, const Packet &b);
};

} // namespace GroupLoop::Osc
