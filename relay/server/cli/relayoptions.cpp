#include "relayoptions.h"

#include "helptext.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

#include <functional>
#include <optional>

namespace GroupLoop {

using HelpText::withDefault;

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
        const QString shown = QString::number(def, 'g', 12);
        return QCommandLineOption(QString::fromLatin1(name), withDefault(QString::fromLatin1(help), shown),
                                  QString::fromLatin1(value), shown);
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
             "Hold frames this many ms after the first one, joining them into one message (0: no window).",
             "ms", defaults.batchMs),
         0, 1000, [](RelayConfig &c, double v) { c.batchMs = int(v); }},
        {opt("fanout-ms",
             "While frames keep coming, send each subscriber at most one message per this many ms "
             "(0: one per event-loop pass).",
             "ms", defaults.fanoutMs),
         0, 1000, [](RelayConfig &c, double v) { c.fanoutMs = int(v); }},
        {opt("coalesce-ms",
             "While busy, handle the sockets at most once per this many ms (0: at every wake-up).", "ms",
             double(defaults.coalesceUs) / 1000),
         0, 100, [](RelayConfig &c, double v) { c.coalesceUs = qint64(v * 1000); }},
        {opt("outbox-high-water", "Bytes queued to a subscriber before its frames are coalesced.", "bytes",
             double(defaults.outboxHighWaterBytes)),
         1024, 1024.0 * 1024 * 1024, [](RelayConfig &c, double v) { c.outboxHighWaterBytes = qint64(v); }},
        {opt("slow-consumer-timeout",
             "Seconds a subscriber may stay over the high-water mark before it is closed.", "s",
             defaults.slowConsumerTimeoutMs / 1000.0),
         0.1, 3600, [](RelayConfig &c, double v) { c.slowConsumerTimeoutMs = int(v * 1000); }},
        {opt("max-firmware-mb", "Largest firmware image PUT /firmware/<name> takes, MB.", "mb",
             double(defaults.maxFirmwareBytes) / (1024 * 1024)),
         0.01, 1024, [](RelayConfig &c, double v) { c.maxFirmwareBytes = qint64(v * 1024 * 1024); }},
        {opt("record-rotate-mb", "With --record: start a new part every this many MB (0: never).", "mb",
             double(defaults.recordRotateBytes) / (1024 * 1024)),
         0, 1024 * 1024, [](RelayConfig &c, double v) { c.recordRotateBytes = qint64(v * 1024 * 1024); }},
        {opt("record-rotate-minutes", "With --record: start a new part every this many minutes (0: never).",
             "min", double(defaults.recordRotateMs) / 60000),
         0, 7 * 24 * 60, [](RelayConfig &c, double v) { c.recordRotateMs = qint64(v * 60000); }},
    };
}

std::optional<quint16> parsePort(const QString &text)
{
    bool ok = false;
    const uint value = text.toUInt(&ok);
    if (!ok || value > 65535)
        return std::nullopt;
    return quint16(value);
}

