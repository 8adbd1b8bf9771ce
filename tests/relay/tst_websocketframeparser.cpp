// WebSocketFrameParser in both roles (the relay's server side takes masked frames, the
// simulator's client side unmasked ones), fed whole, byte by byte and in uneven pieces: every
// frame type and every error path; the buffers are freed when nothing is unfinished. The frame
// writer and close payloads both ends send. Plus the opening handshake the side door answers
// itself (Sec-WebSocket-Accept, bytes pipelined after the head, bad requests).
#include "relaytestclient.h"
#include "websocketconnection.h"
#include "websocketframe.h"
#include "websocketframeparser.h"
#include "websocketrfc.h"

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

constexpr quint8 Fin = 0x80;
constexpr quint8 Text = 0x1, Continuation = 0x0, Binary = 0x2, CloseOp = 0x8, PingOp = 0x9, PongOp = 0xA;
using Role = WebSocketFrameParser::Role;

// The same frames as a client sends them (masked) and as a server does (unmasked).
struct Wire
{
    QByteArray masked;
    QByteArray unmasked;
    Wire operator+(const Wire &other) const { return {masked + other.masked, unmasked + other.unmasked}; }
    const QByteArray &from(Role sender) const { return sender == Role::Client ? masked : unmasked; }
};

Wire f(quint8 firstByte, const QByteArray &payload)
{
    return {RawPeer::frame(firstByte, payload, true), RawPeer::frame(firstByte, payload, false)};
}

// What the parser in `role` reads: the other end's frames.
const QByteArray &bytesFor(const Wire &wire, Role role)
{
    return wire.from(role == Role::Server ? Role::Client : Role::Server);
}

QByteArray closePayload(quint16 code, const QByteArray &reason = {})
{
    QByteArray p;
    p.append(char(code >> 8));
    p.append(char(code & 0xff));
    return p + reason;
}

// Writes down what the parser reports, one line per event.
class Recorder : public WebSocketFrameParser::Handler
{
public:
    void onMessage(QByteArrayView payload, bool text) override
    {
        events.append((text ? "text:" : "binary:") + payload.toByteArray());
    }
    void onPing(QByteArrayView payload) override { events.append("ping:" + payload.toByteArray()); }
    void onPong(QByteArrayView payload) override { events.append("pong:" + payload.toByteArray()); }
    void onClose(quint16 code, QByteArrayView reason) override
    {
        events.append("close:" + QByteArray::number(code) + ':' + reason.toByteArray());
    }
    void onError(quint16 code, const QString &reason) override
    {
        QVERIFY(!reason.isEmpty());
        events.append("error:" + QByteArray::number(code));
    }
    QList<QByteArray> events;
};

constexpr qint64 Limit = 1000;

// Feeds `input` in pieces of `piece` bytes (0: all at once) and returns the events.
QList<QByteArray> parse(const QByteArray &input, int piece, qsizetype *buffered = nullptr,
                        Role role = Role::Server)
{
    WebSocketFrameParser parser(role, Limit, 2 * Limit);
    Recorder recorder;
    QByteArray copy = input; // the parser unmasks in place
    const qsizetype step = piece > 0 ? piece : qMax<qsizetype>(copy.size(), 1);
    for (qsizetype at = 0; at < copy.size(); at += step)
        parser.feed(copy.data() + at, qMin(step, copy.size() - at), recorder);
    if (buffered)
        *buffered = parser.bufferedBytes();
    return recorder.events;
}

using Events = QList<QByteArray>;

} // namespace

Q_DECLARE_METATYPE(Wire)

class TestWebSocketFrameParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void frames_data();
    void frames();
    void eachRoleRefusesTheOthersMasking();
    void oversizeIsRefusedFromTheHeaderAlone();
    void buffersAreFreedWhenDone();
    void resetStartsAfresh();
    void utf8_data();
    void utf8();
    void closeCodes();
    void writtenFramesParseInBothRoles_data();
    void writtenFramesParseInBothRoles();
    void closePayloadCutsOnACharacterBoundary();
    void acceptKeyMatchesTheRfcExample();
    void upgradeIsAnsweredAndPipelinedBytesKept();
    void upgradeWithoutKeyIsRefused();
};

