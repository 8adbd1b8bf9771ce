// TlsRecordLayer on its own, against RFC 8448's "Simple 1-RTT Handshake" trace (section 3):
// its application traffic secrets give the published keys and IVs, and its three records under
// those keys (the server's NewSessionTicket, then 50 bytes of application data each way) come
// out byte for byte. Then what must fail does, with one clear line: a flipped bit, an oversized
// record, change_cipher_spec, a ticket sent to a server. Run by tst_tlssession's main().
#include "tlsrecordlayertests.h"

#include "tlsrecordlayer.h"

#include <QTest>

using namespace GroupLoop;

namespace {

constexpr quint16 Aes128GcmSha256 = 0x1301;

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text).replace(' ', ""));
}

const QByteArray ClientSecret
    = hex("9e 40 64 6c e7 9a 7f 9d c0 5a f8 88 9b ce 65 52 87 5a fa 0b 06 df 00 87 f7 92 eb b7 c1 75 04 a5");
const QByteArray ServerSecret
    = hex("a1 1a f9 f0 55 31 f8 56 ad 47 11 6b 45 a9 50 32 82 04 b4 f4 4b fb 6b 3a 4b 4f 1f 3f cb 63 16 43");

// {server} NewSessionTicket: the first record under the server's application keys.
const QByteArray TicketRecord
    = hex("17 03 03 00 de 3a 6b 8f 90 41 4a 97 d6 95 9c 34 87 68 0d e5 13 4a 2b 24 0e 6c ff ac 11 6e 95 d4 1d"
          "6a f8 f6 b5 80 dc f3 d1 1d 63 c7 58 db 28 9a 01 59 40 25 2f 55 71 3e 06 1d c1 3e 07 88 91 a3 8e fb"
          "cf 57 53 ad 8e f1 70 ad 3c 73 53 d1 6d 9d a7 73 b9 ca 7f 2b 9f a1 b6 c0 d4 a3 d0 3f 75 e0 9c 30 ba"
          "1e 62 97 2a c4 6f 75 f7 b9 81 be 63 43 9b 29 99 ce 13 06 46 15 13 98 91 d5 e4 c5 b4 06 f1 6e 3f c1"
          "81 a7 7c a4 75 84 00 25 db 2f 0a 77 f8 1b 5a b0 5b 94 c0 13 46 75 5f 69 23 2c 86 51 9d 86 cb ee ac"
          "87 aa c3 47 d1 43 f9 60 5d 64 f6 50 db 4d 02 3e 70 e9 52 ca 49 fe 51 37 12 1c 74 bc 26 97 68 7e 24"
          "87 46 d6 df 35 30 05 f3 bc e1 86 96 12 9c 81 53 55 6b 3b 6c 67 79 b3 7b f1 59 85 68 4f");
// {client} application data, 00 01 ... 31: the client's first record.
const QByteArray ClientRecord
    = hex("17 03 03 00 43 a2 3f 70 54 b6 2c 94 d0 af fa fe 82 28 ba 55 cb ef ac ea 42 f9 14 aa 66 bc ab 3f 2b"
          "98 19 a8 a5 b4 6b 39 5b d5 4a 9a 20 44 1e 2b 62 97 4e 1f 5a 62 92 a2 97 70 14 bd 1e 3d ea e6 3a ee"
          "bb 21 69 49 15 e4");
// {server} the same bytes back: the server's second record.
const QByteArray ServerRecord
    = hex("17 03 03 00 43 2e 93 7e 11 ef 4a c7 40 e5 38 ad 36 00 5f c4 a4 69 32 fc 32 25 d0 5f 82 aa 1b 36 e3"
          "0e fa f9 7d 90 e6 df fc 60 2d cb 50 1a 59 a8 fc c4 9c 4b f2 e5 f0 a2 1c 00 47 c2 ab f3 32 54 0d d0"
          "32 e1 67 c2 95 5d");

QByteArray payload()
{
    QByteArray bytes;
    for (char i = 0; i < 50; ++i)
        bytes.append(i);
    return bytes;
}

