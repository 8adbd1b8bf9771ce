#include "simcommandline.h"

#include "helptext.h"
#include "tokenfile.h"

#include <QCommandLineParser>
#include <QUrlQuery>

#include <cmath>
#include <functional>

namespace GroupLoop {

using HelpText::withDefault;

namespace {

struct NumberFlag
{
    const char *name;
    const char *valueName;
    const char *help; // without the default, which --help adds from `current`
    std::function<void(SimOptions &, double)> apply;
    std::function<double(const SimOptions &)> current; // null: no default to show
    bool integer;
};

const QList<NumberFlag> &numberFlags()
{
    static const QList<NumberFlag> flags = {
        {"devices", "n", "Number of virtual devices (1-20000).",
         [](SimOptions &o, double v) { o.config.swarm.devices = int(v); },
         [](const SimOptions &o) { return double(o.config.swarm.devices); }, true},
        {"hz", "rate", "Frames per second per device (1-100).",
         [](SimOptions &o, double v) { o.config.link.hz = v; },
         [](const SimOptions &o) { return o.config.link.hz; }, false},
        {"seconds", "s", "Run this long, then stop (0 = until Ctrl-C).",
         [](SimOptions &o, double v) { o.seconds = int(v); },
         [](const SimOptions &o) { return double(o.seconds); }, true},
        {"seed", "n", "Random seed (0-4294967295): same seed, same ids and flight; without it, a fresh one.",
         [](SimOptions &o, double v) { o.config.swarm.seed = quint32(v); }, nullptr, true},
        {"gateway", "k", "Devices per socket (1: one socket per device).",
         [](SimOptions &o, double v) { o.config.link.gateway = int(v); },
         [](const SimOptions &o) { return double(o.config.link.gateway); }, true},
        {"ota-fail-rate", "f",
         "Fraction (0-1) of ota updates that fail: half stop their download, half never come back.",
         [](SimOptions &o, double v) { o.config.link.otaFailRate = v; },
         [](const SimOptions &o) { return o.config.link.otaFailRate; }, false},
        {"tap-rate", "per-s", "Taps per second per device, Poisson.",
         [](SimOptions &o, double v) { o.config.swarm.tapRate = v; },
         [](const SimOptions &o) { return o.config.swarm.tapRate; }, false},
        {"alignment", "w", "Flocking: alignment weight.",
         [](SimOptions &o, double v) { o.config.swarm.flocking.alignment = v; },
         [](const SimOptions &o) { return o.config.swarm.flocking.alignment; }, false},
        {"cohesion", "w", "Flocking: cohesion weight.",
         [](SimOptions &o, double v) { o.config.swarm.flocking.cohesion = v; },
         [](const SimOptions &o) { return o.config.swarm.flocking.cohesion; }, false},
        {"separation", "w", "Flocking: separation weight.",
         [](SimOptions &o, double v) { o.config.swarm.flocking.separation = v; },
         [](const SimOptions &o) { return o.config.swarm.flocking.separation; }, false},
        {"alignment-radius", "cm", "Flocking: alignment radius.",
         [](SimOptions &o, double v) { o.config.swarm.flocking.alignmentRadius = v; },
         [](const SimOptions &o) { return o.config.swarm.flocking.alignmentRadius; }, false},
        {"cohesion-radius", "cm", "Flocking: cohesion radius.",
         [](SimOptions &o, double v) { o.config.swarm.flocking.cohesionRadius = v; },
         [](const SimOptions &o) { return o.config.swarm.flocking.cohesionRadius; }, false},
        {"separation-radius", "cm", "Flocking: separation radius.",
         [](SimOptions &o, double v) { o.config.swarm.flocking.separationRadius = v; },
         [](const SimOptions &o) { return o.config.swarm.flocking.separationRadius; }, false},
        {"max-speed", "cm/s", "Flocking: maximum speed.",
         [](SimOptions &o, double v) { o.config.swarm.flocking.maxSpeed = v; },
         [](const SimOptions &o) { return o.config.swarm.flocking.maxSpeed; }, false},
        {"max-force", "cm/s2", "Flocking: maximum steering force.",
         [](SimOptions &o, double v) { o.config.swarm.flocking.maxForce = v; },
         [](const SimOptions &o) { return o.config.swarm.flocking.maxForce; }, false},
        {"jitter", "fraction", "Send interval jitter, 0-0.9.",
         [](SimOptions &o, double v) { o.config.link.jitter = v; },
         [](const SimOptions &o) { return o.config.link.jitter; }, false},
        {"connect-rate", "per-s", "New connections per second while ramping up.",
         [](SimOptions &o, double v) { o.config.link.connectRate = v; },
         [](const SimOptions &o) { return o.config.link.connectRate; }, false},
        {"connect-timeout", "s", "Fail when no socket has connected after this long.",
         [](SimOptions &o, double v) { o.connectTimeoutSeconds = int(v); },
         [](const SimOptions &o) { return double(o.connectTimeoutSeconds); }, true},
    };
    return flags;
}

bool parseNumber(const NumberFlag &flag, const QString &text, double *value, QString *error)
{
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok || !std::isfinite(v)) {
        *error = QStringLiteral("--") + QLatin1String(flag.name)
            + QStringLiteral(": expected a number, got \"") + text + QLatin1Char('"');
        return false;
    }
    if (flag.integer && (v != std::floor(v) || v < 0 || v > 4294967295.0)) {
        *error = QStringLiteral("--") + QLatin1String(flag.name)
            + QStringLiteral(": expected a whole number from 0 to 4294967295, got \"") + text
            + QLatin1Char('"');
        return false;
    }
    *value = v;
    return true;
}

// Per-axis maxima "r,p,y" or one value for all three axes.
bool parseAngular(const QString &text, std::array<double, 3> *out, QString *error)
{
    const QStringList parts = text.split(QLatin1Char(','));
    if (parts.size() != 1 && parts.size() != 3) {
        *error = QStringLiteral("--max-angular: expected one value or roll,pitch,yaw, got \"") + text
            + QLatin1Char('"');
        return false;
    }
    for (int axis = 0; axis < 3; ++axis) {
        bool ok = false;
        const double v = parts[parts.size() == 1 ? 0 : axis].trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(v)) {
            *error = QStringLiteral("--max-angular: expected numbers in deg/s, got \"") + text
                + QLatin1Char('"');
            return false;
        }
        (*out)[axis] = v;
    }
    return true;
}

