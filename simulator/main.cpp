// grouploop-sim: a headless swarm of virtual devices against a relay (docs/simulator.md).
#include "simapp.h"
#include "simcommandline.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("grouploop-sim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GROUPLOOP_VERSION));

    GroupLoop::SimOptions options;
    QString error;
    if (!GroupLoop::SimCommandLine::parse(app.arguments(), &options, &error)) {
        std::fprintf(stderr, "grouploop-sim: %s\n", qPrintable(error));
        return GroupLoop::SimApp::Usage;
    }
    if (options.action == GroupLoop::SimOptions::Action::ShowHelp) {
        std::printf("%s", qPrintable(GroupLoop::SimCommandLine::helpText()));
        return 0;
    }
    if (options.action == GroupLoop::SimOptions::Action::ShowVersion) {
        std::printf("grouploop-sim %s\n", GROUPLOOP_VERSION);
        return 0;
    }
    GroupLoop::SimApp::installSignalHandlers();
    GroupLoop::SimApp sim(options);
    return sim.exec();
}