bool loadTls(const QString &certPath, const QString &keyPath, QSslConfiguration *tls, QString *error)
{
    QFile certFile(certPath);
    if (!certFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--tls-cert: cannot read %1: %2").arg(certPath, certFile.errorString());
        return false;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    if (chain.isEmpty() || chain.constFirst().isNull()) {
        *error = QStringLiteral("--tls-cert: %1 holds no PEM certificate").arg(certPath);
        return false;
    }
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--tls-key: cannot read %1: %2").arg(keyPath, keyFile.errorString());
        return false;
    }
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec}) {
        key = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull()) {
        *error = QStringLiteral("--tls-key: %1 holds no unencrypted PEM RSA or EC private key").arg(keyPath);
        return false;
    }
    *tls = QSslConfiguration::defaultConfiguration();
    tls->setLocalCertificateChain(chain);
    tls->setPrivateKey(key);
    tls->setPeerVerifyMode(QSslSocket::VerifyNone); // clients do not present certificates
    return true;
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
    const RelayOptions defaults;
    const QCommandLineOption hostOption(QStringLiteral("host"),
                                        QStringLiteral("Address to bind (env WS_HOST; default 0.0.0.0)."),
                                        QStringLiteral("address"));
    const QCommandLineOption portOption(
        QStringLiteral("port"),
        withDefault(QStringLiteral("Port for WebSocket and HTTP (env WS_PORT)."),
                    QString::number(defaults.config.port)),
        QStringLiteral("port"));
    const QCommandLineOption commandsOption(
        QStringLiteral("commands"),
        withDefault(QStringLiteral("commands.json to merge over the built-in registry."),
                    QStringLiteral("none: the built-in registry only")),
        QStringLiteral("file"));
    const QCommandLineOption commandsUrlOption(
        QStringLiteral("commands-url"),
        withDefault(QStringLiteral(
                        "URL of a commands.json fetched in the background and merged (env CLIENT_HUB_URL or "
                        "CDN_BASE_URL + /static/commands.json)."),
                    QStringLiteral("none")),
        QStringLiteral("url"));
    const QCommandLineOption allowOtaOption(
        QStringLiteral("allow-ota"), QStringLiteral("Let clients send ota (firmware flashing) commands."));
    const QCommandLineOption oneFrameOption(
        QStringLiteral("one-frame-per-message"),
        QStringLiteral("Send each frame as its own message, as the old relay did."));
    const QCommandLineOption recordOption(
        QStringLiteral("record"),
        withDefault(
            QStringLiteral("Record every frame and command to this session file (.gz: compressed); see "
                           "docs/recording.md."),
            QStringLiteral("none: no recording")),
        QStringLiteral("path"));
    const QCommandLineOption logLevelOption(
        QStringLiteral("log-level"),
        withDefault(QStringLiteral("debug, info, warning or error."), defaults.logLevel),
        QStringLiteral("level"), defaults.logLevel);
    const QCommandLineOption redisOption(
        QStringLiteral("redis"),
        withDefault(
            QStringLiteral(
                "Cluster mode: share frames, devices and commands with the other relays on this Redis, "
                "redis://[:password@]host[:port][/db] (env REDIS_URL)."),
            QStringLiteral("none: a single relay")),
        QStringLiteral("url"));
    const Cluster::ClusterSettings clusterDefaults;
    const QCommandLineOption redisPrefixOption(
        QStringLiteral("redis-prefix"),
        withDefault(QStringLiteral("Prefix of every Redis key and channel of the cluster."),
                    QString::fromUtf8(clusterDefaults.prefix)),
        QStringLiteral("prefix"));
    const QCommandLineOption redisTtlOption(
        QStringLiteral("redis-device-ttl"),
        withDefault(QStringLiteral("Seconds a device stays in the cluster registry after its relay stops "
                                   "refreshing it."),
                    QString::number(clusterDefaults.deviceTtlMs / 1000.0, 'g', 12)),
        QStringLiteral("s"));
    const QCommandLineOption logFormatOption(
        QStringLiteral("log-format"),
        withDefault(QStringLiteral("text, or json: one JSON object per line, for log shippers."),
                    defaults.logFormat),
        QStringLiteral("format"), defaults.logFormat);
    const QCommandLineOption tokenOption(
        QStringLiteral("token"),
        withDefault(QStringLiteral(
                        "A controller token: subscribing and cmd: need it (repeatable). Clients send it as "
                        "?token=, Authorization: Bearer, or a first message auth:<token>."),
                    QStringLiteral("none: controllers need no token")),
        QStringLiteral("token"));
    const QCommandLineOption tokenFileOption(
        QStringLiteral("token-file"),
        withDefault(QStringLiteral("A file of controller tokens, one per line (# comments; repeatable)."),
                    QStringLiteral("none")),
        QStringLiteral("file"));
    const QCommandLineOption deviceTokenOption(
        QStringLiteral("device-token"),
        withDefault(
            QStringLiteral("A device token: with any set, sending frames needs one (or a controller token)."),
            QStringLiteral("none: devices need no token")),
        QStringLiteral("token"));
    const QCommandLineOption deviceTokenFileOption(
        QStringLiteral("device-token-file"),
        withDefault(QStringLiteral("A file of device tokens, one per line."), QStringLiteral("none")),
        QStringLiteral("file"));
    const QCommandLineOption tlsCertOption(
        QStringLiteral("tls-cert"),
        withDefault(QStringLiteral("PEM certificate (chain) for wss:// and HTTPS; needs --tls-key."),
                    QStringLiteral("none: plain ws:// only")),
        QStringLiteral("file"));
    const QCommandLineOption tlsKeyOption(
        QStringLiteral("tls-key"),
        withDefault(QStringLiteral("PEM private key (RSA or EC, unencrypted)."), QStringLiteral("none")),
        QStringLiteral("file"));
    const QCommandLineOption tlsPortOption(
        QStringLiteral("tls-port"),
        withDefault(
            QStringLiteral("Serve TLS on this port and keep plain ws:// on --port (without it, TLS replaces "
                           "plain on --port)."),
            QStringLiteral("none")),
        QStringLiteral("port"));
    const QCommandLineOption webRootOption(
        QStringLiteral("web-root"),
        withDefault(
            QStringLiteral("Serve the browser apps of this folder (the old hub's static folder: apps/, "
                           "vendor/js/, firmware/, commands.json) on the relay's port; see docs/hub.md "
                           "(env GROUPLOOP_WEB_ROOT)."),
            QStringLiteral("none: no browser apps")),
        QStringLiteral("dir"));
    const QCommandLineOption publicWsUrlOption(
        QStringLiteral("public-ws-url"),
        withDefault(QStringLiteral("With --web-root: the WebSocket address /config.js gives the apps (env "
                                   "WS_DEFAULT_URL)."),
                    QStringLiteral("the address the browser used")),
        QStringLiteral("url"));
    const QCommandLineOption defaultAppOption(
        QStringLiteral("default-app"),
        withDefault(
            QStringLiteral(
                "With --web-root: / redirects to this app instead of listing them (env DEFAULT_APP)."),
            QStringLiteral("none: / lists the apps")),
        QStringLiteral("name"));
    const QCommandLineOption firmwareDirOption(
        QStringLiteral("firmware-dir"),
        withDefault(
            QStringLiteral("Folder of firmware images served under /firmware/ and rolled out with POST "
                           "/ota (env GROUPLOOP_FIRMWARE_DIR); see docs/ota.md."),
            QStringLiteral("the web root's firmware/ folder if there is one, else none")),
        QStringLiteral("dir"));
    const QCommandLineOption publicHttpUrlOption(
        QStringLiteral("public-http-url"),
        withDefault(QStringLiteral("http(s):// base devices fetch firmware from."),
                    QStringLiteral("this relay's address on each device's connection")),
        QStringLiteral("url"));
    parser.addOptions(
        {hostOption,        portOption,        commandsOption,        commandsUrlOption,  allowOtaOption,
         oneFrameOption,    recordOption,      logLevelOption,        logFormatOption,    tokenOption,
         tokenFileOption,   deviceTokenOption, deviceTokenFileOption, tlsCertOption,      tlsKeyOption,
         tlsPortOption,     redisOption,       redisPrefixOption,     redisTtlOption,     webRootOption,
         publicWsUrlOption, defaultAppOption,  firmwareDirOption,     publicHttpUrlOption});
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
        const auto value = parsePort(port);
        if (!value)
            return fail(QStringLiteral("--port: '%1' is not a port number (0-65535)").arg(port));
        config.port = *value;
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
    for (const QString &token : parser.values(tokenOption))
        config.access.controllerTokens.add(token.toUtf8());
    for (const QString &token : parser.values(deviceTokenOption))
        config.access.deviceTokens.add(token.toUtf8());
    QString tokenError;
    for (const QString &file : parser.values(tokenFileOption)) {
        if (!config.access.controllerTokens.addFile(file, &tokenError))
            return fail(QStringLiteral("--token-file: ") + tokenError);
    }
    for (const QString &file : parser.values(deviceTokenFileOption)) {
        if (!config.access.deviceTokens.addFile(file, &tokenError))
            return fail(QStringLiteral("--device-token-file: ") + tokenError);
    }
    if ((parser.isSet(tokenOption) && config.access.controllerTokens.isEmpty())
        || (parser.isSet(deviceTokenOption) && config.access.deviceTokens.isEmpty()))
        return fail(QStringLiteral("--token and --device-token need a non-empty value"));

    config.allowOta = parser.isSet(allowOtaOption);
    if (config.allowOta && config.access.controllerTokens.isEmpty())
        return fail(QStringLiteral("--allow-ota needs --token or --token-file: ota (firmware flashing) is "
                                   "only accepted from an authenticated controller"));

    if (parser.isSet(tlsCertOption) != parser.isSet(tlsKeyOption))
        return fail(QStringLiteral("--tls-cert and --tls-key go together"));
    if (parser.isSet(tlsPortOption) && !parser.isSet(tlsCertOption))
        return fail(QStringLiteral("--tls-port needs --tls-cert and --tls-key"));
    if (parser.isSet(tlsCertOption)) {
        QString tlsError;
        if (!loadTls(parser.value(tlsCertOption), parser.value(tlsKeyOption), &config.tls, &tlsError))
            return fail(tlsError);
        config.tlsEnabled = true;
        if (parser.isSet(tlsPortOption)) {
            const auto value = parsePort(parser.value(tlsPortOption));
            if (!value)
                return fail(QStringLiteral("--tls-port: '%1' is not a port number (0-65535)")
                                .arg(parser.value(tlsPortOption)));
            if (*value != 0 && *value == config.port)
                return fail(QStringLiteral("--tls-port must differ from --port"));
            config.tlsPort = *value;
        }
    }
    config.oneFramePerMessage = parser.isSet(oneFrameOption);
    logFormat = parser.value(logFormatOption);
    if (logFormat != u"text" && logFormat != u"json")
        return fail(QStringLiteral("--log-format: '%1' is not text or json").arg(logFormat));
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
    if (parser.isSet(recordOption)) {
        config.recordPath = parser.value(recordOption);
        const QFileInfo info(config.recordPath);
        if (config.recordPath.isEmpty() || info.isDir())
            return fail(QStringLiteral("--record: '%1' is not a file name").arg(config.recordPath));
        if (!info.absoluteDir().exists())
            return fail(QStringLiteral("--record: directory '%1' does not exist").arg(info.absolutePath()));
    } else if (config.recordRotateBytes > 0 || config.recordRotateMs > 0) {
        return fail(QStringLiteral("--record-rotate-mb and --record-rotate-minutes need --record"));
    }

    auto flagOrEnv = [&](const QCommandLineOption &option, const char *variable) {
        return parser.isSet(option) ? parser.value(option) : environment.value(QString::fromLatin1(variable));
    };
    config.webRoot.dir = flagOrEnv(webRootOption, "GROUPLOOP_WEB_ROOT");
    config.webRoot.publicWsUrl = flagOrEnv(publicWsUrlOption, "WS_DEFAULT_URL");
    config.webRoot.defaultApp = flagOrEnv(defaultAppOption, "DEFAULT_APP");
    if (config.webRoot.dir.isEmpty() && (parser.isSet(publicWsUrlOption) || parser.isSet(defaultAppOption)))
        return fail(
            QStringLiteral("--public-ws-url and --default-app need --web-root (or GROUPLOOP_WEB_ROOT)"));
    if (!config.webRoot.dir.isEmpty()) {
        QString why;
        if (!WebRoot().open(config.webRoot, &why)) // the relay opens it again at listen()
            return fail(why);
    }
    config.firmwareDir = flagOrEnv(firmwareDirOption, "GROUPLOOP_FIRMWARE_DIR");
    config.firmwareDir = firmwareFolder(config);
    if (!config.firmwareDir.isEmpty() && QFileInfo(config.firmwareDir).exists()
        && !QFileInfo(config.firmwareDir).isDir())
        return fail(QStringLiteral("--firmware-dir: '%1' is not a folder").arg(config.firmwareDir));
    if (parser.isSet(publicHttpUrlOption)) {
        const QUrl base(parser.value(publicHttpUrlOption), QUrl::StrictMode);
        if (!base.isValid() || base.host().isEmpty()
            || (base.scheme() != u"http" && base.scheme() != u"https") || base.hasQuery())
            return fail(QStringLiteral("--public-http-url: '%1' is not an http(s):// URL")
                            .arg(parser.value(publicHttpUrlOption)));
        config.publicHttpUrl = base.toString(QUrl::StripTrailingSlash);
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