void addOptions(QCommandLineParser &parser)
{
    const SimOptions defaults;
    parser.setApplicationDescription(QStringLiteral(
        "Swarm of virtual GroupLoop devices: flocking boids, each a firmware-faithful device on "
        "its own WebSocket to a relay."));
    parser.addOption({QStringLiteral("url"),
                      withDefault(QStringLiteral("Relay to connect to, ws:// or wss://."),
                                  defaults.config.link.url.toString()),
                      QStringLiteral("ws-url")});
    parser.addOption(
        {QStringLiteral("ca-file"),
         withDefault(QStringLiteral("wss://: trust the relay's certificate from this PEM file (a self-signed "
                                    "certificate or its CA) instead of the system's CAs."),
                     QStringLiteral("none: the system's CAs")),
         QStringLiteral("file")});
    parser.addOption({QStringLiteral("insecure"),
                      QStringLiteral("wss://: do not verify the relay's certificate (test relays only).")});
    parser.addOption(
        {QStringLiteral("token"),
         withDefault(
             QStringLiteral("Token for a relay started with --token or --device-token, sent with "
                            "each upgrade (Authorization: Bearer). Visible in ps: prefer --token-file."),
             QStringLiteral("none")),
         QStringLiteral("token")});
    parser.addOption({QStringLiteral("token-file"),
                      withDefault(QStringLiteral("Read the token from this file (its first line that is not "
                                                 "blank or a # comment)."),
                                  QStringLiteral("none")),
                      QStringLiteral("file")});
    for (const NumberFlag &flag : numberFlags()) {
        const QString help = QLatin1String(flag.help);
        parser.addOption({QLatin1String(flag.name),
                          flag.current ? withDefault(help, flag.current(defaults))
                                       : withDefault(help, QStringLiteral("none")),
                          QLatin1String(flag.valueName)});
    }
    parser.addOption({QStringLiteral("rotation"),
                      withDefault(QStringLiteral("Device rotation: off, constant or random."),
                                  rotationModeName(defaults.config.swarm.rotation)),
                      QStringLiteral("mode")});
    const std::array<double, 3> &angular = defaults.config.swarm.maxAngularVelocity;
    parser.addOption(
        {QStringLiteral("max-angular"),
         withDefault(QStringLiteral("Max angular velocity in deg/s, one value or roll,pitch,yaw."),
                     angular[0] == angular[1] && angular[1] == angular[2]
                         ? QString::number(angular[0])
                         : QStringLiteral("%1,%2,%3").arg(angular[0]).arg(angular[1]).arg(angular[2])),
         QStringLiteral("deg/s")});
    parser.addOption({QStringLiteral("nagle"),
                      QStringLiteral("Let the kernel coalesce small frames (no TCP_NODELAY): less CPU, up to "
                                     "~40 ms more latency.")});
    parser.addOption(
        {QStringLiteral("replay"),
         withDefault(QStringLiteral("Replay a recorded session: each recorded device connects on its own "
                                    "socket and sends its frames at the recorded times (docs/recording.md)."),
                     QStringLiteral("none: fly a swarm")),
         QStringLiteral("file")});
    parser.addOption(
        {QStringLiteral("speed"),
         withDefault(QStringLiteral("With --replay: playback speed, 0.01-100."), defaults.replaySpeed),
         QStringLiteral("x")});
    parser.addOption({QStringLiteral("loop"), QStringLiteral("With --replay: start again at the end.")});
    parser.addOption(
        {QStringLiteral("export-csv"),
         withDefault(QStringLiteral("With --replay: write the decoded frames (time, id, g, dBm, tap) as CSV "
                                    "to this file and exit without connecting."),
                     QStringLiteral("none")),
         QStringLiteral("out")});
    parser.addOption({QStringLiteral("quiet"), QStringLiteral("No progress line each second.")});
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help.")});
    parser.addOption({QStringLiteral("version"), QStringLiteral("Show the version.")});
}

