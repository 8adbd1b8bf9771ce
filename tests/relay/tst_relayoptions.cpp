#include "helpentries.h"
#include "relayoptions.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using GroupLoop::RelayConfig;
using GroupLoop::RelayOptions;
using GroupLoop::Testing::helpEntries;
using GroupLoop::Testing::shownDefault;
using Outcome = GroupLoop::RelayOptions::Outcome;

class TestRelayOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults();
    void flagsBeatEnvironment();
    void environmentFallbacks_data();
    void environmentFallbacks();
    void limits();
    void errors_data();
    void errors();
    void cluster();
    void firmwareDirFromWebRoot();
    void helpShowsEachDefault_data();
    void helpShowsEachDefault();
    void everyFlagWithADefaultShowsIt();
};

static QString helpText()
{
    RelayOptions options;
    QString error;
    options.parse({u"relay"_qs, u"--help"_qs}, {}, &error);
    return options.helpText();
}

static QProcessEnvironment env(std::initializer_list<std::pair<const char *, const char *>> vars)
{
    QProcessEnvironment e;
    for (const auto &[k, v] : vars)
        e.insert(QString::fromLatin1(k), QString::fromLatin1(v));
    return e;
}

void TestRelayOptions::defaults()
{
    RelayOptions options;
    QString error;
    QCOMPARE(options.parse({u"relay"_qs}, {}, &error), Outcome::Run);
    QCOMPARE(options.config.host, QHostAddress(QHostAddress::Any));
    QCOMPARE(options.config.port, 5003);
    QVERIFY(!options.config.allowOta);
    QVERIFY(!options.config.oneFramePerMessage);
    QVERIFY(!options.commandsUrl.isValid());
    QCOMPARE(options.config.registry.size(), 12);
    QVERIFY(!options.config.cluster); // a single relay unless told otherwise
}