void TestWebSocketFrameParser::frames_data()
{
    QTest::addColumn<Wire>("input");
    QTest::addColumn<Events>("events");

    QTest::newRow("text") << f(Fin | Text, "hello") << Events {"text:hello"};
    QTest::newRow("empty text") << f(Fin | Text, {}) << Events {"text:"};
    QTest::newRow("16-bit length") << f(Fin | Text, QByteArray(300, 'a'))
                                   << Events {"text:" + QByteArray(300, 'a')};
    QTest::newRow("binary") << f(Fin | Binary, "\x01\x02") << Events {"binary:\x01\x02"};
    QTest::newRow("two messages") << f(Fin | Text, "a") + f(Fin | Text, "b") << Events {"text:a", "text:b"};
    QTest::newRow("ping") << f(Fin | PingOp, "hi") << Events {"ping:hi"};
    QTest::newRow("pong") << f(Fin | PongOp, "x") << Events {"pong:x"};
    QTest::newRow("fragments") << f(Text, "pi") + f(Continuation, {}) + f(Fin | Continuation, "ng")
                               << Events {"text:ping"};
    QTest::newRow("ping between fragments") << f(Text, "pi") + f(Fin | PingOp, "m")
            + f(Fin | Continuation, "ng") << Events {"ping:m", "text:ping"};
    QTest::newRow("binary fragments")
        << f(Binary, "\x01") + f(Fin | Continuation, "\x02") << Events {"binary:\x01\x02"};
    QTest::newRow("character split across fragments")
        << f(Text, "\xe2\x82") + f(Fin | Continuation, "\xac") << Events {"text:\xe2\x82\xac"};
    QTest::newRow("close with code and reason")
        << f(Fin | CloseOp, closePayload(1001, "bye")) << Events {"close:1001:bye"};
    QTest::newRow("close without payload") << f(Fin | CloseOp, {}) << Events {"close:1005:"};
    QTest::newRow("nothing after close")
        << f(Fin | CloseOp, closePayload(1000)) + f(Fin | Text, "late") << Events {"close:1000:"};

    // Errors: one report, nothing after it.
    QTest::newRow("rsv1") << f(Fin | 0x40 | Text, "x") << Events {"error:1002"};
    QTest::newRow("rsv2") << f(Fin | 0x20 | Text, "x") << Events {"error:1002"};
    QTest::newRow("rsv3 on ping") << f(Fin | 0x10 | PingOp, {}) << Events {"error:1002"};
    QTest::newRow("opcode 3") << f(Fin | 0x3, {}) << Events {"error:1002"};
    QTest::newRow("opcode 7") << f(Fin | 0x7, "x") << Events {"error:1002"};
    QTest::newRow("opcode 0xb") << f(Fin | 0xB, {}) << Events {"error:1002"};
    QTest::newRow("opcode 0xf") << f(Fin | 0xF, "x") << Events {"error:1002"};
    QTest::newRow("fragmented ping") << f(PingOp, "a") << Events {"error:1002"};
    QTest::newRow("ping over 125 bytes") << f(Fin | PingOp, QByteArray(126, 'p')) << Events {"error:1002"};
    QTest::newRow("close over 125 bytes")
        << f(Fin | CloseOp, closePayload(1000, QByteArray(124, 'r'))) << Events {"error:1002"};
    QTest::newRow("continuation without start") << f(Fin | Continuation, "x") << Events {"error:1002"};
    QTest::newRow("new message before last fragment")
        << f(Text, "a") + f(Fin | Text, "b") << Events {"error:1002"};
    QTest::newRow("frame over limit") << f(Fin | Text, QByteArray(Limit + 1, 'x')) << Events {"error:1009"};
    QTest::newRow("frame at limit") << f(Fin | Text, QByteArray(Limit, 'x'))
                                    << Events {"text:" + QByteArray(Limit, 'x')};
    QTest::newRow("message over limit in fragments") << f(Text, QByteArray(Limit, 'x'))
            + f(Continuation, QByteArray(Limit, 'x'))
            + f(Fin | Continuation, "x") << Events {"error:1009"};
    QTest::newRow("64-bit length with the top bit set")
        << Wire {QByteArray("\x81\xff\x80\x00\x00\x00\x00\x00\x00\x00\x01\x02\x03\x04", 14),
                 QByteArray("\x81\x7f\x80\x00\x00\x00\x00\x00\x00\x00", 10)}
        << Events {"error:1009"};
    QTest::newRow("invalid UTF-8") << f(Fin | Text, "pi\xffng") << Events {"error:1007"};
    QTest::newRow("invalid UTF-8 across fragments")
        << f(Text, "ab\xe2") + f(Fin | Continuation, "\x28\xa1") << Events {"error:1007"};
    QTest::newRow("truncated character at the end") << f(Fin | Text, "ab\xe2\x82") << Events {"error:1007"};
    QTest::newRow("binary is not UTF-8 checked") << f(Fin | Binary, "\xff") << Events {"binary:\xff"};
    QTest::newRow("close with 1 byte") << f(Fin | CloseOp, "\x03") << Events {"error:1002"};
    QTest::newRow("close code 999") << f(Fin | CloseOp, closePayload(999)) << Events {"error:1002"};
    QTest::newRow("close code 1005") << f(Fin | CloseOp, closePayload(1005)) << Events {"error:1002"};
    QTest::newRow("close code 1016") << f(Fin | CloseOp, closePayload(1016)) << Events {"error:1002"};
    QTest::newRow("close code 5000") << f(Fin | CloseOp, closePayload(5000)) << Events {"error:1002"};
    QTest::newRow("close reason not UTF-8")
        << f(Fin | CloseOp, closePayload(1000, "\xff\xfe")) << Events {"error:1007"};
    QTest::newRow("messages before an error are kept") << f(Fin | Text, "a") + f(Fin | PingOp, "p")
            + f(Fin | 0x3, {}) + f(Fin | Text, "b") << Events {"text:a", "ping:p", "error:1002"};
}

