#include "relaybenchoptions.h"

#include "programs.h"
#include "testcerts.h"
#include "tlscontext.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace GroupLoop::Bench {

int parseOptions(const QCoreApplication &app, Options *out)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Load benchmark for grouploop-relay."));
    parser.addHelpOption();
    const QCommandLineOption devicesOpt(QStringLiteral("devices"), QStringLiteral("Device sockets."),
                                        QStringLiteral("n"), QStringLiteral("300"));
    const QCommandLineOption hzOpt(QStringLiteral("hz"), QStringLiteral("Frames per second per device."),
                                   QStringLiteral("hz"), QStringLiteral("50"));
    const QCommandLineOption subsOpt(QStringLiteral("subscribers"), QStringLiteral("Subscriber sockets."),
                                     QStringLiteral("n"), QStringLiteral("5"));
    const QCommandLineOption secondsOpt(QStringLiteral("seconds"), QStringLiteral("Measurement window."),
                                        QStringLiteral("s"), QStringLiteral("10"));
    const QCommandLineOption warmupOpt(QStringLiteral("warmup"), QStringLiteral("Sending before the window."),
                                       QStringLiteral("s"), QStringLiteral("2"));
    const QCommandLineOption jitterOpt(QStringLiteral("jitter"),
                                       QStringLiteral("Send-time jitter as a fraction of the period."),
                                       QStringLiteral("f"), QStringLiteral("0.2"));
    const QCommandLineOption threadsOpt(QStringLiteral("threads"), QStringLiteral("Device sender threads."),
                                        QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption idleOpt(QStringLiteral("idle"),
                                     QStringLiteral("Idle mode: open N idle connections and report RSS."),
                                     QStringLiteral("n"));
    const QCommandLineOption roundsOpt(QStringLiteral("idle-rounds"),
                                       QStringLiteral("Idle mode: open/close rounds."), QStringLiteral("n"),
                                       QStringLiteral("1"));
    const QCommandLineOption relayArgOpt(QStringLiteral("relay-arg"),
                                         QStringLiteral("Argument for the relay child (repeatable)."),
                                         QStringLiteral("arg"));
    const QCommandLineOption relayLogOpt(
        QStringLiteral("relay-log"),
        QStringLiteral("File for the relay child's output (default: discarded)."), QStringLiteral("file"));
    const QCommandLineOption binaryOpt(
        QStringLiteral("relay-binary"),
        QStringLiteral("Relay executable to start (default: the grouploop-relay built "
                       "with this bench)."),
        QStringLiteral("path"), GroupLoop::Testing::relayBinary());
    const QCommandLineOption urlOpt(QStringLiteral("url"), QStringLiteral("Attach to a running relay."),
                                    QStringLiteral("ws-url"));
    const QCommandLineOption pidOpt(QStringLiteral("relay-pid"),
                                    QStringLiteral("With --url: the relay's pid, for CPU and RSS figures."),
                                    QStringLiteral("pid"));
    const QCommandLineOption minDeliveryOpt(
        QStringLiteral("min-delivery"),
        QStringLiteral("Exit 1 when the delivery ratio is below this (0..1)."), QStringLiteral("ratio"),
        QStringLiteral("0"));
    const QCommandLineOption clusterOpt(
        QStringLiteral("cluster"),
        QStringLiteral(
            "Start a redis-server and N relays on it (--redis); devices and subscribers are spread "
            "over the relays round-robin. relay cpu is then the relays' sum."),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption tlsCertOpt(
        QStringLiteral("tls-cert"),
        QStringLiteral("Start the relay with this certificate (and --tls-key) serving wss:// only; the load "
                       "trusts it unless --ca-file or --insecure says otherwise."),
        QStringLiteral("pem"));
    const QCommandLineOption tlsOpt(
        QStringLiteral("tls"),
        QStringLiteral("Like --tls-cert and --tls-key with a self-signed EC certificate made for this run."));
    const QCommandLineOption tlsKeyOpt(QStringLiteral("tls-key"), QStringLiteral("The key for --tls-cert."),
                                       QStringLiteral("pem"));
    const QCommandLineOption caFileOpt(
        QStringLiteral("ca-file"), QStringLiteral("wss://: trust this PEM file instead of the system's CAs."),
        QStringLiteral("pem"));
    const QCommandLineOption insecureOpt(QStringLiteral("insecure"),
                                         QStringLiteral("wss://: do not verify the relay's certificate."));
    const QCommandLineOption tokenOpt(
        QStringLiteral("token"),
        QStringLiteral("Every socket presents this token (Authorization: Bearer); a relay started here gets "
                       "--token with it."),
        QStringLiteral("token"));
    const QCommandLineOption scenarioOpt(
        QStringLiteral("scenario"),
        QStringLiteral("Devices x Hz x subscribers of a documented case (docs/performance.md): light "
                       "(20 x 20 x 2), load (300 x 50 x 5), heavy (2000 x 50 x 5). --devices, --hz and "
                       "--subscribers override it."),
        QStringLiteral("name"));
    parser.addOptions({devicesOpt, hzOpt,     subsOpt,        secondsOpt,  warmupOpt,   jitterOpt,
                       threadsOpt, idleOpt,   roundsOpt,      relayArgOpt, relayLogOpt, binaryOpt,
                       urlOpt,     pidOpt,    minDeliveryOpt, clusterOpt,  tlsOpt,      tlsCertOpt,
                       tlsKeyOpt,  caFileOpt, insecureOpt,    tokenOpt,    scenarioOpt});
    parser.process(app);

    Options &options = *out;
    options.load.devices = parser.value(devicesOpt).toInt();
    options.load.hz = parser.value(hzOpt).toDouble();
    options.load.subscribers = parser.value(subsOpt).toInt();
    if (parser.isSet(scenarioOpt)) {
        struct Scenario
        {
            const char *name;
            int devices;
            double hz;
            int subscribers;
        };
        static constexpr Scenario Scenarios[] = {
            {"light", 20, 20, 2}, // interactive rooms: latency first, pacing idle
            {"load", 300, 50, 5}, // the CPU-per-frame target
            {"heavy", 2000, 50, 5}, // full delivery
        };
        const QString name = parser.value(scenarioOpt);
        const auto it = std::find_if(std::begin(Scenarios), std::end(Scenarios),
                                     [&](const Scenario &s) { return name == QLatin1String(s.name); });
        if (it == std::end(Scenarios)) {
            std::fprintf(stderr, "relaybench: --scenario is light, load or heavy, not %s\n",
                         qPrintable(name));
            return 2;
        }
        if (!parser.isSet(devicesOpt))
            options.load.devices = it->devices;
        if (!parser.isSet(hzOpt))
            options.load.hz = it->hz;
        if (!parser.isSet(subsOpt))
            options.load.subscribers = it->subscribers;
    }
    options.load.jitter = parser.value(jitterOpt).toDouble();
    options.load.threads = parser.value(threadsOpt).toInt();
    options.seconds = parser.value(secondsOpt).toDouble();
    options.warmup = parser.value(warmupOpt).toDouble();
    options.idle = parser.value(idleOpt).toInt();
    options.idleRounds = std::max(1, parser.value(roundsOpt).toInt());
    options.relayArgs = parser.values(relayArgOpt);
    options.relayLog = parser.value(relayLogOpt);
    options.relayPid = parser.value(pidOpt).toLongLong();
    options.minDelivery = parser.value(minDeliveryOpt).toDouble();
    options.cluster = parser.value(clusterOpt).toInt();
    options.load.token = parser.value(tokenOpt).toUtf8();
    if (!options.load.token.isEmpty())
        options.relayArgs += {QStringLiteral("--token"), parser.value(tokenOpt)};
    QString certPath = parser.value(tlsCertOpt);
    QString keyPath = parser.value(tlsKeyOpt);
    const bool tlsRelay = parser.isSet(tlsCertOpt) || parser.isSet(tlsOpt);
    if (parser.isSet(tlsCertOpt) != parser.isSet(tlsKeyOpt)
        || (parser.isSet(tlsCertOpt) && parser.isSet(tlsOpt))
        || (tlsRelay && (parser.isSet(urlOpt) || options.cluster > 0))) {
        std::fprintf(stderr, "relaybench: --tls, or --tls-cert with --tls-key, for one relay started here\n");
        return 2;
    }
    if (parser.isSet(tlsOpt)) {
        options.certDir = std::make_shared<QTemporaryDir>();
        certPath = options.certDir->filePath(QStringLiteral("cert.pem"));
        keyPath = options.certDir->filePath(QStringLiteral("key.pem"));
        if (!options.certDir->isValid() || !Testing::makeSelfSigned().writeFiles(certPath, keyPath)) {
            std::fprintf(stderr, "relaybench: --tls: cannot write a certificate\n");
            return 2;
        }
    }
    if (tlsRelay) // TLS replaces plain on the relay's port
        options.relayArgs += {QStringLiteral("--tls-cert"), certPath, QStringLiteral("--tls-key"), keyPath};
    if (tlsRelay || parser.isSet(caFileOpt) || parser.isSet(insecureOpt)) {
        QString error;
        options.load.tls = TlsContext::client(
            {parser.isSet(caFileOpt) ? parser.value(caFileOpt) : certPath, parser.isSet(insecureOpt)},
            &error);
        if (!options.load.tls) {
            std::fprintf(stderr, "relaybench: %s\n", qPrintable(error));
            return 2;
        }
    }
    if (options.load.devices < 0 || options.load.devices > 65536 || options.load.hz <= 0
        || options.load.subscribers < 0 || options.seconds <= 0 || options.warmup < 0) {
        std::fprintf(stderr, "relaybench: bad --devices/--hz/--subscribers/--seconds/--warmup\n");
        return 2;
    }
    options.relayBinary = parser.value(binaryOpt);
    if (parser.isSet(urlOpt))
        options.attachUrl = QUrl(parser.value(urlOpt));
    options.tlsRelay = tlsRelay;
    return -1;
}

} // namespace GroupLoop::Bench