void TestRelayOptions::flagsBeatEnvironment()
{
    RelayOptions options;
    QString error;
    QCOMPARE(options.parse({u"relay"_qs, u"--host"_qs, u"127.0.0.1"_qs, u"--port"_qs, u"6000"_qs},
                           env({{"WS_HOST", "10.0.0.1"}, {"WS_PORT", "5000"}}), &error),
             Outcome::Run);
    QCOMPARE(options.config.host, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(options.config.port, 6000);
}

void TestRelayOptions::environmentFallbacks_data()
{
    QTest::addColumn<QProcessEnvironment>("environment");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("url");
    QTest::newRow("old container") << env({{"WS_PORT", "5000"}, {"WS_HOST", "0.0.0.0"}}) << 5000 << QString();
    QTest::newRow("cdn") << env({{"CDN_BASE_URL", "http://cdn.example:5008"}}) << 5003
                         << u"http://cdn.example:5008/static/commands.json"_qs;
    QTest::newRow("hub wins, trailing slash")
        << env({{"CDN_BASE_URL", "http://cdn.example"}, {"CLIENT_HUB_URL", "http://hub.example/"}}) << 5003
        << u"http://hub.example/static/commands.json"_qs;
}

void TestRelayOptions::environmentFallbacks()
{
    QFETCH(QProcessEnvironment, environment);
    QFETCH(int, port);
    QFETCH(QString, url);
    RelayOptions options;
    QString error;
    QCOMPARE(options.parse({u"relay"_qs}, environment, &error), Outcome::Run);
    QCOMPARE(options.config.port, port);
    QCOMPARE(options.commandsUrl.toString(), url);
}

void TestRelayOptions::limits()
{
    RelayOptions options;
    QString error;
    QCOMPARE(options.parse({u"relay"_qs, u"--max-message-bytes=2048"_qs, u"--max-connections=50"_qs,
                            u"--max-frame-rate=100"_qs, u"--ping-interval=5"_qs, u"--ping-timeout=2.5"_qs,
                            u"--batch-ms=10"_qs, u"--one-frame-per-message"_qs, u"--allow-ota"_qs,
                            u"--token=t"_qs, u"--slow-consumer-timeout=3"_qs, u"--outbox-high-water=65536"_qs,
                            u"--coalesce-ms=2.5"_qs, u"--fanout-ms=20"_qs},
                           {}, &error),
             Outcome::Run);
    QCOMPARE(options.config.maxMessageBytes, 2048);
    QCOMPARE(options.config.maxFrameBytes, 2048);
    QCOMPARE(options.config.maxConnections, 50);
    QCOMPARE(options.config.maxFramesPerSecond, 100.0);
    QCOMPARE(options.config.pingIntervalMs, 5000);
    QCOMPARE(options.config.pongTimeoutMs, 2500);
    QCOMPARE(options.config.batchMs, 10);
    QCOMPARE(options.config.coalesceUs, 2500);
    QCOMPARE(options.config.fanoutMs, 20);
    QCOMPARE(options.config.slowConsumerTimeoutMs, 3000);
    QCOMPARE(options.config.outboxHighWaterBytes, 65536);
    QVERIFY(options.config.oneFramePerMessage);
    QVERIFY(options.config.allowOta);
    QVERIFY(options.config.recordPath.isEmpty()); // recording is off unless asked for

    QCOMPARE(options.parse({u"relay"_qs, u"--record=/tmp/show.session.gz"_qs, u"--record-rotate-mb=64"_qs,
                            u"--record-rotate-minutes=30"_qs},
                           {}, &error),
             Outcome::Run);
    QCOMPARE(options.config.recordPath, u"/tmp/show.session.gz"_qs);
    QCOMPARE(options.config.recordRotateBytes, 64 * 1024 * 1024);
    QCOMPARE(options.config.recordRotateMs, 30 * 60000);
}

void TestRelayOptions::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QProcessEnvironment>("environment");
    QTest::addColumn<QString>("errorPart");
    QTest::newRow("unknown flag") << QStringList {u"--frobnicate"_qs} << QProcessEnvironment()
                                  << u"frobnicate"_qs;
    QTest::newRow("missing value") << QStringList {u"--port"_qs} << QProcessEnvironment() << u"port"_qs;
    QTest::newRow("port word") << QStringList {u"--port=abc"_qs} << QProcessEnvironment() << u"'abc'"_qs;
    QTest::newRow("port too big") << QStringList {u"--port=70000"_qs} << QProcessEnvironment() << u"70000"_qs;
    QTest::newRow("bad env port") << QStringList {} << env({{"WS_PORT", "x"}}) << u"'x'"_qs;
    QTest::newRow("host name") << QStringList {u"--host=example.org"_qs} << QProcessEnvironment()
                               << u"example.org"_qs;
    QTest::newRow("negative limit") << QStringList {u"--max-connections=-1"_qs} << QProcessEnvironment()
                                    << u"max-connections"_qs;
    QTest::newRow("coalescing too long")
        << QStringList {u"--coalesce-ms=500"_qs} << QProcessEnvironment() << u"coalesce-ms"_qs;
    QTest::newRow("log level") << QStringList {u"--log-level=loud"_qs} << QProcessEnvironment() << u"loud"_qs;
    QTest::newRow("ftp url") << QStringList {u"--commands-url=ftp://x/c.json"_qs} << QProcessEnvironment()
                             << u"http"_qs;
    QTest::newRow("redis url") << QStringList {u"--redis=localhost:6379"_qs} << QProcessEnvironment()
                               << u"--redis"_qs;
    QTest::newRow("bad REDIS_URL") << QStringList {} << env({{"REDIS_URL", "rediss://h"}}) << u"TLS"_qs;
    QTest::newRow("prefix alone") << QStringList {u"--redis-prefix=x:"_qs} << QProcessEnvironment()
                                  << u"need --redis"_qs;
    QTest::newRow("ttl zero") << QStringList {u"--redis=redis://h"_qs, u"--redis-device-ttl=0"_qs}
                              << QProcessEnvironment() << u"--redis-device-ttl"_qs;
    QTest::newRow("prefix space") << QStringList {u"--redis=redis://h"_qs, u"--redis-prefix=a b"_qs}
                                  << QProcessEnvironment() << u"--redis-prefix"_qs;
    QTest::newRow("record dir missing") << QStringList {u"--record=/nonexistent/dir/x.session"_qs}
                                        << QProcessEnvironment() << u"/nonexistent/dir"_qs;
    QTest::newRow("record a directory")
        << QStringList {u"--record=/tmp"_qs} << QProcessEnvironment() << u"--record"_qs;
    QTest::newRow("rotate without record")
        << QStringList {u"--record-rotate-mb=5"_qs} << QProcessEnvironment() << u"need --record"_qs;
    QTest::newRow("positional") << QStringList {u"extra"_qs} << QProcessEnvironment() << u"extra"_qs;
    QTest::newRow("ota without token")
        << QStringList {u"--allow-ota"_qs} << QProcessEnvironment() << u"--allow-ota needs --token"_qs;
    QTest::newRow("empty token") << QStringList {u"--token="_qs} << QProcessEnvironment() << u"non-empty"_qs;
    QTest::newRow("missing token file") << QStringList {u"--token-file=/nonexistent/tokens"_qs}
                                        << QProcessEnvironment() << u"/nonexistent/tokens"_qs;
    QTest::newRow("log format") << QStringList {u"--log-format=xml"_qs} << QProcessEnvironment()
                                << u"'xml'"_qs;
}

