// Interoperability with liblo (Debian liblo-dev), the C OSC library many audio tools build on,
// as an independent implementation: what we encode, liblo decodes (every type, our tick
// bundles); what liblo encodes, we decode to the same values. Built where liblo is installed
// (the test command installs it; the outputs library does not use it: docs/outputs.md).
#include "oscreader.h"
#include "oscwriter.h"

#include <QTest>

#include <lo/lo.h>

#include <cstring>

using namespace GroupLoop;
using Osc::Argument;

namespace {
// liblo's argument pointers point into the packet, 4-byte aligned only: read them by copy.
template<typename T> T value(const lo_arg *argument, size_t offset = 0)
{
    T out;
    std::memcpy(&out, reinterpret_cast<const char *>(argument) + offset, sizeof out);
    return out;
}

QByteArray bytesAt(const lo_arg *argument, size_t offset, qsizetype size)
{
    return QByteArray(reinterpret_cast<const char *>(argument) + offset, size);
}

struct Dispatched
{
    QList<QByteArray> paths;
    QList<QByteArray> types;
    QList<float> firstFloats;
};

int collect(const char *path, const char *types, lo_arg **argv, int argc, lo_message, void *user)
{
    auto *out = static_cast<Dispatched *>(user);
    out->paths.append(QByteArray(path));
    out->types.append(QByteArray(types));
    out->firstFloats.append(argc > 0 && types[0] == 'f' ? value<float>(argv[0]) : 0.0f);
    return 0;
}

void ignoreErrors(int, const char *, const char *) { }

QByteArray serialise(lo_message message, const char *path)
{
    size_t size = 0;
    void *data = lo_message_serialise(message, path, nullptr, &size);
    const QByteArray out(static_cast<const char *>(data), qsizetype(size));
    std::free(data);
    return out;
}
} // namespace

class TestOscInterop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void libloDecodesOurMessages();
    void libloDispatchesOurTickBundles();
    void weDecodeLibloMessages();
    void weDecodeLibloBundles();
};

void TestOscInterop::libloDecodesOurMessages()
{
    const QByteArray blob("\x01\x02\x03", 3);
    const Osc::Message ours {
        "/grouploop/00ab/all",
        {Argument::int32(-7), Argument::float32(0.25f), Argument::string(QByteArrayLiteral("00ff00")),
         Argument::blob(blob), Argument::int64(1LL << 40), Argument::float64(-2.5),
         Argument::timeTag(Osc::TimeTag {0x0000000100000002ULL}), Argument::symbol("sym"),
         Argument::character('A'), Argument::midi(0x00903c64u), Argument::boolean(true),
         Argument::boolean(false), Argument::nil(), Argument::impulse()}};
    QByteArray encoded = Osc::encode(ours);
    const char *path = lo_get_path(encoded.data(), encoded.size()); // points into `encoded`
    QCOMPARE(QByteArray(path), ours.address);
    int result = -1;
    lo_message message = lo_message_deserialise(encoded.data(), size_t(encoded.size()), &result);
    QCOMPARE(result, 0);
    QVERIFY(message);
    QCOMPARE(QByteArray(lo_message_get_types(message)), ours.typeTags().mid(1));
    lo_arg **argv = lo_message_get_argv(message);
    QCOMPARE(value<qint32>(argv[0]), -7);
    QCOMPARE(value<float>(argv[1]), 0.25f);
    QCOMPARE(bytesAt(argv[2], 0, 6), QByteArray("00ff00"));
    QCOMPARE(value<qint32>(argv[3]), 3); // liblo holds blob sizes in host order
    QCOMPARE(bytesAt(argv[3], 4, 3), blob);
    QCOMPARE(value<qint64>(argv[4]), qint64(1LL << 40));
    QCOMPARE(value<double>(argv[5]), -2.5);
    QCOMPARE(value<quint32>(argv[6], 0), 1u); // lo_timetag: seconds, then fraction
    QCOMPARE(value<quint32>(argv[6], 4), 2u);
    QCOMPARE(bytesAt(argv[7], 0, 4), QByteArray("sym\0", 4));
    QCOMPARE(value<char>(argv[8]), 'A');
    QCOMPARE(bytesAt(argv[9], 0, 4), QByteArray("\x00\x90\x3c\x64", 4));
    // Same bytes back from liblo.
    QCOMPARE(serialise(message, ours.address.constData()), encoded);
    lo_message_free(message);
}

