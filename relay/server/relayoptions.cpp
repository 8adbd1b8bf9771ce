#include "relayoptions.h"

#include <QCommandLineParser>
#include <QLoggingCategory>

#include <functional>

namespace GroupLoop {

namespace {

struct NumericOption
{
    QCommandLineOption option;
    double minimum;
    double maximum;
    std::function<void(RelayConfig &, double)> apply;
};

QList<NumericOption> numericOptions()
{
    auto opt = [](const char *name, const char *help, const char *value, double def) {
        return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help),
                                  QString::fromLatin1(value), QString::number(def));
    };
    const RelayConfig defaults;
    return {
        {opt("max-message-bytes", "Largest inbound WebSocket message, bytes.", "bytes",
             double(defaults.maxMessageBytes)),
         64, 16 * 1024 * 1024,
         [](RelayConfig &c, double v) {
             c.maxMessageBytes = qint64(v);
             c.maxFrameBytes = qint64(v);
         }},
        {opt("max-connections", "Most concurrent connections.", "n", defaults.maxConnections), 1, 1000000,
         [](RelayConfig &c, double v) { c.maxConnections = int(v); }},
        {opt("max-frame-rate", "Most sensor frames (or messages) per second per connection.", "hz",
             defaults.maxFramesPerSecond),
         1, 1000000, [](RelayConfig &c, double v) { c.maxFramesPerSecond = v; }},
        {opt("handshake-timeout-ms", "Time a new connection has to complete its handshake.", "ms",
             defaults.handshakeTimeoutMs),
         100, 600000, [](RelayConfig &c, double v) { c.handshakeTimeoutMs = int(v); }},
        {opt("max-request-head-bytes", "Largest HTTP request head.", "bytes", defaults.maxRequestHeadBytes),
         256, 1024 * 1024, [](RelayConfig &c, double v) { c.maxRequestHeadBytes = int(v); }},
        {opt("ping-interval", "Seconds of silence before the relay pings a peer.", "s",
             defaults.pingIntervalMs / 1000.0),
         0.1, 3600, [](RelayConfig &c, double v) { c.pingIntervalMs = int(v * 1000); }},
        {opt("ping-timeout", "Seconds a pinged peer has to answer before it is dropped.", "s",
             defaults.pongTimeoutMs / 1000.0),
         0.1, 3600, [](RelayConfig &c, double v) { c.pongTimeoutMs = int(v * 1000); }},
        {opt("batch-ms",
             "Join frames arriving within this many ms into one message (0: one event-loop pass).", "ms",
             defaults.batchMs),
         0, 1000, [](RelayConfig &c, double v) { c.batchMs = int(v); }},
        {opt("outbox-high-water", "Bytes queued to a subscriber before its frames are coalesced.", "bytes",
             double(defaults.outboxHighWaterBytes)),
         1024, 1024.0 * 1024 * 1024, [](RelayConfig &c, double v) { c.outboxHighWaterBytes = qint64(v); }},
        {opt("slow-consumer-timeout",
             "Seconds a subscriber may stay over the high-water mark before it is closed.", "s",
             defaults.slowConsumerTimeoutMs / 1000.0),
         0.1, 3600, [](RelayConfig &c, double v) { c.slowConsumerTimeoutMs = int(v * 1000); }},
    };
}

} // namespace

