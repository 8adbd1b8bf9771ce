// WebSocket conformance in the spirit of the Autobahn|Testsuite server cases that apply to a
// text-only relay: framing and lengths, ping/pong, reserved bits and opcodes, fragmentation,
// UTF-8, close handling, limits. Each case sends raw frames and checks what the relay answers.
// Set GROUPLOOP_CONFORMANCE_REPORT=file.md to write the results table (docs/conformance.md).
#include "relaytestclient.h"

#include <QFile>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

// What the relay must do after the case's frames.
enum class Expect {
    Pong, // stays open and answers a following "ping" text with "pong"
    Close, // sends a close frame with the given code
};

struct Case
{
    const char *id;
    const char *description;
    QList<QByteArray> frames;
    Expect expect;
    int closeCode = 0;
    QByteArray controlReply; // a control frame payload expected first (pong to a ping)
};

constexpr quint8 Fin = 0x80;
constexpr quint8 Text = 0x1, Continuation = 0x0, Binary = 0x2, CloseOp = 0x8, PingOp = 0x9, PongOp = 0xA;

QByteArray f(quint8 firstByte, const QByteArray &payload)
{
    return RawPeer::frame(firstByte, payload);
}
QByteArray closePayload(quint16 code, const QByteArray &reason = {})
{
    QByteArray p;
    p.append(char(code >> 8));
    p.append(char(code & 0xff));
    return p + reason;
}

