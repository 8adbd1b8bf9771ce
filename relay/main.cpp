// grouploop-relay: the headless relay. Parse options, build the server, run.
#include "commandfetcher.h"
#include "eventdispatcher.h"
#include "relaylogging.h"
#include "relayoptions.h"
#include "relayserver.h"
#include "unixsignals.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

using namespace GroupLoop;

int main(int argc, char *argv[])
{
    RelayServer::preferScalableEventDispatcher();
    if (QAbstractEventDispatcher *dispatcher = createEventDispatcher())
        QCoreApplication::setEventDispatcher(dispatcher); // epoll; GROUPLOOP_DISPATCHER=qt keeps Qt's
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("grouploop-relay"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GROUPLOOP_VERSION));
    installLogFormat(QStringLiteral("text"));

    RelayOptions options;
    QString error;
    switch (options.parse(QCoreApplication::arguments(), QProcessEnvironment::systemEnvironment(), &error)) {
    case RelayOptions::Outcome::ShowHelp:
        std::fputs(qPrintable(options.helpText()), stdout);
        return 0;
    case RelayOptions::Outcome::ShowVersion:
        std::printf("grouploop-relay %s\n", GROUPLOOP_VERSION);
        return 0;
    case RelayOptions::Outcome::Error:
        std::fprintf(stderr, "grouploop-relay: %s (see --help)\n", qPrintable(error));
        return 2;
    case RelayOptions::Outcome::Run:
        break;
    }
    RelayOptions::applyLogLevel(options.logLevel);
    installLogFormat(options.logFormat);

    if (!options.commandsFile.isEmpty()) {
        const auto extra = CommandRegistry::fromFile(options.commandsFile, &error);
        if (!extra) {
            std::fprintf(stderr, "grouploop-relay: %s\n", qPrintable(error));
            return 1;
        }
        options.config.registry.merge(*extra);
    }

    RelayServer server(options.config);
    // Before listening: a SIGTERM that comes as soon as the port accepts still closes cleanly.
    UnixSignals signals_;
    QObject::connect(&signals_, &UnixSignals::terminationRequested, &app, [&server](int signal) {
        qCInfo(lcRelay).noquote() << QStringLiteral("[STOP] signal %1: closing every client").arg(signal);
        server.shutdown();
        QTimer::singleShot(300, qApp, &QCoreApplication::quit); // let close frames go out
    });
    if (!server.listen(&error)) {
        std::fprintf(stderr, "grouploop-relay: %s\n", qPrintable(error));
        return 1;
    }

    if (options.commandsUrl.isValid()) {
        auto *fetcher = new CommandFetcher(options.commandsUrl, &app);
        QObject::connect(fetcher, &CommandFetcher::fetched, &server,
                         [&server](const CommandRegistry &fetched) {
                             CommandRegistry merged = server.registry();
                             merged.merge(fetched);
                             server.setRegistry(merged);
                         });
        fetcher->start();
    }

    return app.exec();
}