void TestOscInterop::libloDispatchesOurTickBundles()
{
    Osc::DatagramPacker packer(512);
    for (int i = 0; i < 40; ++i) {
        Osc::Writer &writer
            = packer.beginMessage(QByteArray("/grouploop/" + QByteArray::number(1000 + i) + "/accel"), "fff");
        writer.float32(float(i));
        writer.float32(0.0f);
        writer.float32(1.0f);
        packer.endMessage();
    }
    const std::vector<QByteArray> datagrams = packer.take();
    QVERIFY(datagrams.size() > 3);
    Dispatched dispatched;
    lo_server server = lo_server_new_with_proto(nullptr, LO_UDP, ignoreErrors);
    QVERIFY(server);
    lo_server_add_method(server, nullptr, nullptr, collect, &dispatched);
    for (const QByteArray &datagram : datagrams) {
        QByteArray copy = datagram;
        QCOMPARE(lo_server_dispatch_data(server, copy.data(), size_t(copy.size())), int(copy.size()));
    }
    lo_server_free(server);
    QCOMPARE(dispatched.paths.size(), 40);
    for (int i = 0; i < 40; ++i) {
        QCOMPARE(dispatched.paths[i], QByteArray("/grouploop/" + QByteArray::number(1000 + i) + "/accel"));
        QCOMPARE(dispatched.types[i], QByteArray("fff"));
        QCOMPARE(dispatched.firstFloats[i], float(i));
    }
}

void TestOscInterop::weDecodeLibloMessages()
{
    lo_message message = lo_message_new();
    lo_message_add_int32(message, 42);
    lo_message_add_float(message, -1.5f);
    lo_message_add_string(message, "led");
    const char bytes[5] = {9, 8, 7, 6, 5};
    lo_blob blob = lo_blob_new(5, bytes);
    lo_message_add_blob(message, blob);
    lo_message_add_int64(message, -(1LL << 50));
    lo_message_add_double(message, 1e100);
    lo_message_add_timetag(message, lo_timetag {3, 0x80000000u});
    lo_message_add_symbol(message, "symbol");
    lo_message_add_char(message, 'z');
    uint8_t midi[4] = {0, 0xb0, 7, 100};
    lo_message_add_midi(message, midi);
    lo_message_add_true(message);
    lo_message_add_false(message);
    lo_message_add_nil(message);
    lo_message_add_infinitum(message);
    const QByteArray encoded = serialise(message, "/grouploop/cmd");
    lo_message_free(message);
    lo_blob_free(blob);

    QString error;
    const auto packet = Osc::parse(encoded, &error);
    QVERIFY2(packet, qPrintable(error));
    const Osc::Message expected {
        "/grouploop/cmd",
        {Argument::int32(42), Argument::float32(-1.5f), Argument::string(QByteArrayLiteral("led")),
         Argument::blob(QByteArray(bytes, 5)), Argument::int64(-(1LL << 50)), Argument::float64(1e100),
         Argument::timeTag(Osc::TimeTag {(3ULL << 32) | 0x80000000ULL}), Argument::symbol("symbol"),
         Argument::character('z'), Argument::midi(0x00b00764u), Argument::boolean(true),
         Argument::boolean(false), Argument::nil(), Argument::impulse()}};
    QCOMPARE(packet->message.typeTags(), expected.typeTags());
    for (int i = 0; i < expected.arguments.size(); ++i)
        QVERIFY2(packet->message.arguments[i] == expected.arguments[i], qPrintable(QString::number(i)));
    QCOMPARE(Osc::encode(*packet), encoded);
}

void TestOscInterop::weDecodeLibloBundles()
{
    lo_bundle bundle = lo_bundle_new(lo_timetag {0, 1});
    lo_message select = lo_message_new();
    lo_message_add_string(select, "0001");
    lo_message command = lo_message_new();
    lo_message_add_string(command, "all");
    lo_message_add_string(command, "reset");
    lo_bundle_add_message(bundle, "/grouploop/select", select);
    lo_bundle_add_message(bundle, "/grouploop/cmd", command);
    size_t size = 0;
    void *data = lo_bundle_serialise(bundle, nullptr, &size);
    const QByteArray encoded(static_cast<const char *>(data), qsizetype(size));
    std::free(data);
    lo_bundle_free_recursive(bundle);

    QString error;
    const auto packet = Osc::parse(encoded, &error);
    QVERIFY2(packet, qPrintable(error));
    QVERIFY(packet->isBundle);
    QVERIFY(packet->time.isImmediate());
    const QList<Osc::Message> messages = packet->messages();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages[0].address, QByteArray("/grouploop/select"));
    QCOMPARE(messages[1].arguments.value(1).bytes(), QByteArray("reset"));
    QCOMPARE(Osc::encode(*packet), encoded);
}

QTEST_APPLESS_MAIN(TestOscInterop)
#include "tst_oscinterop.moc"
