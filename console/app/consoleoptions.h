// ConsoleOptions: the grouploop-console command line.
#pragma once

#include "outputsconfig.h"

#include <QStringList>
#include <QUrl>

namespace GroupLoop {

struct ConsoleOptions
{
    enum class Outcome { Run, ShowHelp, ShowVersion, Error };

    QUrl url; // set: use this external relay, no built-in one
    quint16 relayPort = 5003; // built-in relay port
    QString screenshotFile; // set: save the window as PNG after start-up and exit
    int screenshotDelayMs = 1500;
    QString view; // initial view: field, devices, detail, log
    QString theme; // light or dark; empty = remembered choice
    int demoDevices = 0; // --demo N: virtual devices from the simulator library
    QString replayFile; // --replay FILE: open this session file and play it (docs/recording.md)
    QString recordFile; // --record FILE: record from start-up until the console closes
    QString webRoot; // --web-root DIR: the built-in relay serves it (docs/hub.md); empty: the setting
    int staleAfterMs = 2000;
    int forgetAfterMs = 5000;
    QString token; // --token / --token-file, or ?token= taken out of --url (never printed)
    QString caFile; // --ca-file: PEM certificates trusted for wss:// besides the system's
    QList<OscDestination> oscOut; // --osc-out HOST:PORT (repeatable): the default OSC scheme there
    int oscInPort = -1; // --osc-in PORT: show control over OSC (docs/outputs.md)
    QString mappingsFile; // --mappings FILE: an outputs file (read by main(), which reports a bad file)

    static const QStringList &viewNames();

    // Parses arguments (argv[0] first). Needs no QCoreApplication, so --help, --version and a
    // bad flag work without a display. On Error, *error holds one line for the user.
    Outcome parse(const QStringList &arguments, QString *error);
    QString helpText() const { return m_helpText; }

private:
    QString m_helpText;
};

} // namespace GroupLoop