void TestWebSocketFrameParser::frames()
{
    QFETCH(Wire, input);
    QFETCH(Events, events);
    for (const Role role : {Role::Server, Role::Client}) {
        const QByteArray &bytes = bytesFor(input, role);
        QCOMPARE(parse(bytes, 0, nullptr, role), events);
        QCOMPARE(parse(bytes, 1, nullptr, role), events); // byte by byte
        QCOMPARE(parse(bytes, 3, nullptr, role), events);
        QCOMPARE(parse(bytes, 7, nullptr, role), events);
    }
}

void TestWebSocketFrameParser::eachRoleRefusesTheOthersMasking()
{
    const Wire two = f(Fin | Text, "ping") + f(Fin | Text, "x");
    // A server takes only masked frames, a client only unmasked ones (RFC 6455 section 5.1).
    QCOMPARE(parse(two.unmasked, 0, nullptr, Role::Server), Events {"error:1002"});
    QCOMPARE(parse(two.masked, 0, nullptr, Role::Client), Events {"error:1002"});
    QCOMPARE(parse(two.masked, 0, nullptr, Role::Server), (Events {"text:ping", "text:x"}));
    QCOMPARE(parse(two.unmasked, 0, nullptr, Role::Client), (Events {"text:ping", "text:x"}));
}

void TestWebSocketFrameParser::oversizeIsRefusedFromTheHeaderAlone()
{
    // A client announcing 1 MiB is refused before it sends the payload (nothing is buffered).
    const QByteArray header = f(Fin | Text, QByteArray(1 << 20, 'x')).masked.first(10);
    qsizetype buffered = -1;
    QCOMPARE(parse(header, 0, &buffered), Events {"error:1009"});
    QCOMPARE(buffered, 0);
    // A 16-bit length over the limit: refused at its fourth byte, before the mask.
    QCOMPARE(parse(f(Fin | Text, QByteArray(5000, 'x')).masked.first(4), 0, &buffered),
             Events {"error:1009"});
    QCOMPARE(parse(f(Fin | Text, QByteArray(5000, 'x')).unmasked.first(4), 0, &buffered, Role::Client),
             Events {"error:1009"});
    QCOMPARE(buffered, 0);
}

void TestWebSocketFrameParser::buffersAreFreedWhenDone()
{
    for (const Role role : {Role::Server, Role::Client}) {
        const QByteArray two = bytesFor(f(Text, "half") + f(Fin | Continuation, " and half"), role);
        qsizetype buffered = -1;
        QCOMPARE(parse(two, 1, &buffered, role), Events {"text:half and half"});
        QCOMPARE(buffered, 0);
        QCOMPARE(parse(two.first(two.size() - 2), 1, &buffered, role), Events {});
        QVERIFY(buffered > 0); // the unfinished frame and the first fragment
        QCOMPARE(parse(bytesFor(f(Fin | Text, QByteArray(900, 'x')), role), 5, &buffered, role).size(), 1);
        QCOMPARE(buffered, 0);
    }
}

