// console-feeder: streams virtual frames into a relay for manual checks and screenshots of
// the console (tests/console only; the real simulator is grouploop-sim).
#include "devicefeeder.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions({{QStringLiteral("url"), QStringLiteral("Relay URL."), QStringLiteral("url"),
                        QStringLiteral("ws://127.0.0.1:5003")},
                       {QStringLiteral("devices"), QStringLiteral("Device count."), QStringLiteral("n"),
                        QStringLiteral("20")},
                       {QStringLiteral("gateways"), QStringLiteral("Connections."), QStringLiteral("n"),
                        QStringLiteral("1")},
                       {QStringLiteral("hz"), QStringLiteral("Frames per second per device."),
                        QStringLiteral("hz"), QStringLiteral("20")},
                       {QStringLiteral("taps"), QStringLiteral("Taps per second per device."),
                        QStringLiteral("rate"), QStringLiteral("0.1")}});
    parser.process(app);
    GroupLoop::Testing::DeviceFeeder::Config config;
    config.url = QUrl(parser.value(QStringLiteral("url")));
    config.devices = parser.value(QStringLiteral("devices")).toInt();
    config.gateways = std::max(1, parser.value(QStringLiteral("gateways")).toInt());
    config.hz = parser.value(QStringLiteral("hz")).toDouble();
    config.tapRate = parser.value(QStringLiteral("taps")).toDouble();
    if (!config.url.isValid() || config.devices <= 0 || config.hz <= 0.0) {
        std::fprintf(stderr, "console-feeder: bad arguments\n");
        return 2;
    }
    GroupLoop::Testing::DeviceFeeder feeder(config);
    feeder.start();
    return QCoreApplication::exec();
}