RelayOptions::Outcome RelayOptions::parse(const QStringList &arguments,
                                          const QProcessEnvironment &environment, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("GroupLoop relay: devices stream sensor frames in, subscribers receive them, "
                       "commands are routed to devices. WebSocket and HTTP (/health, /devices, "
                       "/commands.json) share one port."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption hostOption(QStringLiteral("host"),
                                        QStringLiteral("Address to bind (env WS_HOST; default 0.0.0.0)."),
                                        QStringLiteral("address"));
    const QCommandLineOption portOption(
        QStringLiteral("port"), QStringLiteral("Port for WebSocket and HTTP (env WS_PORT; default 5003)."),
        QStringLiteral("port"));
    const QCommandLineOption commandsOption(
        QStringLiteral("commands"), QStringLiteral("commands.json to merge over the built-in registry."),
        QStringLiteral("file"));
    const QCommandLineOption commandsUrlOption(
        QStringLiteral("commands-url"),
        QStringLiteral("URL of a commands.json fetched in the background and merged (env CLIENT_HUB_URL or "
                       "CDN_BASE_URL + /static/commands.json)."),
        QStringLiteral("url"));
    const QCommandLineOption allowOtaOption(
        QStringLiteral("allow-ota"), QStringLiteral("Let clients send ota (firmware flashing) commands."));
    const QCommandLineOption oneFrameOption(
        QStringLiteral("one-frame-per-message"),
        QStringLiteral("Send each frame as its own message, as the old relay did."));
    const QCommandLineOption logLevelOption(QStringLiteral("log-level"),
                                            QStringLiteral("debug, info, warning or error (default info)."),
                                            QStringLiteral("level"), QStringLiteral("info"));
    const QCommandLineOption redisOption(
        QStringLiteral("redis"),
        QStringLiteral("Cluster mode: share frames, devices and commands with the other relays on this Redis, "
                       "redis://[:password@]host[:port][/db] (env REDIS_URL)."),
        QStringLiteral("url"));
    const QCommandLineOption redisPrefixOption(
        QStringLiteral("redis-prefix"),
        QStringLiteral("Prefix of every Redis key and channel of the cluster (default grouploop:)."),
        QStringLiteral("prefix"));
    const QCommandLineOption redisTtlOption(
        QStringLiteral("redis-device-ttl"),
        QStringLiteral("Seconds a device stays in the cluster registry after its relay stops refreshing it "
                       "(default 10)."),
        QStringLiteral("s"));
    parser.addOptions({hostOption, portOption, commandsOption, commandsUrlOption, allowOtaOption,
                       oneFrameOption, logLevelOption, redisOption, redisPrefixOption, redisTtlOption});
    const QList<NumericOption> numeric = numericOptions();
    for (const NumericOption &n : numeric)
        parser.addOption(n.option);
    m_helpText = parser.helpText();

    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return Outcome::Error;
    };
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (parser.isSet(helpOption))
        return Outcome::ShowHelp;
    if (parser.isSet(versionOption))
        return Outcome::ShowVersion;
    if (!parser.positionalArguments().isEmpty())
        return fail(
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().constFirst()));

    const QString host
        = parser.isSet(hostOption) ? parser.value(hostOption) : environment.value(QStringLiteral("WS_HOST"));
    if (!host.isEmpty()) {
        QHostAddress address;
        if (host == u"localhost")
            address = QHostAddress::LocalHost;
        else if (!address.setAddress(host))
            return fail(QStringLiteral("--host: '%1' is not an IP address").arg(host));
        config.host = address;
    }
    const QString port
        = parser.isSet(portOption) ? parser.value(portOption) : environment.value(QStringLiteral("WS_PORT"));
    if (!port.isEmpty()) {
        bool ok = false;
        const uint value = port.toUInt(&ok);
        if (!ok || value > 65535)
            return fail(QStringLiteral("--port: '%1' is not a port number (0-65535)").arg(port));
        config.port = quint16(value);
    }
    for (const NumericOption &n : numeric) {
        if (!parser.isSet(n.option))
            continue;
        bool ok = false;
        const double value = parser.value(n.option).toDouble(&ok);
        if (!ok || value < n.minimum || value > n.maximum)
            return fail(QStringLiteral("--%1: '%2' is not a number from %3 to %4")
                            .arg(n.option.names().constFirst(), parser.value(n.option))
                            .arg(n.minimum)
                            .arg(n.maximum));
        n.apply(config, value);
    }
    config.allowOta = parser.isSet(allowOtaOption);
    config.oneFramePerMessage = parser.isSet(oneFrameOption);
    logLevel = parser.value(logLevelOption);
    if (!QStringList {u"debug"_qs, u"info"_qs, u"warning"_qs, u"error"_qs}.contains(logLevel))
        return fail(
            QStringLiteral("--log-level: '%1' is not one of debug, info, warning, error").arg(logLevel));

    const QString redis = parser.isSet(redisOption) ? parser.value(redisOption)
                                                    : environment.value(QStringLiteral("REDIS_URL"));
    if (!redis.isEmpty()) {
        QString why;
        const auto url = Cluster::RedisUrl::parse(redis, &why);
        if (!url)
            return fail(why);
        config.cluster = Cluster::ClusterSettings {};
        config.cluster->url = *url;
    }
    if (parser.isSet(redisPrefixOption) || parser.isSet(redisTtlOption)) {
        if (!config.cluster)
            return fail(QStringLiteral("--redis-prefix and --redis-device-ttl need --redis (or REDIS_URL)"));
        if (parser.isSet(redisPrefixOption)) {
            const QString prefix = parser.value(redisPrefixOption);
            if (prefix.contains(u' ') || prefix.contains(u'\n') || prefix.contains(u'*'))
                return fail(QStringLiteral("--redis-prefix: '%1' has a space, newline or *").arg(prefix));
            config.cluster->prefix = prefix.toUtf8();
        }
        if (parser.isSet(redisTtlOption)) {
            bool ok = false;
            const double seconds = parser.value(redisTtlOption).toDouble(&ok);
            if (!ok || seconds < 1 || seconds > 3600)
                return fail(QStringLiteral("--redis-device-ttl: '%1' is not a number from 1 to 3600")
                                .arg(parser.value(redisTtlOption)));
            config.cluster->deviceTtlMs = int(seconds * 1000);
        }
    }

    commandsFile = parser.value(commandsOption);
    QString url = parser.value(commandsUrlOption);
    if (url.isEmpty()) {
        for (const char *variable : {"CLIENT_HUB_URL", "CDN_BASE_URL"}) {
            const QString base = environment.value(QString::fromLatin1(variable));
            if (!base.isEmpty()) {
                url = (base.endsWith(u'/') ? base.chopped(1) : base)
                    + QStringLiteral("/static/commands.json");
                break;
            }
        }
    }
    if (!url.isEmpty()) {
        commandsUrl = QUrl(url, QUrl::StrictMode);
        if (!commandsUrl.isValid() || (commandsUrl.scheme() != u"http" && commandsUrl.scheme() != u"https"))
            return fail(QStringLiteral("--commands-url: '%1' is not an http(s) URL").arg(url));
    }
    return Outcome::Run;
}

bool RelayOptions::applyLogLevel(const QString &level)
{
    QString rules;
    if (level == u"debug")
        rules = QStringLiteral("grouploop.*=true");
    else if (level == u"info")
        rules = QStringLiteral("grouploop.*.debug=false\ngrouploop.*.info=true");
    else if (level == u"warning")
        rules = QStringLiteral("grouploop.*.debug=false\ngrouploop.*.info=false");
    else if (level == u"error")
        rules = QStringLiteral("grouploop.*.debug=false\ngrouploop.*.info=false\ngrouploop.*.warning=false");
    else
        return false;
    QLoggingCategory::setFilterRules(rules);
    return true;
}

} // namespace GroupLoop
