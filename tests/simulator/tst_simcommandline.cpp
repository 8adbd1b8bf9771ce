// SimCommandLine: every flag maps onto the config, every bad value is a one-line error.
#include "helpentries.h"
#include "simcommandline.h"
#include "testcerts.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace GroupLoop;
using GroupLoop::Testing::helpEntries;
using GroupLoop::Testing::shownDefault;

class TestSimCommandLine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults();
    void allFlags();
    void helpAndVersion();
    void gatewayCappedAtDevices();
    void errors_data();
    void errors();
    void helpShowsEachDefault_data();
    void helpShowsEachDefault();
    void everyFlagWithADefaultShowsIt();
    void tlsAndTokenFlags();
    void tlsAndTokenErrors_data();
    void tlsAndTokenErrors();

private:
    QString writeFile(const QString &name, const QByteArray &contents);
    QTemporaryDir m_dir;
};

namespace {

bool parse(QStringList args, SimOptions *options, QString *error)
{
    args.prepend(u"grouploop-sim"_qs);
    return SimCommandLine::parse(args, options, error);
}

} // namespace

void TestSimCommandLine::defaults()
{
    SimOptions options;
    QString error;
    QVERIFY2(parse({}, &options, &error), qPrintable(error));
    QCOMPARE(options.action, SimOptions::Action::Run);
    QCOMPARE(options.config.link.url, QUrl(u"ws://127.0.0.1:5003"_qs));
    QCOMPARE(options.config.swarm.devices, 50);
    QCOMPARE(options.config.link.hz, 25.0);
    QCOMPARE(options.config.link.gateway, 1);
    QCOMPARE(options.seconds, 0);
    QVERIFY(!options.config.swarm.seed);
    QCOMPARE(options.config.swarm.rotation, RotationMode::Off);
    QCOMPARE(options.config.swarm.tapRate, 0.2);
    QCOMPARE(options.config.swarm.flocking.alignment, 0.8);
    QCOMPARE(options.config.swarm.flocking.cohesion, 0.6);
    QCOMPARE(options.config.swarm.flocking.separation, 1.2);
    QCOMPARE(options.config.swarm.flocking.alignmentRadius, 160.0);
    QCOMPARE(options.config.swarm.flocking.cohesionRadius, 160.0);
    QCOMPARE(options.config.swarm.flocking.separationRadius, 80.0);
    QCOMPARE(options.config.swarm.flocking.maxSpeed, 120.0);
    QCOMPARE(options.config.swarm.flocking.maxForce, 80.0);
    QCOMPARE(options.config.snapshotHz, 0);
    QVERIFY(options.config.link.noDelay);
}