QList<Case> cases()
{
    const QByteArray ping = "ping";
    QList<Case> c;
    // 1 Framing
    c.append({"1.1.1", "text message, 7-bit length", {}, Expect::Pong});
    c.append({"1.1.2", "empty text message", {f(Fin | Text, {})}, Expect::Pong});
    c.append({"1.1.3",
              "text message, 16-bit length (200 bytes)",
              {f(Fin | Text, QByteArray(200, 'x'))},
              Expect::Pong});
    c.append({"1.1.4",
              "text message at the size limit (8192 bytes)",
              {f(Fin | Text, QByteArray(8192, 'x'))},
              Expect::Pong});
    c.append({"1.1.5",
              "binary message (ignored, connection kept)",
              {f(Fin | Binary, "\x01\x02\x03")},
              Expect::Pong});
    c.append(
        {"1.2.1", "unmasked client frame", {RawPeer::frame(Fin | Text, ping, false)}, Expect::Close, 1002});
    // 2 Ping/pong
    c.append({"2.1",
              "ping without payload answered by pong",
              {f(Fin | PingOp, {})},
              Expect::Pong,
              0,
              QByteArray("")});
    c.append({"2.2", "ping payload echoed in pong", {f(Fin | PingOp, "hello")}, Expect::Pong, 0, "hello"});
    c.append({"2.3",
              "ping with 125-byte payload",
              {f(Fin | PingOp, QByteArray(125, 'p'))},
              Expect::Pong,
              0,
              QByteArray(125, 'p')});
    c.append({"2.4",
              "ping with 126-byte payload (too long for control)",
              {f(Fin | PingOp, QByteArray(126, 'p'))},
              Expect::Close,
              1002});
    c.append({"2.5", "unsolicited pong ignored", {f(Fin | PongOp, "x")}, Expect::Pong});
    c.append({"2.6", "fragmented ping", {f(PingOp, "a")}, Expect::Close, 1002});
    // 3 Reserved bits
    c.append({"3.1", "RSV1 set on text", {f(Fin | 0x40 | Text, ping)}, Expect::Close, 1002});
    c.append({"3.2", "RSV2 set on text", {f(Fin | 0x20 | Text, ping)}, Expect::Close, 1002});
    c.append({"3.3", "RSV3 set on ping", {f(Fin | 0x10 | PingOp, {})}, Expect::Close, 1002});
    // 4 Reserved opcodes
    c.append({"4.1.1", "reserved non-control opcode 3", {f(Fin | 0x3, {})}, Expect::Close, 1002});
    c.append({"4.1.2", "reserved non-control opcode 7", {f(Fin | 0x7, ping)}, Expect::Close, 1002});
    c.append({"4.2.1", "reserved control opcode 0xB", {f(Fin | 0xB, {})}, Expect::Close, 1002});
    c.append({"4.2.2", "reserved control opcode 0xF", {f(Fin | 0xF, ping)}, Expect::Close, 1002});
    // 5 Fragmentation
    c.append({"5.1", "text in two fragments", {f(Text, "pi"), f(Fin | Continuation, "ng")}, Expect::Pong});
    c.append({"5.2",
              "text in three fragments, one empty",
              {f(Text, "p"), f(Continuation, {}), f(Fin | Continuation, "ing")},
              Expect::Pong});
    c.append({"5.3",
              "ping between fragments",
              {f(Text, "pi"), f(Fin | PingOp, "mid"), f(Fin | Continuation, "ng")},
              Expect::Pong,
              0,
              "mid"});
    c.append({"5.4", "continuation without a start", {f(Fin | Continuation, ping)}, Expect::Close, 1002});
    c.append({"5.5",
              "new text frame before the last fragment",
              {f(Text, "pi"), f(Fin | Text, "ng")},
              Expect::Close,
              1002});
    c.append({"5.6",
              "fragmented message over the size limit",
              {f(Text, QByteArray(5000, 'x')), f(Fin | Continuation, QByteArray(5000, 'x'))},
              Expect::Close,
              1009});
    // 6 UTF-8
    c.append({"6.1",
              "valid multi-byte UTF-8",
              {f(Fin | Text, "id:l\xc3\xa4mp \xe2\x82\xac \xf0\x9f\x98\x80")},
              Expect::Pong});
    c.append({"6.2",
              "valid character split across fragments",
              {f(Text, "id:\xe2\x82"), f(Fin | Continuation, "\xac")},
              Expect::Pong});
    c.append({"6.3", "invalid byte 0xff", {f(Fin | Text, "pi\xffng")}, Expect::Close, 1007});
    c.append({"6.4", "overlong encoding of '/'", {f(Fin | Text, "\xc0\xaf")}, Expect::Close, 1007});
    c.append(
        {"6.5", "UTF-16 surrogate encoded in UTF-8", {f(Fin | Text, "\xed\xa0\x80")}, Expect::Close, 1007});
    c.append({"6.6",
              "invalid sequence split across fragments",
              {f(Text, "ab\xe2"), f(Fin | Continuation, "\x28\xa1")},
              Expect::Close,
              1007});
    // 7 Close handling
    c.append({"7.1.1",
              "close 1000 is answered with 1000",
              {f(Fin | CloseOp, closePayload(1000))},
              Expect::Close,
              1000});
    c.append({"7.1.2", "close without payload", {f(Fin | CloseOp, {})}, Expect::Close, 1000});
    c.append({"7.1.3",
              "close 1001 with a reason is echoed",
              {f(Fin | CloseOp, closePayload(1001, "bye"))},
              Expect::Close,
              1001});
    c.append({"7.1.4",
              "close 3000 (registered range) is echoed",
              {f(Fin | CloseOp, closePayload(3000))},
              Expect::Close,
              3000});
    c.append({"7.1.5",
              "close 4999 (private range) is echoed",
              {f(Fin | CloseOp, closePayload(4999))},
              Expect::Close,
              4999});
    c.append({"7.2.1", "close with a 1-byte payload", {f(Fin | CloseOp, "\x03")}, Expect::Close, 1002});
    c.append({"7.3.1", "close code 999", {f(Fin | CloseOp, closePayload(999))}, Expect::Close, 1002});
    c.append(
        {"7.3.2", "close code 1005 (reserved)", {f(Fin | CloseOp, closePayload(1005))}, Expect::Close, 1002});
    c.append(
        {"7.3.3", "close code 1006 (reserved)", {f(Fin | CloseOp, closePayload(1006))}, Expect::Close, 1002});
    c.append({"7.3.4",
              "close code 1016 (unassigned)",
              {f(Fin | CloseOp, closePayload(1016))},
              Expect::Close,
              1002});
    c.append({"7.3.5", "close code 5000", {f(Fin | CloseOp, closePayload(5000))}, Expect::Close, 1002});
    c.append({"7.4.1",
              "close reason with invalid UTF-8",
              {f(Fin | CloseOp, closePayload(1000, "\xff\xfe"))},
              Expect::Close,
              1007});
    // 9 Limits
    c.append({"9.1",
              "message one byte over the limit",
              {f(Fin | Text, QByteArray(8193, 'x'))},
              Expect::Close,
              1009});
    c.append({"9.2", "a 1 MiB message", {f(Fin | Text, QByteArray(1 << 20, 'x'))}, Expect::Close, 1009});
    return c;
}

