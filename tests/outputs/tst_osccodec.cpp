// The OSC codec: every type round-trips, bytes match the OSC 1.0 spec's examples, padding at
// every length, bundles (nested, split into datagrams), and malformed input refused with a reason.
#include "oscreader.h"
#include "oscwriter.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace GroupLoop;
using Osc::Argument;
using Osc::Message;
using Osc::Packet;

Q_DECLARE_METATYPE(Osc::Argument)

namespace {
QByteArray bytes(std::initializer_list<int> values)
{
    QByteArray out;
    for (int v : values)
        out.append(char(v));
    return out;
}

Message message(const QByteArray &address, QList<Argument> arguments = {})
{
    return Message {address, std::move(arguments)};
}
} // namespace

class TestOscCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyTypeRoundTrips_data();
    void everyTypeRoundTrips();
    void specExamplesEncodeExactly();
    void stringPaddingAtEveryLength();
    void blobPaddingAtEveryLength();
    void nestedBundlesRoundTrip();
    void timeTags();
    void packerSplitsUnderTheLimit_data();
    void packerSplitsUnderTheLimit();
    void packerWithoutBundles();
    void malformedInputIsRefused_data();
    void malformedInputIsRefused();
    void everyPrefixIsSafe();
    void argumentsAsText();
};

void TestOscCodec::everyTypeRoundTrips_data()
{
    QTest::addColumn<Argument>("argument");
    QTest::addRow("int32 0") << Argument::int32(0);
    QTest::addRow("int32 -1") << Argument::int32(-1);
    QTest::addRow("int32 max") << Argument::int32(std::numeric_limits<qint32>::max());
    QTest::addRow("int32 min") << Argument::int32(std::numeric_limits<qint32>::min());
    QTest::addRow("float32 0.5") << Argument::float32(0.5f);
    QTest::addRow("float32 -inf") << Argument::float32(-std::numeric_limits<float>::infinity());
    QTest::addRow("float32 nan") << Argument::float32(std::numeric_limits<float>::quiet_NaN());
    QTest::addRow("float32 denormal") << Argument::float32(std::numeric_limits<float>::denorm_min());
    QTest::addRow("string empty") << Argument::string(QByteArray());
    QTest::addRow("string 3") << Argument::string(QByteArrayLiteral("abc"));
    QTest::addRow("string 4") << Argument::string(QByteArrayLiteral("abcd"));
    QTest::addRow("string utf8") << Argument::string(QStringLiteral("grün"));
    QTest::addRow("blob empty") << Argument::blob(QByteArray());
    QTest::addRow("blob 5 with NULs") << Argument::blob(bytes({0, 1, 0, 0xff, 0}));
    QTest::addRow("int64") << Argument::int64(-1234567890123456789LL);
    QTest::addRow("double") << Argument::float64(3.141592653589793);
    QTest::addRow("timetag") << Argument::timeTag(Osc::TimeTag {0x0123456789abcdefULL});
    QTest::addRow("symbol") << Argument::symbol(QByteArrayLiteral("sym"));
    QTest::addRow("char") << Argument::character('x');
    QTest::addRow("rgba") << Argument::rgba(0xff8000ffu);
    QTest::addRow("midi") << Argument::midi(0x00903c64u);
    QTest::addRow("true") << Argument::boolean(true);
    QTest::addRow("false") << Argument::boolean(false);
    QTest::addRow("nil") << Argument::nil();
    QTest::addRow("impulse") << Argument::impulse();
}

void TestOscCodec::everyTypeRoundTrips()
{
    QFETCH(Argument, argument);
    // Alone, and between two int32s so a padding mistake would shift the second one.
    for (const Message &original :
         {message("/a", {argument}),
          message("/grouploop/x", {Argument::int32(7), argument, Argument::int32(9)})}) {
        const QByteArray encoded = Osc::encode(original);
        QCOMPARE(encoded.size() % 4, 0);
        QString error;
        const auto decoded = Osc::parse(encoded, &error);
        QVERIFY2(decoded, qPrintable(error));
        QVERIFY(!decoded->isBundle);
        QCOMPARE(decoded->message.address, original.address);
        QCOMPARE(decoded->message.typeTags(), original.typeTags());
        QVERIFY(decoded->message == original);
        QCOMPARE(Osc::encode(*decoded), encoded);
    }
}