void TestSimCommandLine::allFlags()
{
    SimOptions options;
    QString error;
    QVERIFY2(parse({u"--url"_qs,
                    u"ws://relay.example:6000/x"_qs,
                    u"--devices"_qs,
                    u"2000"_qs,
                    u"--hz"_qs,
                    u"50"_qs,
                    u"--seconds"_qs,
                    u"30"_qs,
                    u"--seed"_qs,
                    u"4294967295"_qs,
                    u"--gateway"_qs,
                    u"10"_qs,
                    u"--rotation"_qs,
                    u"random"_qs,
                    u"--tap-rate"_qs,
                    u"1.5"_qs,
                    u"--alignment"_qs,
                    u"1"_qs,
                    u"--cohesion"_qs,
                    u"0.5"_qs,
                    u"--separation"_qs,
                    u"2"_qs,
                    u"--alignment-radius"_qs,
                    u"100"_qs,
                    u"--cohesion-radius"_qs,
                    u"120"_qs,
                    u"--separation-radius"_qs,
                    u"40"_qs,
                    u"--max-speed"_qs,
                    u"200"_qs,
                    u"--max-force"_qs,
                    u"90"_qs,
                    u"--max-angular"_qs,
                    u"10,20,30"_qs,
                    u"--jitter"_qs,
                    u"0.2"_qs,
                    u"--connect-rate"_qs,
                    u"500"_qs,
                    u"--connect-timeout"_qs,
                    u"3"_qs,
                    u"--quiet"_qs,
                    u"--nagle"_qs},
                   &options, &error),
             qPrintable(error));
    const SimulationConfig &c = options.config;
    QCOMPARE(c.link.url, QUrl(u"ws://relay.example:6000/x"_qs));
    QCOMPARE(c.swarm.devices, 2000);
    QCOMPARE(c.link.hz, 50.0);
    QCOMPARE(options.seconds, 30);
    QCOMPARE(*c.swarm.seed, 4294967295u);
    QCOMPARE(c.link.gateway, 10);
    QCOMPARE(c.swarm.rotation, RotationMode::Random);
    QCOMPARE(c.swarm.tapRate, 1.5);
    QCOMPARE(c.swarm.flocking.alignment, 1.0);
    QCOMPARE(c.swarm.flocking.cohesion, 0.5);
    QCOMPARE(c.swarm.flocking.separation, 2.0);
    QCOMPARE(c.swarm.flocking.alignmentRadius, 100.0);
    QCOMPARE(c.swarm.flocking.cohesionRadius, 120.0);
    QCOMPARE(c.swarm.flocking.separationRadius, 40.0);
    QCOMPARE(c.swarm.flocking.maxSpeed, 200.0);
    QCOMPARE(c.swarm.flocking.maxForce, 90.0);
    QCOMPARE(c.swarm.maxAngularVelocity, (std::array<double, 3> {10.0, 20.0, 30.0}));
    QCOMPARE(c.link.jitter, 0.2);
    QCOMPARE(c.link.connectRate, 500.0);
    QCOMPARE(options.connectTimeoutSeconds, 3);
    QVERIFY(options.quiet);
    QVERIFY(!c.link.noDelay);

    QVERIFY(parse({u"--max-angular=45"_qs, u"--rotation=constant"_qs}, &options, &error));
    QCOMPARE(options.config.swarm.maxAngularVelocity, (std::array<double, 3> {45.0, 45.0, 45.0}));
    QCOMPARE(options.config.swarm.rotation, RotationMode::Constant);
}

void TestSimCommandLine::helpAndVersion()
{
    SimOptions options;
    QString error;
    QVERIFY(parse({u"--version"_qs}, &options, &error));
    QCOMPARE(options.action, SimOptions::Action::ShowVersion);
    QVERIFY(parse({u"--help"_qs}, &options, &error));
    QCOMPARE(options.action, SimOptions::Action::ShowHelp);
    const QString help = SimCommandLine::helpText();
    for (const char *flag : {"--url", "--devices", "--hz", "--seconds", "--seed", "--gateway", "--rotation",
                             "--tap-rate", "--alignment", "--max-speed", "--version"})
        QVERIFY2(help.contains(QLatin1String(flag)), flag);
}

void TestSimCommandLine::gatewayCappedAtDevices()
{
    SimOptions options;
    QString error;
    QVERIFY(parse({u"--devices"_qs, u"3"_qs, u"--gateway"_qs, u"10"_qs}, &options, &error));
    QCOMPARE(options.config.link.gateway, 3);
}

