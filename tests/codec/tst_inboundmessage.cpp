#include "inboundmessage.h"

#include <QTest>

using GroupLoop::InboundMessage;
using Kind = GroupLoop::InboundMessage::Kind;

class TestInboundMessage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void classify_data();
    void classify();
    void commandParts_data();
    void commandParts();
    void frameLines_data();
    void frameLines();
};

void TestInboundMessage::classify_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("label");

    QTest::newRow("ping") << u"ping"_qs << int(Kind::Ping) << QString();
    QTest::newRow("ping with newline is data") << u"ping\n"_qs << int(Kind::Data) << QString();
    QTest::newRow("PING is data") << u"PING"_qs << int(Kind::Data) << QString();
    QTest::newRow("id") << u"id:kiosk-3"_qs << int(Kind::Identify) << u"kiosk-3"_qs;
    QTest::newRow("id stripped") << u"id:  lamp 1 \n"_qs << int(Kind::Identify) << u"lamp 1"_qs;
    QTest::newRow("id empty") << u"id:"_qs << int(Kind::Identify) << QString();
    QTest::newRow("id blank") << u"id:   "_qs << int(Kind::Identify) << QString();
    QTest::newRow("s") << u"s"_qs << int(Kind::Subscribe) << QString();
    QTest::newRow("s with space is data") << u"s "_qs << int(Kind::Data) << QString();
    QTest::newRow("cmd") << u"cmd:all:status"_qs << int(Kind::Command) << QString();
    QTest::newRow("frame") << u"a1b28080bf1020304000\n"_qs << int(Kind::Data) << QString();
    QTest::newRow("empty") << QString() << int(Kind::Data) << QString();
    // Ours: the token is everything after "auth:", as sent (a token may hold colons and spaces).
    QTest::newRow("auth") << u"auth:s3cr:et "_qs << int(Kind::Authenticate) << u"s3cr:et "_qs;
    QTest::newRow("AUTH is data") << u"AUTH:x"_qs << int(Kind::Data) << QString();
}

void TestInboundMessage::classify()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(QString, label);
    const InboundMessage message = InboundMessage::classify(text);
    QCOMPARE(int(message.kind), kind);
    QCOMPARE(message.kind == Kind::Authenticate ? message.token : message.label, label);
}

void TestInboundMessage::commandParts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("wellFormed");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("params");

    QTest::newRow("no params") << u"cmd:all:status"_qs << true << u"all"_qs << u"status"_qs << QString();
    QTest::newRow("trailing colon") << u"cmd:a1b2:reset:"_qs << true << u"a1b2"_qs << u"reset"_qs
                                    << QString();
    QTest::newRow("params keep colons")
        << u"cmd:a1b2:led_set:2:00ff00"_qs << true << u"a1b2"_qs << u"led_set"_qs << u"2:00ff00"_qs;
    QTest::newRow("url params") << u"cmd:all:ota:http://h:5004/x.bin"_qs << true << u"all"_qs << u"ota"_qs
                                << u"http://h:5004/x.bin"_qs;
    QTest::newRow("target lowercased")
        << u"cmd:A1B2:led:FF0000"_qs << true << u"a1b2"_qs << u"led"_qs << u"FF0000"_qs;
    QTest::newRow("one part") << u"cmd:all"_qs << false << QString() << QString() << QString();
    QTest::newRow("nothing") << u"cmd:"_qs << false << QString() << QString() << QString();
    QTest::newRow("empty command") << u"cmd:all:"_qs << true << u"all"_qs << QString() << QString();
}

void TestInboundMessage::commandParts()
{
    QFETCH(QString, text);
    QFETCH(bool, wellFormed);
    QFETCH(QString, target);
    QFETCH(QString, command);
    QFETCH(QString, params);
    const InboundMessage message = InboundMessage::classify(text);
    QCOMPARE(message.kind, Kind::Command);
    QCOMPARE(message.commandWellFormed, wellFormed);
    QCOMPARE(message.target, target);
    QCOMPARE(message.command, command);
    QCOMPARE(message.params, params);
}

void TestInboundMessage::frameLines_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("frames");
    QTest::addColumn<int>("junk");

    QTest::newRow("single") << u"a1b28080bf1020304000\n"_qs << QStringList {u"a1b28080bf1020304000"_qs} << 0;
    QTest::newRow("no newline") << u"a1b28080bf1020304000"_qs << QStringList {u"a1b28080bf1020304000"_qs}
                                << 0;
    QTest::newRow("uppercase kept for caller")
        << u"A1B28080BF1020304000"_qs << QStringList {u"A1B28080BF1020304000"_qs} << 0;
    QTest::newRow("batch crlf and padding")
        << u"  a1b28080bf1020304000 \r\n\tc3d48080bf10203040ff\r\n\n"_qs
        << QStringList {u"a1b28080bf1020304000"_qs, u"c3d48080bf10203040ff"_qs} << 0;
    QTest::newRow("junk between") << u"hello\na1b28080bf1020304000\nzzzz8080bf1020304000\n"_qs
                                  << QStringList {u"a1b28080bf1020304000"_qs} << 2;
    QTest::newRow("python line breaks")
        << (u"a1b28080bf1020304000"_qs + QChar(0x2028) + u"c3d48080bf10203040ff"_qs + QChar(0x0b)
            + u"c3d48080bf1020304001"_qs)
        << QStringList {u"a1b28080bf1020304000"_qs, u"c3d48080bf10203040ff"_qs, u"c3d48080bf1020304001"_qs}
        << 0;
    QTest::newRow("python whitespace 0x1f")
        << (QChar(0x1f) + u"a1b28080bf1020304000"_qs) << QStringList {u"a1b28080bf1020304000"_qs} << 0;
    QTest::newRow("21 digits") << u"a1b28080bf10203040000"_qs << QStringList {} << 1;
    QTest::newRow("only whitespace") << u" \n \r\n"_qs << QStringList {} << 0;
}

void TestInboundMessage::frameLines()
{
    QFETCH(QString, text);
    QFETCH(QStringList, frames);
    QFETCH(int, junk);
    QStringList seen;
    const int junkSeen = GroupLoop::forEachFrameLine(QStringView(text), [&](quint16 id, QStringView line) {
        QCOMPARE(GroupLoop::SensorFrame::idToText(id), line.first(4).toString().toLower());
        seen.append(line.toString());
    });
    QCOMPARE(seen, frames);
    QCOMPARE(junkSeen, junk);
}

QTEST_APPLESS_MAIN(TestInboundMessage)
#include "tst_inboundmessage.moc"