void TestOscCodec::specExamplesEncodeExactly()
{
    // OSC 1.0 spec, "Examples": /oscillator/4/frequency ,f 440.0
    QByteArray expected = QByteArrayLiteral("/oscillator/4/frequency") + QByteArray(1, '\0')
        + QByteArrayLiteral(",f") + QByteArray(2, '\0') + bytes({0x43, 0xdc, 0x00, 0x00});
    QCOMPARE(Osc::encode(message("/oscillator/4/frequency", {Argument::float32(440.0f)})), expected);

    // /foo ,iisff 1000 -1 "hello" 1.234 5.678
    expected = QByteArrayLiteral("/foo") + QByteArray(4, '\0') + QByteArrayLiteral(",iisff")
        + QByteArray(2, '\0') + bytes({0, 0, 0x03, 0xe8, 0xff, 0xff, 0xff, 0xff}) + QByteArrayLiteral("hello")
        + QByteArray(3, '\0') + bytes({0x3f, 0x9d, 0xf3, 0xb6, 0x40, 0xb5, 0xb2, 0x2d});
    QCOMPARE(Osc::encode(message("/foo",
                                 {Argument::int32(1000), Argument::int32(-1),
                                  Argument::string(QByteArrayLiteral("hello")), Argument::float32(1.234f),
                                  Argument::float32(5.678f)})),
             expected);

    // A bundle: "#bundle", time tag, then each element with its size.
    const Packet bundle = Packet::bundle(Osc::TimeTag::immediately(), {Packet::fromMessage(message("/a"))});
    expected = QByteArrayLiteral("#bundle") + QByteArray(1, '\0') + bytes({0, 0, 0, 0, 0, 0, 0, 1})
        + bytes({0, 0, 0, 8}) + QByteArrayLiteral("/a") + QByteArray(2, '\0') + QByteArrayLiteral(",")
        + QByteArray(3, '\0');
    QCOMPARE(Osc::encode(bundle), expected);
}

void TestOscCodec::stringPaddingAtEveryLength()
{
    for (int length = 0; length <= 9; ++length) {
        const QByteArray text(length, 'x');
        const QByteArray encoded = Osc::encode(message("/s", {Argument::string(text)}));
        // "/s\0\0" + ",s\0\0" + text + 1..4 NULs.
        QCOMPARE(encoded.size(), 8 + (length / 4 + 1) * 4);
        QCOMPARE(encoded.back(), '\0');
        const auto decoded = Osc::parse(encoded);
        QVERIFY(decoded);
        QCOMPARE(decoded->message.arguments.value(0).bytes(), text);
    }
    for (int length = 1; length <= 9; ++length) {
        const QByteArray address = '/' + QByteArray(length - 1, 'a');
        const QByteArray encoded = Osc::encode(message(address));
        QCOMPARE(encoded.size(), (length / 4 + 1) * 4 + 4);
        QVERIFY(Osc::parse(encoded));
    }
}

void TestOscCodec::blobPaddingAtEveryLength()
{
    for (int length = 0; length <= 9; ++length) {
        const QByteArray blob(length, '\x7f');
        const QByteArray encoded = Osc::encode(message("/b", {Argument::blob(blob)}));
        QCOMPARE(encoded.size(), 8 + 4 + (length + 3) / 4 * 4);
        const auto decoded = Osc::parse(encoded);
        QVERIFY(decoded);
        QCOMPARE(decoded->message.arguments.value(0).bytes(), blob);
    }
}

