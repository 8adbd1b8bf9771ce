#include "commandregistry.h"
#include "protocol.h"

#include <QTest>

using GroupLoop::CommandRegistry;

class TestCommandRegistry : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void builtInHasTheTwelveFirmwareCommands();
    void rejection_data();
    void rejection();
    void pythonListRepr_data();
    void pythonListRepr();
    void invalidJson_data();
    void invalidJson();
    void mergeReplacesAndAdds();
    void missingFileIsAnError();
    void jsonRoundTrip();
};

void TestCommandRegistry::builtInHasTheTwelveFirmwareCommands()
{
    const CommandRegistry &registry = CommandRegistry::builtIn();
    QStringList expected {u"brightness"_qs, u"led"_qs,          u"led_all_off"_qs, u"led_get_state"_qs,
                          u"led_off"_qs,    u"led_set"_qs,      u"ota"_qs,         u"pattern"_qs,
                          u"reset"_qs,      u"spring_param"_qs, u"status"_qs,      u"vibrate"_qs};
    QCOMPARE(registry.names(), expected);
    QCOMPARE(registry.find(u"led_set"_qs)->parameters, (QStringList {u"index"_qs, u"color"_qs}));
    QVERIFY(registry.find(u"reset"_qs)->parameters.isEmpty());
}

void TestCommandRegistry::rejection_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("params");
    QTest::addColumn<QString>("reply"); // empty: accepted

    QTest::newRow("known with params") << u"led"_qs << u"ff0000"_qs << QString();
    QTest::newRow("no params needed") << u"status"_qs << QString() << QString();
    QTest::newRow("unknown") << u"explode"_qs << u"now"_qs << u"cmd:result:Unknown command: explode"_qs;
    QTest::newRow("unknown is case-sensitive")
        << u"LED"_qs << u"ff0000"_qs << u"cmd:result:Unknown command: LED"_qs;
    QTest::newRow("missing one") << u"led"_qs << QString()
                                 << u"cmd:result:Command led requires parameters: ['color']"_qs;
    QTest::newRow("missing two") << u"led_set"_qs << QString()
                                 << u"cmd:result:Command led_set requires parameters: ['index', 'color']"_qs;
}

void TestCommandRegistry::rejection()
{
    QFETCH(QString, command);
    QFETCH(QString, params);
    QFETCH(QString, reply);
    const auto rejection = CommandRegistry::builtIn().rejection(command, params);
    QCOMPARE(rejection.value_or(QString()), reply);
}

void TestCommandRegistry::pythonListRepr_data()
{
    QTest::addColumn<QStringList>("items");
    QTest::addColumn<QString>("repr");
    QTest::newRow("empty") << QStringList {} << u"[]"_qs;
    QTest::newRow("plain") << QStringList {u"a"_qs, u"b c"_qs} << u"['a', 'b c']"_qs;
    QTest::newRow("single quote") << QStringList {u"it's"_qs} << u"[\"it's\"]"_qs;
    QTest::newRow("both quotes") << QStringList {u"a'\"b"_qs} << u"['a\\'\"b']"_qs;
    QTest::newRow("backslash") << QStringList {u"a\\b"_qs} << u"['a\\\\b']"_qs;
}

void TestCommandRegistry::pythonListRepr()
{
    QFETCH(QStringList, items);
    QFETCH(QString, repr);
    QCOMPARE(GroupLoop::Protocol::pythonListRepr(items), repr);
}

void TestCommandRegistry::invalidJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("errorPart");
    QTest::newRow("not json") << QByteArray("{\"commands\": ") << u"not valid JSON"_qs;
    QTest::newRow("no commands") << QByteArray("{\"cmds\": {}}") << u"no \"commands\""_qs;
    QTest::newRow("array") << QByteArray("[1,2]") << u"no \"commands\""_qs;
    QTest::newRow("entry not object") << QByteArray("{\"commands\": {\"x\": 1}}") << u"not an object"_qs;
    QTest::newRow("parameters not list")
        << QByteArray("{\"commands\": {\"x\": {\"parameters\": \"a\"}}}") << u"not a list"_qs;
    QTest::newRow("parameter not string")
        << QByteArray("{\"commands\": {\"x\": {\"parameters\": [1]}}}") << u"must be a string"_qs;
    QTest::newRow("colon in name") << QByteArray("{\"commands\": {\"a:b\": {}}}") << u"contains ':'"_qs;
    QTest::newRow("too big") << QByteArray(CommandRegistry::MaxJsonBytes + 1, ' ') << u"more than"_qs;
}

void TestCommandRegistry::invalidJson()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, errorPart);
    QString error;
    QVERIFY(!CommandRegistry::fromJson(json, &error));
    QVERIFY2(error.contains(errorPart), qPrintable(error));
}

void TestCommandRegistry::mergeReplacesAndAdds()
{
    QString error;
    auto extra
        = CommandRegistry::fromFile(QStringLiteral(GROUPLOOP_TEST_DATA "/commands-extra.json"), &error);
    QVERIFY2(extra, qPrintable(error));
    CommandRegistry merged = CommandRegistry::builtIn();
    merged.merge(*extra);
    QCOMPARE(merged.size(), CommandRegistry::builtIn().size() + 1);
    QCOMPARE(merged.find(u"strobe"_qs)->parameters, (QStringList {u"hz"_qs}));
    QCOMPARE(merged.find(u"vibrate"_qs)->parameters, (QStringList {u"duration"_qs, u"strength"_qs}));
    QVERIFY(!merged.rejection(u"strobe"_qs, u"5"_qs));
    QVERIFY(merged.names() == [&] {
        auto n = merged.names();
        std::sort(n.begin(), n.end());
        return n;
    }());
}

void TestCommandRegistry::missingFileIsAnError()
{
    QString error;
    QVERIFY(!CommandRegistry::fromFile(u"/nonexistent/commands.json"_qs, &error));
    QVERIFY2(error.contains(u"/nonexistent/commands.json"), qPrintable(error));
}

void TestCommandRegistry::jsonRoundTrip()
{
    const auto again = CommandRegistry::fromJson(CommandRegistry::builtIn().toJson());
    QVERIFY(again);
    QCOMPARE(again->commands(), CommandRegistry::builtIn().commands());
}

QTEST_APPLESS_MAIN(TestCommandRegistry)
#include "tst_commandregistry.moc"
