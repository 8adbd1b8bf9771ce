// The built grouploop-sim binary on the secured paths, as a user runs it: wss:// into a TLS
// relay trusting its certificate with --ca-file, refused without it (exit 1, one line saying
// why and what to do), --insecure, and tokens in the URL, with --token and with --token-file
// against a relay that requires them; a wss:// URL at a plain port says so.
#include "programs.h"
#include "relayserver.h"
#include "testcerts.h"

#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

const QString SimBinary = GroupLoop::Testing::simBinary();

struct SimRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

// The relay lives in this thread, so wait with the event loop running, never blocking.
SimRun runSim(const QStringList &args, int timeoutMs = 30000)
{
    QProcess sim;
    sim.start(SimBinary, args);
    SimRun run;
    if (!sim.waitForStarted()
        || !QTest::qWaitFor([&] { return sim.state() == QProcess::NotRunning; }, timeoutMs)) {
        sim.kill();
        sim.waitForFinished();
        run.err = u"grouploop-sim did not finish in time"_qs;
        return run;
    }
    run.exitCode = sim.exitStatus() == QProcess::NormalExit ? sim.exitCode() : -1;
    run.out = QString::fromLocal8Bit(sim.readAllStandardOutput());
    run.err = QString::fromLocal8Bit(sim.readAllStandardError());
    return run;
}

} // namespace

class TestSimTls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void streamsIntoATlsRelay_data();
    void streamsIntoATlsRelay();
    void selfSignedWithoutCaFileIsRefused();
    void tokens_data();
    void tokens();
    void framesWithoutTheNeededToken();
    void wssAtAPlainPort();

private:
    std::unique_ptr<RelayServer> startRelay(bool tls, const QByteArray &controllerToken = {},
                                            const QByteArray &deviceToken = {});
    QString wssUrl(const RelayServer &relay, const QString &query = {}) const;

    QTemporaryDir m_dir;
    TestCertificate m_cert;
    QString m_caFile;
};

void TestSimTls::initTestCase()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt has no TLS backend here, so the relay cannot serve wss://");
    QVERIFY(m_dir.isValid());
    m_cert = makeSelfSigned();
    m_caFile = m_dir.filePath(u"cert.pem"_qs);
    QVERIFY(m_cert.writeFiles(m_caFile, m_dir.filePath(u"key.pem"_qs)));
}

std::unique_ptr<RelayServer> TestSimTls::startRelay(bool tls, const QByteArray &controllerToken,
                                                    const QByteArray &deviceToken)
{
    RelayConfig config;
    config.host = QHostAddress::LocalHost;
    config.port = 0;
    if (tls) { // what grouploop-relay --tls-cert cert.pem --tls-key key.pem does
        config.tlsEnabled = true;
        config.tlsPort = 0;
        config.tls = QSslConfiguration::defaultConfiguration();
        config.tls.setLocalCertificate(QSslCertificate(m_cert.certPem, QSsl::Pem));
        config.tls.setPrivateKey(QSslKey(m_cert.keyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey));
        config.tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    config.access.controllerTokens.add(controllerToken);
    config.access.deviceTokens.add(deviceToken);
    auto relay = std::make_unique<RelayServer>(config);
    QString error;
    if (!relay->listen(&error))
        qFatal("relay did not start: %s", qPrintable(error));
    return relay;
}

QString TestSimTls::wssUrl(const RelayServer &relay, const QString &query) const
{
    return u"wss://127.0.0.1:"_qs + QString::number(relay.tlsServerPort()) + u'/' + query;
}

void TestSimTls::streamsIntoATlsRelay_data()
{
    QTest::addColumn<QStringList>("trust");
    QTest::newRow("--ca-file") << QStringList {u"--ca-file"_qs, m_caFile};
    QTest::newRow("--insecure") << QStringList {u"--insecure"_qs};
}

void TestSimTls::streamsIntoATlsRelay()
{
    QFETCH(QStringList, trust);
    auto relay = startRelay(true);
    int mostDevices = 0;
    connect(relay.get(), &RelayServer::deviceCountChanged, this,
            [&](int n) { mostDevices = std::max(mostDevices, n); });
    const SimRun run = runSim(QStringList {u"--url"_qs, wssUrl(*relay), u"--devices"_qs, u"40"_qs, u"--hz"_qs,
                                           u"20"_qs, u"--seconds"_qs, u"3"_qs, u"--seed"_qs, u"5"_qs}
                              + trust);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    QCOMPARE(mostDevices, 40); // every device streamed over TLS
    QVERIFY(relay->stats().framesIn >= 40);
    QVERIFY2(run.out.contains(u"connected 40/40"_qs), qPrintable(run.out));
    QTRY_COMPARE_WITH_TIMEOUT(relay->stats().connections, 0, 10000); // closed on the way out
}

void TestSimTls::selfSignedWithoutCaFileIsRefused()
{
    auto relay = startRelay(true);
    const SimRun run
        = runSim({u"--url"_qs, wssUrl(*relay), u"--devices"_qs, u"3"_qs, u"--connect-timeout"_qs, u"2"_qs});
    QVERIFY2(run.exitCode == 1,
             qPrintable(run.err)); // docs/simulator.md: nothing connected within --connect-timeout
    QVERIFY2(run.err.startsWith(u"grouploop-sim: cannot connect to wss://127.0.0.1:"_qs)
                 && run.err.contains(
                     u"TLS handshake failed: certificate verify failed: self-signed certificate"_qs)
                 && run.err.contains(u"--ca-file FILE"_qs) && run.err.contains(u"--insecure"_qs),
             qPrintable(run.err));
    QCOMPARE(run.err.count(QLatin1Char('\n')), 1);
    QCOMPARE(relay->stats().framesIn, 0u);
}

void TestSimTls::tokens_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("error");
    QTest::newRow("device token in the URL") << u"?token=dev-t0ken"_qs << QStringList() << 0 << QString();
    QTest::newRow("--token") << QString() << QStringList {u"--token"_qs, u"dev-t0ken"_qs} << 0 << QString();
    QTest::newRow("--token-file with the controller token")
        << QString() << QStringList {u"--token-file"_qs, u"tokens"_qs} << 0 << QString();
    QTest::newRow("unknown token") << QString() << QStringList {u"--token"_qs, u"guess"_qs} << 1
                                   << u"server answered \"HTTP/1.1 401 Unauthorized\" (nothing connected "
                                      u"within 2 s) (the relay does not know "
                                      "this token)"_qs;
    QTest::newRow("unknown token in the URL")
        << u"?token=guess"_qs << QStringList() << 1 << u"token=***"_qs; // never printed in the clear
}