void TestWebSocketFrameParser::resetStartsAfresh()
{
    WebSocketFrameParser parser(Role::Client, Limit, Limit);
    Recorder recorder;
    QByteArray first = f(Text, "half").unmasked + f(Fin | Continuation, "unfinished").unmasked.first(4);
    parser.feed(first.data(), first.size(), recorder);
    QVERIFY(parser.bufferedBytes() > 0);
    parser.reset(); // a new connection: nothing of the old one is kept
    QCOMPARE(parser.bufferedBytes(), 0);
    QByteArray second = f(Fin | Text, "fresh").unmasked;
    parser.feed(second.data(), second.size(), recorder);
    QCOMPARE(recorder.events, Events {"text:fresh"});
    parser.stop();
    parser.reset();
    QCOMPARE(parser.state(), WebSocketFrameParser::State::Open);
}

void TestWebSocketFrameParser::utf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ascii") << QByteArray("hello") << true;
    QTest::newRow("2-byte") << QByteArray("l\xc3\xa4mp") << true;
    QTest::newRow("3-byte") << QByteArray("\xe2\x82\xac") << true;
    QTest::newRow("4-byte") << QByteArray("\xf0\x9f\x98\x80") << true;
    QTest::newRow("U+10FFFF") << QByteArray("\xf4\x8f\xbf\xbf") << true;
    QTest::newRow("U+D7FF") << QByteArray("\xed\x9f\xbf") << true;
    QTest::newRow("over U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("overlong 2-byte") << QByteArray("\xc0\xaf") << false;
    QTest::newRow("overlong 3-byte") << QByteArray("\xe0\x80\xaf") << false;
    QTest::newRow("overlong 4-byte") << QByteArray("\xf0\x80\x80\xaf") << false;
    QTest::newRow("lone continuation") << QByteArray("\x80") << false;
    QTest::newRow("0xff") << QByteArray("\xff") << false;
    QTest::newRow("bad continuation") << QByteArray("\xe2\x28\xa1") << false;
    QTest::newRow("truncated") << QByteArray("\xf0\x9f\x98") << false;
}

void TestWebSocketFrameParser::utf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    // In a text message and in a close reason, in one frame and split over two fragments.
    const Events message {valid ? "text:" + bytes : QByteArray("error:1007")};
    const Events close {valid ? "close:1000:" + bytes : QByteArray("error:1007")};
    const qsizetype half = bytes.size() / 2;
    for (const Role role : {Role::Server, Role::Client}) {
        QCOMPARE(parse(bytesFor(f(Fin | Text, bytes), role), 0, nullptr, role), message);
        QCOMPARE(parse(bytesFor(f(Text, bytes.first(half)) + f(Fin | Continuation, bytes.sliced(half)), role),
                       1, nullptr, role),
                 message);
        QCOMPARE(parse(bytesFor(f(Fin | CloseOp, closePayload(1000, bytes)), role), 0, nullptr, role), close);
    }
}

void TestWebSocketFrameParser::closeCodes()
{
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4401, 4999})
        QVERIFY2(WebSocketRfc::isValidCloseCode(code), qPrintable(QString::number(code)));
    for (int code : {0, 999, 1004, 1005, 1006, 1012, 1016, 2999, 5000, 65535})
        QVERIFY2(!WebSocketRfc::isValidCloseCode(code), qPrintable(QString::number(code)));
}

void TestWebSocketFrameParser::writtenFramesParseInBothRoles_data()
{
    QTest::addColumn<int>("size");
    for (int size : {0, 1, 125, 126, 65535, 65536, 70000}) // every length encoding and its edges
        QTest::addRow("%d bytes", size) << size;
}