// The first token of a token file (tokenfile.h), as the relay reads them.
bool readTokenFile(const QString &path, QByteArray *token, QString *error)
{
    const std::optional<QList<QByteArray>> tokens = TokenFile::read(path, error);
    if (!tokens) {
        *error = QStringLiteral("--token-file: ") + *error;
        return false;
    }
    *token = tokens->constFirst();
    return true;
}

// --url's TLS and token flags, checked with the flags' own names (LinkConfig::validate() checks
// them again for every other caller).
bool parseLinkSecurity(const QCommandLineParser &parser, LinkConfig *link, QString *error)
{
    const bool secure = link->url.scheme() == u"wss";
    for (const char *flag : {"ca-file", "insecure"}) {
        if (parser.isSet(QLatin1String(flag)) && !secure) {
            *error = QStringLiteral("--") + QLatin1String(flag) + QStringLiteral(" needs a wss:// --url");
            return false;
        }
    }
    if (parser.isSet(QStringLiteral("ca-file")) && parser.isSet(QStringLiteral("insecure"))) {
        *error = QStringLiteral(
            "--ca-file and --insecure contradict each other: trust a file, or verify nothing");
        return false;
    }
    link->caFile = parser.value(QStringLiteral("ca-file"));
    link->insecure = parser.isSet(QStringLiteral("insecure"));
    if (parser.isSet(QStringLiteral("token")) && parser.isSet(QStringLiteral("token-file"))) {
        *error = QStringLiteral("--token and --token-file: give the token once");
        return false;
    }
    if (parser.isSet(QStringLiteral("token-file"))) {
        if (!readTokenFile(parser.value(QStringLiteral("token-file")), &link->token, error))
            return false;
    } else if (parser.isSet(QStringLiteral("token"))) {
        link->token = parser.value(QStringLiteral("token")).toUtf8();
        if (link->token.isEmpty()) {
            *error = QStringLiteral("--token: the token is empty");
            return false;
        }
    }
    if (!link->token.isEmpty() && QUrlQuery(link->url).hasQueryItem(QStringLiteral("token"))) {
        *error = QStringLiteral("--url carries ?token= already: give the token once");
        return false;
    }
    return true;
}

} // namespace