void TestRelayOptions::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QProcessEnvironment, environment);
    QFETCH(QString, errorPart);
    RelayOptions options;
    QString error;
    QCOMPARE(options.parse(QStringList {u"relay"_qs} + arguments, environment, &error), Outcome::Error);
    QVERIFY2(error.contains(errorPart), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
}

void TestRelayOptions::cluster()
{
    RelayOptions fromEnv;
    QString error;
    QCOMPARE(fromEnv.parse({u"relay"_qs}, env({{"REDIS_URL", "redis://cache:6380/2"}}), &error),
             Outcome::Run);
    QVERIFY(fromEnv.config.cluster);
    QCOMPARE(fromEnv.config.cluster->url.host, u"cache"_qs);
    QCOMPARE(fromEnv.config.cluster->url.port, 6380);
    QCOMPARE(fromEnv.config.cluster->url.db, 2);
    QCOMPARE(fromEnv.config.cluster->prefix, QByteArray("grouploop:"));
    QCOMPARE(fromEnv.config.cluster->deviceTtlMs, 10000);

    RelayOptions flags;
    QCOMPARE(flags.parse({u"relay"_qs, u"--redis"_qs, u"redis://10.0.0.9"_qs, u"--redis-prefix"_qs,
                          u"hall:"_qs, u"--redis-device-ttl"_qs, u"2.5"_qs},
                         env({{"REDIS_URL", "redis://elsewhere"}}), &error),
             Outcome::Run);
    QCOMPARE(flags.config.cluster->url.host, u"10.0.0.9"_qs);
    QCOMPARE(flags.config.cluster->url.port, 6379);
    QCOMPARE(flags.config.cluster->prefix, QByteArray("hall:"));
    QCOMPARE(flags.config.cluster->deviceTtlMs, 2500);
}