void TestSimTls::tokens()
{
    QFETCH(QString, query);
    QFETCH(QStringList, flags);
    QFETCH(int, exitCode);
    QFETCH(QString, error);
    auto relay = startRelay(true, "ctl-t0ken", "dev-t0ken");
    QFile tokens(m_dir.filePath(u"tokens"_qs));
    QVERIFY(tokens.open(QIODevice::WriteOnly));
    tokens.write("# for grouploop-sim\nctl-t0ken\n");
    tokens.close();
    for (QString &flag : flags) {
        if (flag == u"tokens")
            flag = tokens.fileName();
    }
    int mostDevices = 0;
    connect(relay.get(), &RelayServer::deviceCountChanged, this,
            [&](int n) { mostDevices = std::max(mostDevices, n); });
    const SimRun run = runSim(QStringList {u"--url"_qs, wssUrl(*relay, query), u"--ca-file"_qs, m_caFile,
                                           u"--devices"_qs, u"5"_qs, u"--seconds"_qs, u"2"_qs,
                                           u"--connect-timeout"_qs, u"2"_qs, u"--quiet"_qs}
                              + flags);
    QVERIFY2(run.exitCode == exitCode, qPrintable(run.err));
    if (exitCode == 0) {
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
        QCOMPARE(mostDevices, 5);
        QVERIFY(relay->stats().framesIn >= 5);
    } else {
        QVERIFY2(run.err.contains(error), qPrintable(run.err));
        QVERIFY2(!run.err.contains(u"guess"_qs) && !run.out.contains(u"guess"_qs),
                 qPrintable(run.out + run.err));
        QCOMPARE(relay->stats().framesIn, 0u);
    }
}

void TestSimTls::framesWithoutTheNeededToken()
{
    // No token: the upgrade succeeds, the first frame is refused with 4401; the simulator keeps
    // trying and says why on stderr, once.
    auto relay = startRelay(true, "ctl-t0ken", "dev-t0ken");
    const SimRun run = runSim({u"--url"_qs, wssUrl(*relay), u"--ca-file"_qs, m_caFile, u"--devices"_qs,
                               u"2"_qs, u"--seconds"_qs, u"3"_qs, u"--quiet"_qs});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.err.contains(u"code 4401"_qs) && run.err.contains(u"--token-file FILE"_qs),
             qPrintable(run.err));
    QCOMPARE(relay->devices().size(), 0);
}

void TestSimTls::wssAtAPlainPort()
{
    auto relay = startRelay(false);
    const SimRun run = runSim({u"--url"_qs, u"wss://127.0.0.1:"_qs + QString::number(relay->serverPort()),
                               u"--insecure"_qs, u"--devices"_qs, u"2"_qs, u"--connect-timeout"_qs, u"2"_qs});
    QVERIFY2(run.exitCode == 1, qPrintable(run.err));
    QVERIFY2(run.err.contains(u"TLS handshake"_qs) && run.err.contains(u"ws:// port"_qs),
             qPrintable(run.err));
}

QTEST_MAIN(TestSimTls)
#include "tst_simtls.moc"