bool SimCommandLine::parse(const QStringList &arguments, SimOptions *options, QString *error)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    addOptions(parser);
    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return false;
    }
    if (!parser.positionalArguments().isEmpty()) {
        *error = QStringLiteral("unexpected argument \"") + parser.positionalArguments().constFirst()
            + QStringLiteral("\" (see --help)");
        return false;
    }
    SimOptions result;
    if (parser.isSet(QStringLiteral("help")))
        result.action = SimOptions::Action::ShowHelp;
    else if (parser.isSet(QStringLiteral("version")))
        result.action = SimOptions::Action::ShowVersion;
    if (result.action != SimOptions::Action::Run) {
        *options = result;
        return true;
    }

    if (parser.isSet(QStringLiteral("url")))
        result.config.link.url = QUrl(parser.value(QStringLiteral("url")), QUrl::StrictMode);
    if (!parseLinkSecurity(parser, &result.config.link, error))
        return false;
    for (const NumberFlag &flag : numberFlags()) {
        const QString name = QLatin1String(flag.name);
        if (!parser.isSet(name))
            continue;
        double value = 0;
        if (!parseNumber(flag, parser.value(name), &value, error))
            return false;
        flag.apply(result, value);
    }
    if (parser.isSet(QStringLiteral("rotation"))) {
        const auto mode = rotationModeFromName(parser.value(QStringLiteral("rotation")));
        if (!mode) {
            *error = QStringLiteral("--rotation: expected off, constant or random, got \"")
                + parser.value(QStringLiteral("rotation")) + QLatin1Char('"');
            return false;
        }
        result.config.swarm.rotation = *mode;
    }
    if (parser.isSet(QStringLiteral("max-angular"))
        && !parseAngular(parser.value(QStringLiteral("max-angular")), &result.config.swarm.maxAngularVelocity,
                         error))
        return false;
    result.quiet = parser.isSet(QStringLiteral("quiet"));
    result.replayPath = parser.value(QStringLiteral("replay"));
    result.exportCsvPath = parser.value(QStringLiteral("export-csv"));
    result.replayLoop = parser.isSet(QStringLiteral("loop"));
    if (result.replayPath.isEmpty()) {
        for (const char *flag : {"speed", "loop", "export-csv"}) {
            if (parser.isSet(QLatin1String(flag))) {
                *error = QStringLiteral("--") + QLatin1String(flag) + QStringLiteral(" needs --replay FILE");
                return false;
            }
        }
    } else {
        for (const char *flag : {"devices", "gateway", "seed"}) {
            if (parser.isSet(QLatin1String(flag))) {
                *error = QStringLiteral("--") + QLatin1String(flag)
                    + QStringLiteral(" cannot be used with --replay (the devices come from the file)");
                return false;
            }
        }
    }
    if (parser.isSet(QStringLiteral("speed"))) {
        bool ok = false;
        result.replaySpeed = parser.value(QStringLiteral("speed")).toDouble(&ok);
        if (!ok
            || !(result.replaySpeed >= ReplayConfig::MinSpeed
                 && result.replaySpeed <= ReplayConfig::MaxSpeed)) {
            *error = QStringLiteral("--speed: expected a number from 0.01 to 100, got \"")
                + parser.value(QStringLiteral("speed")) + QLatin1Char('"');
            return false;
        }
    }
    result.config.link.noDelay = !parser.isSet(QStringLiteral("nagle"));
    result.config.snapshotHz = 0; // the command line draws nothing
    if (result.connectTimeoutSeconds < 1) {
        *error = QStringLiteral("--connect-timeout: must be at least 1 second");
        return false;
    }
    if (result.config.link.gateway > result.config.swarm.devices)
        result.config.link.gateway = result.config.swarm.devices;
    const QString problem = result.config.validate();
    if (!problem.isEmpty()) {
        *error = problem;
        return false;
    }
    *options = result;
    return true;
}

QString SimCommandLine::helpText()
{
    QCommandLineParser parser;
    addOptions(parser);
    return parser.helpText();
}

} // namespace GroupLoop
