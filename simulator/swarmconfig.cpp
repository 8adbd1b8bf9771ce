#include "swarmconfig.h"

#include "sessionindex.h"

#include "lightwebsocket.h"
#include "tlscontext.h"
#include "websocketclienthandshake.h"

#include <QUrlQuery>

#include <cmath>

namespace GroupLoop {

namespace {

QString outOfRange(const char *name, double value, double low, double high)
{
    return QLatin1String(name) + QStringLiteral(" must be between ") + QString::number(low)
        + QStringLiteral(" and ") + QString::number(high) + QStringLiteral(" (got ") + QString::number(value)
        + QLatin1Char(')');
}

bool inRange(double value, double low, double high)
{
    return std::isfinite(value) && value >= low && value <= high;
}

} // namespace

std::optional<RotationMode> rotationModeFromName(QStringView name)
{
    for (RotationMode mode : {RotationMode::Off, RotationMode::Constant, RotationMode::Random}) {
        if (name == rotationModeName(mode))
            return mode;
    }
    return std::nullopt;
}

QString rotationModeName(RotationMode mode)
{
    switch (mode) {
    case RotationMode::Constant:
        return QStringLiteral("constant");
    case RotationMode::Random:
        return QStringLiteral("random");
    case RotationMode::Off:
        break;
    }
    return QStringLiteral("off");
}

QString SwarmConfig::validate() const
{
    if (devices < 1 || devices > MaxDevices)
        return outOfRange("devices", devices, 1, MaxDevices);
    const struct
    {
        const char *name;
        double value;
        double low;
        double high;
    } checks[] = {
        {"alignment", flocking.alignment, 0, 10},
        {"cohesion", flocking.cohesion, 0, 10},
        {"separation", flocking.separation, 0, 10},
        {"alignment radius", flocking.alignmentRadius, 0, 1000},
        {"cohesion radius", flocking.cohesionRadius, 0, 1000},
        {"separation radius", flocking.separationRadius, 0, 1000},
        {"max speed", flocking.maxSpeed, 0, 1000},
        {"max force", flocking.maxForce, 0, 10000},
        {"max roll rate", maxAngularVelocity[0], 0, 3600},
        {"max pitch rate", maxAngularVelocity[1], 0, 3600},
        {"max yaw rate", maxAngularVelocity[2], 0, 3600},
        {"tap rate", tapRate, 0, 100},
    };
    for (const auto &check : checks) {
        if (!inRange(check.value, check.low, check.high))
            return outOfRange(check.name, check.value, check.low, check.high);
    }
    if (physicsHz < 1 || physicsHz > 1000)
        return outOfRange("physics rate", physicsHz, 1, 1000);
    if (maxNeighbours < 0)
        return QStringLiteral("max neighbours must not be negative");
    return {};
}

QString LinkConfig::validate() const
{
    QString error;
    if (!LightWebSocket::isSupportedUrl(url, &error))
        return error;
    if (!inRange(hz, 1, 100))
        return outOfRange("rate (Hz)", hz, 1, 100);
    if (!inRange(jitter, 0, 0.9))
        return outOfRange("jitter", jitter, 0, 0.9);
    if (gateway < 1 || gateway > 1000)
        return outOfRange("gateway", gateway, 1, 1000);
    if (!inRange(connectRate, 1, 100000))
        return outOfRange("connect rate", connectRate, 1, 100000);
    if (!(otaFailRate >= 0.0 && otaFailRate <= 1.0))
        return QStringLiteral("the OTA fail rate must be from 0 to 1");
    if (backoffInitialMs < 1 || backoffMaxMs < backoffInitialMs)
        return QStringLiteral("backoff: initial must be at least 1 ms and not above the maximum");
    if (!token.isEmpty() && !WebSocketClientHandshake::isValidBearerToken(token))
        return QStringLiteral("the token must be printable ASCII without spaces");
    if (!token.isEmpty() && QUrlQuery(url).hasQueryItem(QStringLiteral("token")))
        return QStringLiteral("the token is given twice: in the URL (?token=) and on its own");
    const bool secure = url.scheme() == u"wss";
    if (!secure && (insecure || !caFile.isEmpty()))
        return QStringLiteral("a CA file and insecure mode apply to wss:// URLs only");
    if (insecure && !caFile.isEmpty())
        return QStringLiteral("choose a CA file or insecure mode, not both");
    if (secure && !caFile.isEmpty() && !TlsContext::client({caFile}, &error))
        return error;
    return {};
}

QString SimulationConfig::validate() const
{
    QString error = replay.validate(); // first: a replay's device count comes from its file
    if (error.isEmpty())
        error = swarm.validate();
    if (error.isEmpty())
        error = link.validate();
    if (error.isEmpty() && (snapshotHz < 0 || snapshotHz > 120))
        error = outOfRange("snapshot rate", snapshotHz, 0, 120);
    return error;
}

void SimulationConfig::useReplay(std::shared_ptr<const SessionIndex> session, double speed, bool loop)
{
    if (session)
        swarm.devices = int(session->deviceIds.size());
    link.gateway = 1; // like the hardware that was recorded: a socket per device
    replay.session = std::move(session);
    replay.speed = speed;
    replay.loop = loop;
}

QString ReplayConfig::validate() const
{
    if (!session)
        return {};
    if (!session->isValid())
        return session->error;
    if (session->frames == 0)
        return session->path + QStringLiteral(": no frames to replay");
    if (!(speed >= MinSpeed && speed <= MaxSpeed))
        return QStringLiteral("replay speed %1 is out of range (%2 to %3)")
            .arg(speed)
            .arg(MinSpeed)
            .arg(MaxSpeed);
    return {};
}

} // namespace GroupLoop