void TestRelayOptions::firmwareDirFromWebRoot()
{
    QTemporaryDir withFolder, withoutFolder, explicitFolder;
    QVERIFY(QDir(withFolder.path()).mkdir(u"firmware"_qs));
    const QString oldHubFolder = withFolder.path() + u"/firmware"_qs;
    QString error;

    RelayOptions byDefault; // the old hub's layout: <web-root>/firmware
    QCOMPARE(byDefault.parse({u"relay"_qs, u"--web-root"_qs, withFolder.path()}, {}, &error), Outcome::Run);
    QCOMPARE(byDefault.config.firmwareDir, oldHubFolder);
    RelayOptions fromEnvRoot;
    QCOMPARE(fromEnvRoot.parse({u"relay"_qs}, env({{"GROUPLOOP_WEB_ROOT", qPrintable(withFolder.path())}}),
                               &error),
             Outcome::Run);
    QCOMPARE(fromEnvRoot.config.firmwareDir, oldHubFolder);

    RelayOptions noFolder; // no firmware/ in the web root: no firmware folder at all
    QCOMPARE(noFolder.parse({u"relay"_qs, u"--web-root"_qs, withoutFolder.path()}, {}, &error), Outcome::Run);
    QVERIFY(noFolder.config.firmwareDir.isEmpty());
    RelayOptions noWebRoot;
    QCOMPARE(noWebRoot.parse({u"relay"_qs}, {}, &error), Outcome::Run);
    QVERIFY(noWebRoot.config.firmwareDir.isEmpty());

    // An explicit folder wins, as a flag or from the environment.
    RelayOptions explicitFlag;
    QCOMPARE(explicitFlag.parse({u"relay"_qs, u"--web-root"_qs, withFolder.path(), u"--firmware-dir"_qs,
                                 explicitFolder.path()},
                                {}, &error),
             Outcome::Run);
    QCOMPARE(explicitFlag.config.firmwareDir, explicitFolder.path());
    RelayOptions explicitEnv;
    QCOMPARE(explicitEnv.parse({u"relay"_qs, u"--web-root"_qs, withFolder.path()},
                               env({{"GROUPLOOP_FIRMWARE_DIR", qPrintable(explicitFolder.path())}}), &error),
             Outcome::Run);
    QCOMPARE(explicitEnv.config.firmwareDir, explicitFolder.path());
}

void TestRelayOptions::helpShowsEachDefault_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("shown");
    const RelayConfig d;
    const GroupLoop::Cluster::ClusterSettings cluster;
    const auto number = [](double value) { return QString::number(value, 'g', 12); };
    const QList<std::pair<const char *, QString>> rows = {
        {"host", u"0.0.0.0"_qs},
        {"port", number(d.port)},
        {"log-level", u"info"_qs},
        {"log-format", u"text"_qs},
        {"redis-prefix", QString::fromUtf8(cluster.prefix)},
        {"redis-device-ttl", number(cluster.deviceTtlMs / 1000.0)},
        {"max-message-bytes", number(double(d.maxMessageBytes))},
        {"max-connections", number(d.maxConnections)},
        {"max-frame-rate", number(d.maxFramesPerSecond)},
        {"handshake-timeout-ms", number(d.handshakeTimeoutMs)},
        {"max-request-head-bytes", number(d.maxRequestHeadBytes)},
        {"ping-interval", number(d.pingIntervalMs / 1000.0)},
        {"ping-timeout", number(d.pongTimeoutMs / 1000.0)},
        {"batch-ms", number(d.batchMs)},
        {"fanout-ms", number(d.fanoutMs)},
        {"coalesce-ms", number(double(d.coalesceUs) / 1000.0)},
        {"outbox-high-water", number(double(d.outboxHighWaterBytes))},
        {"slow-consumer-timeout", number(d.slowConsumerTimeoutMs / 1000.0)},
        {"record-rotate-mb", number(double(d.recordRotateBytes))},
        {"record-rotate-minutes", number(double(d.recordRotateMs))},
    };
    for (const auto &[option, shown] : rows)
        QTest::newRow(option) << QString::fromLatin1(option) << shown;
}

void TestRelayOptions::helpShowsEachDefault()
{
    QFETCH(QString, option);
    QFETCH(QString, shown);
    const auto entries = helpEntries(helpText());
    QVERIFY2(entries.contains(option), qPrintable(option));
    QCOMPARE(shownDefault(entries.value(option).text), shown);
}

void TestRelayOptions::everyFlagWithADefaultShowsIt()
{
    // Every flag that takes a value names its default, "none: ..." where its absence is one.
    const QStringList none;
    int withValue = 0;
    const QStringList broken = GroupLoop::Testing::optionsBreakingDefaults(helpText(), none, &withValue);
    QVERIFY2(broken.isEmpty(), qPrintable(broken.join(u'\n')));
    QCOMPARE(withValue, 37); // every flag that takes a value was looked at
}

QTEST_APPLESS_MAIN(TestRelayOptions)
#include "tst_relayoptions.moc"
