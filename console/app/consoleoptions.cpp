#include "consoleoptions.h"

#include "relayclient.h"
#include "tokenfile.h"

#include <QCommandLineParser>
#include <QSslCertificate>

namespace GroupLoop {

const QStringList &ConsoleOptions::viewNames()
{
    static const QStringList names
        = {QStringLiteral("field"),    QStringLiteral("devices"),   QStringLiteral("detail"),
           QStringLiteral("log"),      QStringLiteral("simulator"), QStringLiteral("emulator"),
           QStringLiteral("sessions"), QStringLiteral("firmware"),  QStringLiteral("outputs")};
    return names;
}

static bool parseInt(const QString &text, int min, int max, int *out)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < min || value > max)
        return false;
    *out = value;
    return true;
}

// --token wins over a token in the URL; --token-file over both. Errors never quote the token.
static bool parseToken(const QString &option, const QString &file, QString *token, QString *error)
{
    if (!option.isNull()) {
        if (option.trimmed().isEmpty()) {
            *error = QStringLiteral("--token needs a non-empty value");
            return false;
        }
        *token = option.trimmed();
    }
    if (file.isEmpty())
        return true;
    const std::optional<QList<QByteArray>> tokens = TokenFile::read(file, error);
    if (!tokens) {
        *error = QStringLiteral("--token-file: ") + *error; // names the file, never a token
        return false;
    }
    *token = QString::fromUtf8(tokens->constFirst());
    return true;
}