void TestOscCodec::nestedBundlesRoundTrip()
{
    const Packet inner = Packet::bundle(
        Osc::TimeTag::fromMsecsSinceEpoch(1700000000123),
        {Packet::fromMessage(message("/inner", {Argument::string(QByteArrayLiteral("x"))}))});
    const Packet outer = Packet::bundle(Osc::TimeTag::immediately(),
                                        {Packet::fromMessage(message("/one", {Argument::int32(1)})), inner,
                                         Packet::fromMessage(message("/two", {Argument::float32(2.0f)}))});
    const QByteArray encoded = Osc::encode(outer);
    QString error;
    const auto decoded = Osc::parse(encoded, &error);
    QVERIFY2(decoded, qPrintable(error));
    QVERIFY(*decoded == outer);
    const QList<Message> messages = decoded->messages();
    QCOMPARE(messages.size(), 3);
    QCOMPARE(messages[0].address, QByteArray("/one"));
    QCOMPARE(messages[1].address, QByteArray("/inner"));
    QCOMPARE(messages[2].address, QByteArray("/two"));

    // An empty bundle is well-formed.
    QVERIFY(Osc::parse(Osc::encode(Packet::bundle(Osc::TimeTag::immediately(), {}))));
}

void TestOscCodec::timeTags()
{
    QVERIFY(Osc::TimeTag::immediately().isImmediate());
    for (qint64 ms : {0LL, 1LL, 999LL, 1700000000123LL, -1LL}) {
        const auto tag = Osc::TimeTag::fromMsecsSinceEpoch(ms);
        QCOMPARE(tag.toMsecsSinceEpoch(), ms);
    }
    // 1970-01-01 is 2,208,988,800 s after the NTP epoch.
    QCOMPARE(Osc::TimeTag::fromMsecsSinceEpoch(0).ntp >> 32, 2208988800ULL);
    QCOMPARE(Osc::TimeTag::fromMsecsSinceEpoch(500).ntp & 0xffffffffULL, 0x80000000ULL);
}

void TestOscCodec::packerSplitsUnderTheLimit_data()
{
    QTest::addColumn<int>("maxBytes");
    QTest::addColumn<int>("messages");
    QTest::addRow("1400 x 500") << 1400 << 500;
    QTest::addRow("512 x 100") << 512 << 100;
    QTest::addRow("one message") << 1400 << 1;
    QTest::addRow("below the minimum is the minimum") << 10 << 50;
}

void TestOscCodec::packerSplitsUnderTheLimit()
{
    QFETCH(int, maxBytes);
    QFETCH(int, messages);
    Osc::DatagramPacker packer(maxBytes);
    for (int i = 0; i < messages; ++i) {
        Osc::Writer &writer
            = packer.beginMessage(QByteArray("/grouploop/" + QByteArray::number(i) + "/accel"), "fff");
        writer.float32(float(i));
        writer.float32(0.5f);
        writer.float32(-1.0f);
        packer.endMessage();
    }
    QCOMPARE(packer.messageCount(), messages);
    const std::vector<QByteArray> datagrams = packer.take();
    QCOMPARE(packer.messageCount(), 0);
    int next = 0;
    for (const QByteArray &datagram : datagrams) {
        QVERIFY2(datagram.size() <= packer.maxBytes(), qPrintable(QString::number(datagram.size())));
        QString error;
        const auto packet = Osc::parse(datagram, &error);
        QVERIFY2(packet, qPrintable(error));
        QVERIFY(packet->isBundle);
        QVERIFY(packet->time.isImmediate());
        QVERIFY(!packet->elements.empty());
        for (const Message &m : packet->messages()) {
            QCOMPARE(m.address, QByteArray("/grouploop/" + QByteArray::number(next) + "/accel"));
            QCOMPARE(m.arguments.value(0).toReal(), double(next));
            ++next;
        }
    }
    QCOMPARE(next, messages);
    // A full datagram is worth sending: each (but the last) is more than half the limit.
    for (size_t i = 0; i + 1 < datagrams.size(); ++i)
        QVERIFY(datagrams[i].size() > packer.maxBytes() / 2);
    QVERIFY(packer.take().empty());
}