// The RFC's client after its Finished, and its server with the ticket already sent.
std::unique_ptr<TlsRecordLayer> rfcClient()
{
    auto layer = std::make_unique<TlsRecordLayer>(TlsRecordLayer::Role::Client);
    return layer->start(Aes128GcmSha256, ServerSecret, ClientSecret) ? std::move(layer) : nullptr;
}
std::unique_ptr<TlsRecordLayer> rfcServer()
{
    auto layer = std::make_unique<TlsRecordLayer>(TlsRecordLayer::Role::Server);
    return layer->start(Aes128GcmSha256, ClientSecret, ServerSecret) ? std::move(layer) : nullptr;
}

} // namespace

void TestTlsRecordLayer::rfc8448KeysAndIvs()
{
    QCOMPARE(TlsTrafficKeys::expandLabel(Aes128GcmSha256, ServerSecret, "key", 16),
             hex("9f 02 28 3b 6c 9c 07 ef c2 6b b9 f2 ac 92 e3 56"));
    QCOMPARE(TlsTrafficKeys::expandLabel(Aes128GcmSha256, ServerSecret, "iv", 12),
             hex("cf 78 2b 88 dd 83 54 9a ad f1 e9 84"));
    QCOMPARE(TlsTrafficKeys::expandLabel(Aes128GcmSha256, ClientSecret, "key", 16),
             hex("17 42 2d da 59 6e d5 d9 ac d8 90 e3 c6 3f 50 51"));
    QCOMPARE(TlsTrafficKeys::expandLabel(Aes128GcmSha256, ClientSecret, "iv", 12),
             hex("5b 78 92 3d ee 08 57 90 33 e5 23 d9"));
    QVERIFY(TlsTrafficKeys::expandLabel(0x1304, ServerSecret, "key", 16).isEmpty()); // CCM: not ours
    QVERIFY(!TlsTrafficKeys::supports(0x1304));
    TlsRecordLayer layer(TlsRecordLayer::Role::Server);
    QVERIFY(!layer.start(0x1304, ClientSecret, ServerSecret));
    QVERIFY2(layer.errorString().startsWith(u"TLS error: "), qPrintable(layer.errorString()));
}

void TestTlsRecordLayer::rfc8448ClientRecords()
{
    auto client = rfcClient();
    QVERIFY(client);
    QByteArray out;
    QVERIFY(client->write(payload(), out));
    QCOMPARE(out, ClientRecord);
    // The ticket is read and dropped; the data after it opens at sequence 1.
    QByteArray plain;
    out.clear();
    QVERIFY(client->read(QByteArray(TicketRecord + ServerRecord), plain, out));
    QCOMPARE(plain, payload());
    QVERIFY(out.isEmpty());
    QCOMPARE(client->readSequence(), quint64(2));
    QCOMPARE(client->bufferedBytes(), 0);
}

void TestTlsRecordLayer::rfc8448ServerRecords()
{
    auto server = rfcServer();
    QVERIFY(server);
    // The server's own ticket record is recognised as sent under its key: sequence 1 next.
    QCOMPARE(server->adoptWritten(QByteArray(hex("16 03 03 00 02 00 00") + TicketRecord)), 1);
    QCOMPARE(server->writeSequence(), quint64(1));
    QByteArray out;
    QVERIFY(server->write(payload(), out));
    QCOMPARE(out, ServerRecord);
    QByteArray plain;
    out.clear();
    QVERIFY(server->read(ClientRecord, plain, out));
    QCOMPARE(plain, payload());
    QVERIFY(out.isEmpty());
    // Records not under its key are not counted.
    auto other = rfcServer();
    QCOMPARE(other->adoptWritten(ClientRecord), 0);
    QCOMPARE(other->writeSequence(), quint64(0));
}

void TestTlsRecordLayer::oneByteAtATime()
{
    auto client = rfcClient();
    const QByteArray input = TicketRecord + ServerRecord;
    QByteArray plain;
    QByteArray out;
    for (qsizetype i = 0; i < input.size(); ++i) {
        QVERIFY(client->read(input.sliced(i, 1), plain, out));
        if (i + 1 < input.size())
            QVERIFY(plain.isEmpty()); // nothing before its tag is checked
    }
    QCOMPARE(plain, payload());
    QCOMPARE(client->bufferedBytes(), 0); // nothing kept once the records are done
}