ConsoleOptions::Outcome ConsoleOptions::parse(const QStringList &arguments, QString *error)
{
    // Every option's help names its default, taken from a default-constructed ConsoleOptions
    // (consoleoptions.h), so the text cannot drift from what the console does.
    const ConsoleOptions defaults;
    const auto withDefault = [](const QString &text, const QString &value) -> QString {
        return text + QStringLiteral(" (default: ") + value + QStringLiteral(").");
    };
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("GroupLoop console: watch and command a room of GroupLoop devices. With no flags it "
                       "starts its own relay on 0.0.0.0:%1 and connects to it.")
            .arg(defaults.relayPort));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption urlOption(
        QStringLiteral("url"),
        withDefault(QStringLiteral("Use the relay at <url> (ws:// or wss://); no built-in relay"),
                    QStringLiteral("none, the built-in relay")),
        QStringLiteral("url"));
    const QCommandLineOption portOption(
        QStringLiteral("relay-port"),
        withDefault(QStringLiteral("Port of the built-in relay; if it is taken, the relay there is joined or "
                                   "another port is used"),
                    QString::number(defaults.relayPort)),
        QStringLiteral("port"));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        withDefault(QStringLiteral("Save the main window as PNG to <file> after start-up, then exit"),
                    QStringLiteral("none")),
        QStringLiteral("file"));
    const QCommandLineOption delayOption(
        QStringLiteral("screenshot-delay"),
        withDefault(QStringLiteral("Milliseconds to wait before the screenshot"),
                    QString::number(defaults.screenshotDelayMs)),
        QStringLiteral("ms"));
    const QCommandLineOption viewOption(
        QStringLiteral("view"),
        withDefault(QStringLiteral("Initial view: %1").arg(viewNames().join(QStringLiteral(", "))),
                    QStringLiteral("the view shown last, %1 the first time").arg(viewNames().constFirst())),
        QStringLiteral("name"));
    const QCommandLineOption themeOption(
        QStringLiteral("theme"),
        withDefault(QStringLiteral("light or dark"),
                    QStringLiteral("the theme chosen last, light the first time")),
        QStringLiteral("name"));
    const QCommandLineOption staleOption(QStringLiteral("stale-ms"),
                                         withDefault(QStringLiteral("Grey out devices silent this long"),
                                                     QString::number(defaults.staleAfterMs)),
                                         QStringLiteral("ms"));
    const QCommandLineOption forgetOption(QStringLiteral("forget-ms"),
                                          withDefault(QStringLiteral("Remove devices silent this long"),
                                                      QString::number(defaults.forgetAfterMs)),
                                          QStringLiteral("ms"));
    const QCommandLineOption demoOption(
        QStringLiteral("demo"),
        withDefault(
            QStringLiteral("Spawn <n> virtual devices (simulator library) into the relay the console uses"),
            QStringLiteral("none")),
        QStringLiteral("n"));
    const QCommandLineOption replayOption(
        QStringLiteral("replay"),
        withDefault(QStringLiteral("Open a recorded session file (docs/recording.md) and play it as if live"),
                    QStringLiteral("none")),
        QStringLiteral("file"));
    const QCommandLineOption recordOption(
        QStringLiteral("record"),
        withDefault(QStringLiteral(
                        "Record what the console receives to a session file from start-up until it closes"),
                    QStringLiteral("none")),
        QStringLiteral("file"));
    const QCommandLineOption oscOutOption(
        QStringLiteral("osc-out"),
        withDefault(QStringLiteral("Send every device's data as OSC to HOST:PORT (UDP, the default scheme of "
                                   "docs/outputs.md); repeat for more destinations"),
                    QStringLiteral("none")),
        QStringLiteral("host:port"));
    const QCommandLineOption oscInOption(
        QStringLiteral("osc-in"),
        withDefault(
            QStringLiteral("Take show control over OSC on UDP <port> (/grouploop/cmd, /grouploop/select)"),
            QStringLiteral("off, or as left in the Outputs view")),
        QStringLiteral("port"));
    const QCommandLineOption mappingsOption(
        QStringLiteral("mappings"),
        withDefault(QStringLiteral("Load an outputs file (OSC destinations, MIDI port, mappings; JSON)"),
                    QStringLiteral("the file used last")),
        QStringLiteral("file"));
    const QCommandLineOption webRootOption(
        QStringLiteral("web-root"),
        withDefault(QStringLiteral("The built-in relay serves the browser apps of this folder (docs/hub.md)"),
                    QStringLiteral("the folder set in the Join dialog, none the first time")),
        QStringLiteral("dir"));
    const QCommandLineOption tokenOption(
        QStringLiteral("token"),
        withDefault(QStringLiteral("Controller token of a relay that needs one; every user on this machine "
                                   "sees it in ps, so prefer a token file"),
                    QStringLiteral("the token remembered for the relay, if any")),
        QStringLiteral("token"));
    const QCommandLineOption tokenFileOption(
        QStringLiteral("token-file"),
        withDefault(QStringLiteral("Read the controller token from <file> (its first line that is not "
                                   "empty or a # comment)"),
                    QStringLiteral("none")),
        QStringLiteral("file"));
    const QCommandLineOption caFileOption(
        QStringLiteral("ca-file"),
        withDefault(QStringLiteral("Trust the PEM certificates in <file> (a private CA, or a relay's "
                                   "self-signed certificate) for wss://, besides the system's"),
                    QStringLiteral("the system's CAs and the certificates trusted in the console")),
        QStringLiteral("file"));
    parser.addOptions({urlOption, portOption, webRootOption, tokenOption, tokenFileOption, caFileOption,
                       demoOption, replayOption, recordOption, screenshotOption, delayOption, viewOption,
                       themeOption, staleOption, forgetOption, oscOutOption, oscInOption, mappingsOption});
    // Without a QCoreApplication (parsing comes first) Qt names the program <executable_name>.
    m_helpText
        = parser.helpText().replace(QStringLiteral("<executable_name>"), QStringLiteral("grouploop-console"));

    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return Outcome::Error;
    }
    if (parser.isSet(help))
        return Outcome::ShowHelp;
    if (parser.isSet(version))
        return Outcome::ShowVersion;
    if (!parser.positionalArguments().isEmpty()) {
        *error = QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first());
        return Outcome::Error;
    }
    if (parser.isSet(urlOption)) {
        url = QUrl(parser.value(urlOption), QUrl::StrictMode);
        token = RelayClient::takeToken(&url); // shown nowhere, not even in the URL or an error
        QString why;
        if (!RelayClient::isRelayUrl(url, &why)) {
            *error = QStringLiteral("--url: ") + why;
            return Outcome::Error;
        }
        if (parser.isSet(portOption)) {
            *error = QStringLiteral(
                "--relay-port configures the built-in relay; it cannot be combined with --url");
            return Outcome::Error;
        }
    }
    if (parser.isSet(webRootOption)) {
        if (parser.isSet(urlOption)) {
            *error = QStringLiteral(
                "--web-root configures the built-in relay; it cannot be combined with --url");
            return Outcome::Error;
        }
        webRoot = parser.value(webRootOption); // the relay checks the folder and reports it
        if (webRoot.isEmpty()) {
            *error = QStringLiteral("--web-root needs a folder");
            return Outcome::Error;
        }
    }
    if (!parseToken(parser.value(tokenOption), parser.value(tokenFileOption), &token, error))
        return Outcome::Error;
    if (parser.isSet(caFileOption)) {
        caFile = parser.value(caFileOption);
        if (QSslCertificate::fromPath(caFile, QSsl::Pem).isEmpty()) {
            *error = QStringLiteral("--ca-file: '%1' holds no readable PEM certificate").arg(caFile);
            return Outcome::Error;
        }
    }
    if (parser.isSet(portOption)) {
        int port = 0;
        if (!parseInt(parser.value(portOption), 0, 65535, &port)) {
            *error = QStringLiteral("--relay-port: '%1' is not a port number (0-65535)")
                         .arg(parser.value(portOption));
            return Outcome::Error;
        }
        relayPort = quint16(port);
    }
    if (parser.isSet(demoOption) && !parseInt(parser.value(demoOption), 1, 20000, &demoDevices)) {
        *error = QStringLiteral("--demo: '%1' is not a device count (1-20000)").arg(parser.value(demoOption));
        return Outcome::Error;
    }
    screenshotFile = parser.value(screenshotOption);
    if (parser.isSet(delayOption) && !parseInt(parser.value(delayOption), 0, 600000, &screenshotDelayMs)) {
        *error = QStringLiteral("--screenshot-delay: '%1' is not a number of milliseconds")
                     .arg(parser.value(delayOption));
        return Outcome::Error;
    }
    if (parser.isSet(viewOption)) {
        view = parser.value(viewOption).toLower();
        if (!viewNames().contains(view)) {
            *error = QStringLiteral("--view: '%1' is not one of %2")
                         .arg(parser.value(viewOption), viewNames().join(QStringLiteral(", ")));
            return Outcome::Error;
        }
    }
    if (parser.isSet(themeOption)) {
        theme = parser.value(themeOption).toLower();
        if (theme != QLatin1String("light") && theme != QLatin1String("dark")) {
            *error = QStringLiteral("--theme: '%1' is not light or dark").arg(parser.value(themeOption));
            return Outcome::Error;
        }
    }
    if (parser.isSet(staleOption) && !parseInt(parser.value(staleOption), 100, 3600000, &staleAfterMs)) {
        *error = QStringLiteral("--stale-ms: '%1' is not a number of milliseconds (>= 100)")
                     .arg(parser.value(staleOption));
        return Outcome::Error;
    }
    if (parser.isSet(forgetOption) && !parseInt(parser.value(forgetOption), 100, 3600000, &forgetAfterMs)) {
        *error = QStringLiteral("--forget-ms: '%1' is not a number of milliseconds (>= 100)")
                     .arg(parser.value(forgetOption));
        return Outcome::Error;
    }
    if (forgetAfterMs < staleAfterMs)
        staleAfterMs = forgetAfterMs;
    for (const QString &text : parser.values(oscOutOption)) {
        QString why;
        const auto destination = OscDestination::fromText(text, &why);
        if (!destination) {
            *error = QStringLiteral("--osc-out: ") + why;
            return Outcome::Error;
        }
        oscOut.append(*destination);
    }
    if (parser.isSet(oscInOption) && !parseInt(parser.value(oscInOption), 0, 65535, &oscInPort)) {
        *error
            = QStringLiteral("--osc-in: '%1' is not a port number (0-65535)").arg(parser.value(oscInOption));
        return Outcome::Error;
    }
    mappingsFile = parser.value(mappingsOption);
    replayFile = parser.value(replayOption); // read by main(), which reports a bad file
    recordFile = parser.value(recordOption); // created by main(), which reports a bad path
    return Outcome::Run;
}

} // namespace GroupLoop