void TestOscCodec::packerWithoutBundles()
{
    Osc::DatagramPacker packer(1400, false);
    packer.addMessage(message("/grouploop/devices", {Argument::int32(3)}));
    packer.addMessage(message("/x", {Argument::string(QByteArrayLiteral("y"))}));
    const std::vector<QByteArray> datagrams = packer.take();
    QCOMPARE(datagrams.size(), size_t(2));
    QCOMPARE(datagrams[0], Osc::encode(message("/grouploop/devices", {Argument::int32(3)})));
    const auto second = Osc::parse(datagrams[1]);
    QVERIFY(second && !second->isBundle);
    QCOMPARE(second->message.address, QByteArray("/x"));
}

void TestOscCodec::malformedInputIsRefused_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("reason");
    const QByteArray tagsI = QByteArrayLiteral(",i") + QByteArray(2, '\0');
    QTest::addRow("empty") << QByteArray() << "empty packet";
    QTest::addRow("not a multiple of 4") << QByteArrayLiteral("/ab\0,\0\0\0x") << "not a multiple of 4";
    QTest::addRow("no slash") << QByteArrayLiteral("abc\0,\0\0\0") << "neither a message";
    QTest::addRow("address without NUL") << QByteArrayLiteral("/abc") << "no terminating NUL";
    QTest::addRow("padding not NUL") << QByteArrayLiteral("/a\0x,\0\0\0") << "padding is not NUL";
    QTest::addRow("address with a space")
        << QByteArrayLiteral("/a b\0\0\0\0,\0\0\0") << "byte 2: address has a byte 0x20";
    QTest::addRow("no type tags") << QByteArrayLiteral("/abc\0\0\0\0") << "no type tag string";
    QTest::addRow("type tags without comma")
        << QByteArrayLiteral("/ab\0i\0\0\0\0\0\0\1") << "does not start with ','";
    QTest::addRow("unknown tag") << QByteArrayLiteral("/ab\0,x\0\0") << "unknown type tag 0x78";
    QTest::addRow("array") << QByteArrayLiteral("/ab\0,[i]\0\0\0\0\0\0\0\1") << "arrays";
    QTest::addRow("int past the end")
        << QByteArray(QByteArrayLiteral("/ab\0") + tagsI) << "argument 1 ('i') runs past the end";
    QTest::addRow("trailing bytes") << QByteArray(QByteArrayLiteral("/ab\0") + tagsI
                                                  + bytes({0, 0, 0, 1, 0, 0, 0, 2}))
                                    << "4 bytes after the last argument";
    QTest::addRow("string past the end") << QByteArrayLiteral("/ab\0,s\0\0abcd") << "no terminating NUL";
    QTest::addRow("blob negative") << QByteArray(QByteArrayLiteral("/ab\0,b\0\0")
                                                 + bytes({0xff, 0xff, 0xff, 0xff}))
                                   << "blob of -1 bytes";
    QTest::addRow("blob past the end")
        << QByteArray(QByteArrayLiteral("/ab\0,b\0\0") + bytes({0, 0, 0, 5, 1, 2, 3, 4}))
        << "blob of 5 bytes) runs past the end";
    QTest::addRow("blob padding") << QByteArray(QByteArrayLiteral("/ab\0,b\0\0")
                                                + bytes({0, 0, 0, 1, 1, 2, 0, 0}))
                                  << "blob) padding is not NUL";
    const QByteArray bundleHead = QByteArrayLiteral("#bundle") + QByteArray(1, '\0') + QByteArray(8, '\0');
    QTest::addRow("bundle without time tag")
        << QByteArray(QByteArrayLiteral("#bundle") + QByteArray(1, '\0')) << "bundle has no time tag";
    QTest::addRow("element size zero")
        << QByteArray(bundleHead + bytes({0, 0, 0, 0})) << "not a positive multiple of 4";
    QTest::addRow("element size odd") << QByteArray(bundleHead + bytes({0, 0, 0, 3}) + QByteArray(4, '\0'))
                                      << "not a positive multiple of 4";
    QTest::addRow("element past the end")
        << QByteArray(bundleHead + bytes({0, 0, 0, 16}) + QByteArrayLiteral("/ab\0,\0\0\0"))
        << "bundle element of 16 bytes runs past the end (8 left)";
    QTest::addRow("element is garbage")
        << QByteArray(bundleHead + bytes({0, 0, 0, 4, 'x', 0, 0, 0})) << "byte 20: neither a message";
    QByteArray deep = QByteArrayLiteral("/ab\0,\0\0\0");
    for (int depth = 0; depth <= Osc::MaxBundleDepth; ++depth) {
        const quint32 size = quint32(deep.size());
        deep = bundleHead
            + bytes({int(size >> 24), int(size >> 16 & 0xff), int(size >> 8 & 0xff), int(size & 0xff)})
            + deep;
    }
    QTest::addRow("nested too deep") << deep << "nested deeper than 8";
    QByteArray many = bundleHead;
    for (int i = 0; i <= Osc::MaxPacketElements; ++i)
        many += bytes({0, 0, 0, 8}) + QByteArrayLiteral("/ab\0,\0\0\0");
    QTest::addRow("too many elements") << many << "more than 1024 messages";
}