void TestTlsRecordLayer::keyUpdatesAreAnsweredOnce()
{
    auto client = rfcClient();
    auto server = rfcServer();
    QByteArray toServer;
    QVERIFY(client->updateWriteKey(true, toServer));
    QVERIFY(client->updateWriteKey(true, toServer)); // a second request before any answer
    QVERIFY(client->write("after two updates", toServer));
    QByteArray plain;
    QByteArray toClient;
    QVERIFY(server->read(toServer, plain, toClient));
    QCOMPARE(plain, QByteArray("after two updates"));
    QCOMPARE(toClient.size(), 5 + 5 + 1 + 16); // one KeyUpdate record: header, message, type, tag
    QCOMPARE(server->writeSequence(), quint64(0)); // the KeyUpdate went under the old key
    QVERIFY(server->write("answer", toClient));
    plain.clear();
    QByteArray back;
    QVERIFY(client->read(toClient, plain, back));
    QCOMPARE(plain, QByteArray("answer"));
    QVERIFY(back.isEmpty()); // update_not_requested: no answer to the answer
    QCOMPARE(client->readSequence(), quint64(1));
}

void TestTlsRecordLayer::failures_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("error");
    QTest::addColumn<bool>("alertSent");
    QByteArray flipped = ClientRecord;
    flipped[20] = char(flipped[20] ^ 0x01);
    QTest::newRow("one bit flipped") << flipped
                                     << u"TLS error: bad record mac (a record failed its integrity check)"_qs
                                     << true;
    QByteArray tag = ClientRecord;
    tag[tag.size() - 1] = char(tag[tag.size() - 1] ^ 0x80);
    QTest::newRow("tag flipped") << tag
                                 << u"TLS error: bad record mac (a record failed its integrity check)"_qs
                                 << true;
    QTest::newRow("oversized record, header only")
        << hex("17 03 03 41 01") << u"TLS error: record overflow (16641 bytes)"_qs << true;
    QTest::newRow("too short for a tag")
        << hex("17 03 03 00 05 0102030405")
        << u"TLS error: bad record mac (a record too short to hold one)"_qs << true;
    QTest::newRow("change_cipher_spec")
        << hex("14 03 03 00 01 01") << u"TLS error: change_cipher_spec after the handshake"_qs << true;
    QTest::newRow("plaintext alert") << hex("15 03 03 00 02 02 28")
                                     << u"TLS error: unprotected record (type 21) after the handshake"_qs
                                     << true;
    QTest::newRow("a ticket sent to a server")
        << TicketRecord << u"TLS error: unexpected handshake message 4 after the handshake"_qs << true;
}

void TestTlsRecordLayer::failures()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, error);
    QFETCH(bool, alertSent);
    // A server reading the client's records; for the ticket row, one that reads with the
    // server's key, so that the ticket opens and is refused for what it is.
    const bool ticket = input == TicketRecord;
    TlsRecordLayer server(TlsRecordLayer::Role::Server);
    QVERIFY(server.start(Aes128GcmSha256, ticket ? ServerSecret : ClientSecret, ServerSecret));
    QByteArray plain("kept");
    QByteArray out;
    QVERIFY(!server.read(input, plain, out));
    QCOMPARE(server.errorString(), error);
    QCOMPARE(plain, QByteArray("kept")); // nothing unverified reaches the caller
    QCOMPARE(!out.isEmpty(), alertSent);
    // The alert is a protected record the peer can open: level fatal, then the code.
    auto client = rfcClient();
    QByteArray clientPlain;
    QByteArray clientOut;
    QVERIFY(!client->read(out, clientPlain, clientOut));
    QVERIFY2(client->errorString().startsWith(u"TLS error: the peer sent the alert \""),
             qPrintable(client->errorString()));
    QVERIFY(clientOut.isEmpty()); // no alert answers an alert
    QVERIFY(!server.read(ClientRecord, plain, out)); // failed stays failed
    QVERIFY(!server.write("more", out));
}