struct Outcome
{
    bool passed = false;
    QString observed;
};

QString describe(int closeCode)
{
    if (closeCode == 0)
        return QStringLiteral("no close");
    if (closeCode == -1)
        return QStringLiteral("TCP closed without a close frame");
    return QStringLiteral("close %1").arg(closeCode);
}

} // namespace

class TestConformance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void serverCase_data();
    void serverCase();

private:
    Outcome run(const Case &c);
    std::unique_ptr<RelayServer> relay;
    QStringList m_rows;
};

void TestConformance::initTestCase()
{
    relay = startRelay();
}

void TestConformance::cleanupTestCase()
{
    const QString path = qEnvironmentVariable("GROUPLOOP_CONFORMANCE_REPORT");
    if (path.isEmpty())
        return;
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("| case | what the client does | expected | observed | result |\n|---|---|---|---|---|\n");
    file.write(m_rows.join(u'\n').toUtf8() + '\n');
}

void TestConformance::serverCase_data()
{
    QTest::addColumn<int>("index");
    const QList<Case> all = cases();
    for (int i = 0; i < all.size(); ++i)
        QTest::newRow(all[i].id) << i;
}

Outcome TestConformance::run(const Case &c)
{
    RawPeer peer;
    if (!peer.handshake(relay->serverPort()))
        return {false, QStringLiteral("handshake failed")};
    RawPeer::ServerFrame greeting;
    if (!peer.readFrame(&greeting) || greeting.payload != "Connected to GroupLoop WebSocket server")
        return {false, QStringLiteral("no greeting")};
    for (const QByteArray &frame : c.frames)
        peer.socket.write(frame);

    if (c.expect == Expect::Close) {
        const int code = peer.readUntilClose();
        return {code == c.closeCode, describe(code)};
    }
    RawPeer::ServerFrame frame;
    if (!c.controlReply.isNull()) {
        if (!peer.readFrame(&frame) || frame.opcode != PongOp || frame.payload != c.controlReply)
            return {false, QStringLiteral("no matching pong (opcode %1)").arg(frame.opcode)};
    }
    peer.socket.write(RawPeer::textFrame("ping"));
    while (peer.readFrame(&frame)) {
        if (frame.opcode == CloseOp)
            return {false,
                    describe(frame.payload.size() >= 2
                                 ? (quint8(frame.payload[0]) << 8 | quint8(frame.payload[1]))
                                 : 1005)};
        if (frame.opcode == Text && frame.payload == "pong")
            return {true, QStringLiteral("open, pong")};
    }
    return {false, QStringLiteral("no pong")};
}

void TestConformance::serverCase()
{
    QFETCH(int, index);
    const Case c = cases().at(index);
    const Outcome outcome = run(c);
    const QString expected = c.expect == Expect::Close ? QStringLiteral("close %1").arg(c.closeCode)
        : c.controlReply.isNull()                      ? QStringLiteral("open, pong")
                                                       : QStringLiteral("pong frame, then open");
    m_rows.append(QStringLiteral("| %1 | %2 | %3 | %4 | %5 |")
                      .arg(QString::fromLatin1(c.id), QString::fromLatin1(c.description), expected,
                           outcome.observed,
                           outcome.passed ? QStringLiteral("pass") : QStringLiteral("**FAIL**")));
    QVERIFY2(outcome.passed, qPrintable(outcome.observed));
}

QTEST_MAIN(TestConformance)
#include "tst_conformance.moc"