void TestOscCodec::malformedInputIsRefused()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, reason);
    QString error;
    QVERIFY(!Osc::parse(input, &error));
    QVERIFY2(error.contains(reason), qPrintable(error));
    QVERIFY2(error.startsWith(QStringLiteral("byte ")), qPrintable(error));
}

void TestOscCodec::everyPrefixIsSafe()
{
    const Packet packet = Packet::bundle(
        Osc::TimeTag::immediately(),
        {Packet::fromMessage(message("/a",
                                     {Argument::int32(1), Argument::string(QByteArrayLiteral("hello")),
                                      Argument::blob(bytes({1, 2, 3})), Argument::float64(2.5)})),
         Packet::fromMessage(message("/b", {Argument::boolean(true), Argument::int64(5)}))});
    const QByteArray encoded = Osc::encode(packet);
    int accepted = 0;
    for (qsizetype length = 0; length < encoded.size(); ++length) {
        const QByteArray prefix = encoded.left(length);
        QString error;
        const auto decoded = Osc::parse(prefix, &error);
        if (decoded) {
            // Only a cut between bundle elements leaves a well-formed, shorter bundle.
            QCOMPARE(Osc::encode(*decoded), prefix);
            ++accepted;
        } else {
            QVERIFY(!error.isEmpty());
        }
    }
    QCOMPARE(accepted, 2); // the bundle with no element and with the first one
}

void TestOscCodec::argumentsAsText()
{
    QCOMPARE(Argument::int32(-5).toText(), QStringLiteral("-5"));
    QCOMPARE(Argument::float32(0.1f).toText(), QStringLiteral("0.1"));
    QCOMPARE(Argument::float32(255.0f).toText(), QStringLiteral("255"));
    QCOMPARE(Argument::float64(2.5).toText(), QStringLiteral("2.5"));
    QCOMPARE(Argument::string(QByteArrayLiteral("00ff00")).toText(), QStringLiteral("00ff00"));
    QCOMPARE(Argument::symbol(QByteArrayLiteral("led")).toText(), QStringLiteral("led"));
    QCOMPARE(Argument::character('a').toText(), QStringLiteral("a"));
    QCOMPARE(Argument::boolean(true).toText(), QStringLiteral("true"));
    QVERIFY(!Argument::blob(QByteArrayLiteral("x")).toText());
    QVERIFY(!Argument::nil().toText());
    QVERIFY(!Argument::impulse().toText());
}

QTEST_APPLESS_MAIN(TestOscCodec)
#include "tst_osccodec.moc"