void TestSimCommandLine::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown flag") << QStringList {u"--devcies"_qs, u"3"_qs} << u"devcies"_qs;
    QTest::newRow("missing value") << QStringList {u"--devices"_qs} << u"devices"_qs;
    QTest::newRow("not a number") << QStringList {u"--hz"_qs, u"fast"_qs} << u"--hz"_qs;
    QTest::newRow("fractional devices") << QStringList {u"--devices"_qs, u"2.5"_qs} << u"--devices"_qs;
    QTest::newRow("negative seed") << QStringList {u"--seed"_qs, u"-1"_qs} << u"--seed"_qs;
    QTest::newRow("huge seed") << QStringList {u"--seed"_qs, u"4294967296"_qs} << u"--seed"_qs;
    QTest::newRow("zero devices") << QStringList {u"--devices"_qs, u"0"_qs} << u"devices"_qs;
    QTest::newRow("too many devices") << QStringList {u"--devices"_qs, u"20001"_qs} << u"devices"_qs;
    QTest::newRow("rate too high") << QStringList {u"--hz"_qs, u"101"_qs} << u"Hz"_qs;
    QTest::newRow("rate too low") << QStringList {u"--hz"_qs, u"0.5"_qs} << u"Hz"_qs;
    QTest::newRow("bad rotation") << QStringList {u"--rotation"_qs, u"spin"_qs} << u"--rotation"_qs;
    QTest::newRow("bad angular") << QStringList {u"--max-angular"_qs, u"1,2"_qs} << u"--max-angular"_qs;
    QTest::newRow("negative tap rate") << QStringList {u"--tap-rate"_qs, u"-1"_qs} << u"tap rate"_qs;
    QTest::newRow("nan") << QStringList {u"--alignment"_qs, u"nan"_qs} << u"--alignment"_qs;
    QTest::newRow("https url") << QStringList {u"--url"_qs, u"http://127.0.0.1:5003"_qs} << u"scheme"_qs;
    QTest::newRow("no host") << QStringList {u"--url"_qs, u"ws://"_qs} << u"URL"_qs;
    QTest::newRow("stray argument") << QStringList {u"fast"_qs} << u"fast"_qs;
    QTest::newRow("zero connect timeout")
        << QStringList {u"--connect-timeout"_qs, u"0"_qs} << u"--connect-timeout"_qs;
    QTest::newRow("zero gateway") << QStringList {u"--gateway"_qs, u"0"_qs} << u"gateway"_qs;
}

void TestSimCommandLine::errors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    SimOptions options;
    QString error;
    QVERIFY(!parse(args, &options, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
    QVERIFY(!error.contains(QLatin1Char('\n')));
}

void TestSimCommandLine::helpShowsEachDefault_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("shown");
    const SimOptions d;
    const SwarmConfig &swarm = d.config.swarm;
    const LinkConfig &link = d.config.link;
    const auto number = [](double value) { return QString::number(value, 'g', 12); };
    const QList<std::pair<const char *, QString>> rows = {
        {"url", link.url.toString()},
        {"devices", number(swarm.devices)},
        {"hz", number(link.hz)},
        {"seconds", number(d.seconds)},
        {"gateway", number(link.gateway)},
        {"tap-rate", number(swarm.tapRate)},
        {"alignment", number(swarm.flocking.alignment)},
        {"cohesion", number(swarm.flocking.cohesion)},
        {"separation", number(swarm.flocking.separation)},
        {"alignment-radius", number(swarm.flocking.alignmentRadius)},
        {"cohesion-radius", number(swarm.flocking.cohesionRadius)},
        {"separation-radius", number(swarm.flocking.separationRadius)},
        {"max-speed", number(swarm.flocking.maxSpeed)},
        {"max-force", number(swarm.flocking.maxForce)},
        {"jitter", number(link.jitter)},
        {"connect-rate", number(link.connectRate)},
        {"connect-timeout", number(d.connectTimeoutSeconds)},
        {"rotation", rotationModeName(swarm.rotation)},
        {"max-angular", number(swarm.maxAngularVelocity[0])},
        {"speed", number(d.replaySpeed)},
    };
    for (const auto &[option, shown] : rows)
        QTest::newRow(option) << QString::fromLatin1(option) << shown;
}

void TestSimCommandLine::helpShowsEachDefault()
{
    QFETCH(QString, option);
    QFETCH(QString, shown);
    const auto entries = helpEntries(SimCommandLine::helpText());
    QVERIFY2(entries.contains(option), qPrintable(option));
    QCOMPARE(shownDefault(entries.value(option).text), shown);
}

void TestSimCommandLine::everyFlagWithADefaultShowsIt()
{
    // Every flag that takes a value names its default, "none: ..." where its absence is one.
    const QStringList none;
    int withValue = 0;
    const QStringList broken
        = GroupLoop::Testing::optionsBreakingDefaults(SimCommandLine::helpText(), none, &withValue);
    QVERIFY2(broken.isEmpty(), qPrintable(broken.join(u'\n')));
    QCOMPARE(withValue, 27); // every flag that takes a value was looked at
}