void TestWebSocketFrameParser::writtenFramesParseInBothRoles()
{
    QFETCH(int, size);
    QByteArray payload(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        payload[i] = "GroupLoop frame\n"[i % 16];
    for (const bool masked : {true, false}) {
        QByteArray wire(WebSocketFrame::size(size, masked), Qt::Uninitialized);
        const qsizetype written
            = WebSocketFrame::write(wire.data(), WebSocketRfc::OpText, payload,
                                    masked ? std::optional<quint32>(0x1234abcd) : std::nullopt);
        QCOMPARE(written, wire.size());
        // Byte for byte what the test peers build, so both ends agree on the wire format.
        if (!masked)
            QCOMPARE(wire, RawPeer::frame(Fin | Text, payload, false));
        else
            QVERIFY(size < 4 || wire.sliced(wire.size() - size) != payload); // masked on the way
        WebSocketFrameParser parser(masked ? Role::Server : Role::Client, 1 << 20, 1 << 20);
        Recorder recorder;
        parser.feed(wire.data(), wire.size(), recorder);
        QCOMPARE(recorder.events, Events {"text:" + payload});
    }
}

void TestWebSocketFrameParser::closePayloadCutsOnACharacterBoundary()
{
    QCOMPARE(WebSocketFrame::closePayload(1001, "bye"),
             QByteArray("\x03\xe9"
                        "bye"));
    QCOMPARE(WebSocketFrame::closePayload(1000, {}), QByteArray("\x03\xe8"));
    // 122 ASCII bytes then a 3-byte character: 125 bytes do not fit, the whole character goes.
    const QByteArray reason = QByteArray(122, 'r') + "\xe2\x82\xac" + "tail";
    const QByteArray payload = WebSocketFrame::closePayload(4401, reason);
    QCOMPARE(payload.size(), 2 + 122);
    QCOMPARE(payload.sliced(2), QByteArray(122, 'r'));
    // At the limit exactly: kept whole.
    QCOMPARE(WebSocketFrame::closePayload(1000, QByteArray(123, 'x')).size(), 125);
    const QByteArray euros = QByteArray(120, 'e') + "\xe2\x82\xac";
    QCOMPARE(WebSocketFrame::closePayload(1000, euros).sliced(2), euros);
    // Whatever is cut, the parser takes the result as a valid close frame.
    for (int ascii = 110; ascii <= 125; ++ascii) {
        const QByteArray mixed = QByteArray(ascii, 'a') + "\xf0\x9f\x98\x80\xc3\xa4";
        const QByteArray cut = WebSocketFrame::closePayload(1000, mixed);
        QVERIFY(cut.size() <= 125);
        QVERIFY(QUtf8StringView(cut.sliced(2)).isValidUtf8());
    }
}

void TestWebSocketFrameParser::acceptKeyMatchesTheRfcExample()
{
    // RFC 6455 section 1.3.
    QCOMPARE(WebSocketRfc::acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QCOMPARE(WebSocketConnection::upgradeResponse("dGhlIHNhbXBsZSBub25jZQ=="),
             QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"));
}

void TestWebSocketFrameParser::upgradeIsAnsweredAndPipelinedBytesKept()
{
    auto relay = startRelay();
    QSslSocket socket; // over TLS with GROUPLOOP_TEST_TLS=1
    QVERIFY(connectSocket(socket, relay->serverPort()));
    // The head and the first frame in one write: the frame must not be lost.
    socket.write("GET /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
                 + RawPeer::textFrame("ping"));
    QByteArray in;
    QVERIFY(QTest::qWaitFor(
        [&] {
            in += socket.readAll();
            return in.contains("pong");
        },
        3000));
    QVERIFY(in.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
    QVERIFY(in.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    const QByteArray frames = in.mid(in.indexOf("\r\n\r\n") + 4);
    const QByteArray greeting = "Connected to GroupLoop WebSocket server";
    QCOMPARE(frames, QByteArray("\x81") + char(greeting.size()) + greeting + QByteArray("\x81\x04pong"));
    QTRY_COMPARE(relay->stats().connections, 1);
}

void TestWebSocketFrameParser::upgradeWithoutKeyIsRefused()
{
    auto relay = startRelay();
    QSslSocket socket; // over TLS with GROUPLOOP_TEST_TLS=1
    QVERIFY(connectSocket(socket, relay->serverPort()));
    socket.write("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Version: 13\r\n\r\n");
    QByteArray in;
    QVERIFY(QTest::qWaitFor(
        [&] {
            in += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        3000));
    QVERIFY2(in.startsWith("HTTP/1.1 400 "), in.constData());
    QCOMPARE(relay->stats().rejectedHandshake, 1u);
}

QTEST_MAIN(TestWebSocketFrameParser)
#include "tst_websocketframeparser.moc"
