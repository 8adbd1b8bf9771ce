// console-feeder: streams virtual frames into a relay for manual checks, screenshots and the
// console benchmark (tests/console only; the real simulator is grouploop-sim). With
// --host-relay it also runs a RelayServer in this process (no rate limit), so a benchmark can
// keep relay and devices out of the process it measures.
#include "devicefeeder.h"
#include "relayserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>
#include <cmath>

#include <cstdio>
#include <memory>

using namespace GroupLoop;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions(
        {{QStringLiteral("url"), QStringLiteral("Relay URL."), QStringLiteral("url"),
          QStringLiteral("ws://127.0.0.1:5003")},
         {QStringLiteral("devices"), QStringLiteral("Device count."), QStringLiteral("n"),
          QStringLiteral("20")},
         {QStringLiteral("gateways"), QStringLiteral("Connections (0: one per 150 frames/s)."),
          QStringLiteral("n"), QStringLiteral("0")},
         {QStringLiteral("hz"), QStringLiteral("Frames per second per device."), QStringLiteral("hz"),
          QStringLiteral("20")},
         {QStringLiteral("taps"), QStringLiteral("Taps per second per device."), QStringLiteral("rate"),
          QStringLiteral("0.1")},
         {QStringLiteral("host-relay"), QStringLiteral("Run a relay on 127.0.0.1:<port> here first."),
          QStringLiteral("port")},
         {QStringLiteral("seconds"), QStringLiteral("Stop after this long and print totals (0: run on)."),
          QStringLiteral("s"), QStringLiteral("0")}});
    parser.process(app);

    Testing::DeviceFeeder::Config config;
    config.url = QUrl(parser.value(QStringLiteral("url")));
    config.devices = parser.value(QStringLiteral("devices")).toInt();
    config.hz = parser.value(QStringLiteral("hz")).toDouble();
    config.tapRate = parser.value(QStringLiteral("taps")).toDouble();
    const int gateways = parser.value(QStringLiteral("gateways")).toInt();
    config.gateways
        = gateways > 0 ? gateways : std::max(1, int(std::ceil(config.devices * config.hz / 150.0)));
    if (config.devices <= 0 || config.hz <= 0.0) {
        std::fprintf(stderr, "console-feeder: --devices and --hz must be positive\n");
        return 2;
    }

    std::unique_ptr<RelayServer> relay;
    if (parser.isSet(QStringLiteral("host-relay"))) {
        RelayConfig relayConfig;
        relayConfig.host = QHostAddress::LocalHost;
        relayConfig.port = quint16(parser.value(QStringLiteral("host-relay")).toUInt());
        relayConfig.maxFramesPerSecond = 1e9;
        relay = std::make_unique<RelayServer>(relayConfig);
        QString error;
        if (!relay->listen(&error)) {
            std::fprintf(stderr, "console-feeder: relay: %s\n", qPrintable(error));
            return 1;
        }
        config.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(relay->serverPort()));
        std::printf("RELAY %d\n", relay->serverPort());
        std::fflush(stdout);
    }

    Testing::DeviceFeeder feeder(config);
    QObject::connect(&feeder, &Testing::DeviceFeeder::allConnected, [&] {
        std::printf("READY %d gateways\n", config.gateways);
        std::fflush(stdout);
    });
    feeder.start();
    const int seconds = parser.value(QStringLiteral("seconds")).toInt();
    if (seconds > 0) {
        QTimer::singleShot(seconds * 1000, &app, [&] {
            feeder.stop();
            std::printf("SENT %llu\n", static_cast<unsigned long long>(feeder.framesSent()));
            if (relay) {
                const RelayStats s = relay->stats();
                std::printf("RELAY_IN %llu OUT %llu COALESCED %llu\n",
                            static_cast<unsigned long long>(s.framesIn),
                            static_cast<unsigned long long>(s.framesOut),
                            static_cast<unsigned long long>(s.framesCoalesced));
            }
            std::fflush(stdout);
            QCoreApplication::quit();
        });
    }
    return QCoreApplication::exec();
}