QString TestSimCommandLine::writeFile(const QString &name, const QByteArray &contents)
{
    QFile file(m_dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
        qFatal("cannot write %s", qPrintable(file.fileName()));
    return file.fileName();
}

void TestSimCommandLine::tlsAndTokenFlags()
{
    const QString ca = writeFile(u"ca.pem"_qs, Testing::makeSelfSigned().certPem);
    const QString tokens = writeFile(u"token"_qs, "# the relay's controller token\n\n  k3y-1  \nsecond\n");
    SimOptions options;
    QString error;
    QVERIFY2(parse({u"--url"_qs, u"wss://127.0.0.1:5443"_qs, u"--ca-file"_qs, ca, u"--token-file"_qs, tokens},
                   &options, &error),
             qPrintable(error));
    QCOMPARE(options.config.link.url, QUrl(u"wss://127.0.0.1:5443"_qs));
    QCOMPARE(options.config.link.caFile, ca);
    QVERIFY(!options.config.link.insecure);
    QCOMPARE(options.config.link.token, QByteArray("k3y-1")); // the first line that is not blank or #
    QVERIFY2(parse({u"--url"_qs, u"wss://relay.example/x"_qs, u"--insecure"_qs, u"--token"_qs, u"abc"_qs},
                   &options, &error),
             qPrintable(error));
    QVERIFY(options.config.link.insecure);
    QVERIFY(options.config.link.caFile.isEmpty());
    QCOMPARE(options.config.link.token, QByteArray("abc"));
    // A token in the URL travels as it is; nothing else carries one.
    QVERIFY2(parse({u"--url"_qs, u"ws://127.0.0.1:5003/?token=abc"_qs}, &options, &error), qPrintable(error));
    QVERIFY(options.config.link.token.isEmpty());
    QVERIFY2(parse({}, &options, &error), qPrintable(error));
    QVERIFY(options.config.link.token.isEmpty());
    QVERIFY(options.config.link.caFile.isEmpty());
    QVERIFY(!options.config.link.insecure);
}

void TestSimCommandLine::tlsAndTokenErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QVERIFY(m_dir.isValid());
    const QString ca = writeFile(u"ca.pem"_qs, Testing::makeSelfSigned().certPem);
    const QString empty = writeFile(u"empty"_qs, "# nothing here\n\n");
    const QString missing = m_dir.filePath(u"missing"_qs);
    const QString wss = u"wss://127.0.0.1:5443"_qs;
    QTest::newRow("--ca-file on ws://")
        << QStringList {u"--ca-file"_qs, ca} << u"--ca-file needs a wss://"_qs;
    QTest::newRow("--insecure on ws://") << QStringList {u"--insecure"_qs} << u"--insecure needs a wss://"_qs;
    QTest::newRow("--ca-file and --insecure")
        << QStringList {u"--url"_qs, wss, u"--ca-file"_qs, ca, u"--insecure"_qs} << u"contradict"_qs;
    QTest::newRow("CA file missing") << QStringList {u"--url"_qs, wss, u"--ca-file"_qs, missing}
                                     << u"cannot read CA file"_qs;
    QTest::newRow("CA file without a certificate")
        << QStringList {u"--url"_qs, wss, u"--ca-file"_qs, empty} << u"holds no PEM certificate"_qs;
    QTest::newRow("--token and --token-file")
        << QStringList {u"--token"_qs, u"a"_qs, u"--token-file"_qs, ca} << u"give the token once"_qs;
    QTest::newRow("token twice") << QStringList {u"--url"_qs, u"ws://h/?token=a"_qs, u"--token"_qs, u"b"_qs}
                                 << u"?token="_qs;
    QTest::newRow("token file missing") << QStringList {u"--token-file"_qs, missing} << u"--token-file"_qs;
    QTest::newRow("token file empty") << QStringList {u"--token-file"_qs, empty} << u"holds no token"_qs;
    QTest::newRow("empty token") << QStringList {u"--token"_qs, QString()} << u"--token"_qs;
    QTest::newRow("token with a space") << QStringList {u"--token"_qs, u"two words"_qs} << u"printable"_qs;
}

void TestSimCommandLine::tlsAndTokenErrors()
{
    errors(); // the same check: one line naming the problem
}

QTEST_APPLESS_MAIN(TestSimCommandLine)
#include "tst_simcommandline.moc"
