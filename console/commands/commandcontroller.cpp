#include "commandcontroller.h"

#include "clock.h"
#include "commandtransport.h"
#include "devicestore.h"
#include "logmodel.h"
#include "registrymodel.h"
#include "sensorframe.h"

#include <cmath>

namespace GroupLoop {

CommandController::CommandController(DeviceStore *store, CommandTransport *transport, RegistryModel *registry,
                                     QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_transport(transport)
    , m_registry(registry)
{
    connect(transport, &CommandTransport::commandReplied, this, &CommandController::onReply);
    connect(transport, &CommandTransport::commandFailed, this, &CommandController::onFailure);
    connect(transport, &CommandTransport::readyChanged, this, &CommandController::canSendChanged);
    connect(store, &DeviceStore::selectionChanged, this, [this] {
        // Picking devices (in the field or the table) means "send to these": the target follows,
        // so the next send does not go to everyone. Devices leaving the selection (forgotten,
        // deselected) do not move it.
        const QSet<quint16> &now = m_store->selection();
        bool picked = false;
        for (quint16 id : now)
            picked = picked || !m_lastSelection.contains(id);
        m_lastSelection = now;
        if (picked && m_targetMode != Selection) {
            setTargetMode(Selection);
        } else if (m_targetMode == Selection) {
            Q_EMIT targetChanged();
            Q_EMIT canSendChanged();
        }
    });
    connect(store, &DeviceStore::countChanged, this, [this] { // replayed devices came or went
        Q_EMIT targetChanged();
        Q_EMIT canSendChanged();
    });
}

void CommandController::setTargetMode(TargetMode mode)
{
    if (mode == m_targetMode)
        return;
    m_targetMode = mode;
    Q_EMIT targetChanged();
    Q_EMIT canSendChanged();
}

void CommandController::setOneTarget(const QString &id)
{
    const QString normalised = id.trimmed().toLower();
    if (normalised == m_oneTarget)
        return;
    m_oneTarget = normalised;
    Q_EMIT targetChanged();
    Q_EMIT canSendChanged();
}

QString CommandController::targetSummary() const
{
    const int replayed = m_store ? m_store->replayedCount() : 0;
    switch (m_targetMode) {
    case All:
        return replayed ? tr("all devices (cmd:all); not the %1 replayed, which no relay knows").arg(replayed)
                        : tr("all devices (cmd:all)");
    case One:
        if (isReplayOnly(m_oneTarget))
            return tr("device %1 is replayed: commands are not sent to a replay").arg(m_oneTarget);
        return m_oneTarget.isEmpty() ? tr("no device chosen") : tr("device %1").arg(m_oneTarget);
    case Selection:
        break;
    }
    const int n = int(liveSelection().size());
    const int skipped = (m_store ? m_store->selectedCount() : 0) - n;
    const QString text = n ? (n == 1 ? tr("1 selected device") : tr("%1 selected devices").arg(n))
                           : tr("no devices selected");
    if (skipped == 0)
        return text;
    return (n ? text + QStringLiteral("; ") : QString())
        + (skipped == 1 ? tr("1 replayed device is not sent commands (no relay knows it)")
                        : tr("%1 replayed devices are not sent commands (no relay knows them)").arg(skipped));
}

bool CommandController::isReplayOnly(const QString &id) const
{
    const auto value = SensorFrame::idFromText(id);
    return value && m_store && m_store->isReplayOnly(*value);
}

QStringList CommandController::liveSelection() const
{
    QStringList ids = m_store ? m_store->selectedIds() : QStringList();
    ids.removeIf([this](const QString &id) { return isReplayOnly(id); });
    return ids;
}

bool CommandController::canSend() const
{
    if (!m_transport || !m_transport->isReady())
        return false;
    switch (m_targetMode) {
    case All:
        return true;
    case One:
        return SensorFrame::idFromText(m_oneTarget).has_value() && !isReplayOnly(m_oneTarget);
    case Selection:
        return !liveSelection().isEmpty();
    }
    return false;
}

bool CommandController::needsConfirmation(const QString &command)
{
    return command == QLatin1String("ota");
}

QString CommandController::springParams(double k, double damping, double mass)
{
    auto byte = [](double v) { return qBound(0, int(std::lround(v * 10.0)), 255); };
    const int values[3] = {byte(k), byte(damping), byte(mass - 0.1)};
    QString out;
    for (int v : values)
        out += QString::number(v, 16).rightJustified(2, QLatin1Char('0'));
    return out;
}

int CommandController::send(const QString &command, const QString &params)
{
    if (needsConfirmation(command))
        return rejectLocally(
            targetSummary(), command, params,
            tr("%1 flashes firmware and needs confirmation; use the OTA button").arg(command));
    return sendConfirmed(command, params);
}

int CommandController::sendConfirmed(const QString &command, const QString &params)
{
    switch (m_targetMode) {
    case All:
        return dispatch({QStringLiteral("all")}, QStringLiteral("all"), command, params);
    case One:
        if (!SensorFrame::idFromText(m_oneTarget))
            return rejectLocally(m_oneTarget, command, params,
                                 tr("'%1' is not a device id (4 hex digits)").arg(m_oneTarget));
        if (isReplayOnly(m_oneTarget))
            return rejectLocally(m_oneTarget, command, params, replayRefusal(m_oneTarget));
        return dispatch({m_oneTarget}, m_oneTarget, command, params);
    case Selection:
        break;
    }
    const QStringList ids = liveSelection();
    if (ids.isEmpty() && m_store && m_store->selectedCount() > 0)
        return rejectLocally(tr("selection"), command, params,
                             tr("The selected devices are replayed: commands are not sent to a replay"));
    if (ids.isEmpty())
        return rejectLocally(tr("selection"), command, params, tr("Select devices first (or target all)"));
    const QString label = ids.size() == 1 ? ids.first() : tr("%1 selected").arg(ids.size());
    return dispatch(ids, label, command, params);
}

int CommandController::sendRaw(const QString &line)
{
    const QString text = line.trimmed();
    if (text.isEmpty())
        return rejectLocally(targetSummary(), QString(), QString(), tr("Type a command, e.g. led:ff0000"));
    if (text.startsWith(QLatin1String("cmd:"))) {
        const QStringList parts = text.mid(4).split(QLatin1Char(':'));
        if (parts.size() < 2 || parts[0].isEmpty() || parts[1].isEmpty())
            return rejectLocally(text, text, QString(), tr("Use cmd:<target>:<command>[:<params>]"));
        const QString target = parts[0].toLower();
        const QString command = parts[1];
        const QString params = text.mid(4 + parts[0].size() + 1 + parts[1].size() + 1);
        if (target != QLatin1String("all") && !SensorFrame::idFromText(target))
            return rejectLocally(target, command, params, tr("'%1' is not a device id or 'all'").arg(target));
        if (needsConfirmation(command))
            return rejectLocally(
                target, command, params,
                tr("%1 flashes firmware and needs confirmation; use the OTA button").arg(command));
        if (isReplayOnly(target))
            return rejectLocally(target, command, params, replayRefusal(target));
        return dispatch({target}, target, command, params);
    }
    const int colon = text.indexOf(QLatin1Char(':'));
    return send(colon < 0 ? text : text.left(colon), colon < 0 ? QString() : text.mid(colon + 1));
}

SendRecord CommandController::newRecord(const QString &target, const QString &command, const QString &params)
{
    SendRecord record;
    record.sendId = m_nextSendId++;
    record.at = QDateTime::currentDateTime();
    record.target = target;
    record.command = command;
    record.params = params;
    return record;
}

int CommandController::rejectLocally(const QString &target, const QString &command, const QString &params,
                                     const QString &why)
{
    SendRecord record = newRecord(target, command, params);
    record.local = true;
    record.errors << why;
    m_history.add(record);
    setLastSummary(why);
    Q_EMIT logEvent(LogModel::Warning, QStringLiteral("command"), tr("Not sent: %1").arg(why));
    Q_EMIT sendFinished(record.sendId, false, why);
    return 0;
}

int CommandController::dispatch(const QStringList &targets, const QString &targetLabel,
                                const QString &command, const QString &params)
{
    if (command.isEmpty() || command.contains(QLatin1Char(':')) || command.contains(QLatin1Char(' ')))
        return rejectLocally(targetLabel, command, params, tr("'%1' is not a command name").arg(command));
    if (m_registry && m_registry->contains(command) && params.isEmpty()
        && !m_registry->parametersOf(command).isEmpty())
        return rejectLocally(
            targetLabel, command, params,
            tr("%1 needs: %2").arg(command, m_registry->parametersOf(command).join(QStringLiteral(", "))));
    if (!m_transport || !m_transport->isReady())
        return rejectLocally(targetLabel, command, params, tr("Not connected to a relay"));

    SendRecord record = newRecord(targetLabel, command, params);
    record.expected = int(targets.size());
    m_history.add(record);

    const QString tail = params.isEmpty() ? command : command + QLatin1Char(':') + params;
    for (const QString &target : targets) {
        const quint64 token = m_nextToken++;
        m_pending.insert(token, Pending {record.sendId, target});
        if (target != QLatin1String("all"))
            recordForDevice(target,
                            DeviceEntry {record.sendId, record.at, command, params, tr("waiting…"),
                                         QStringLiteral("pending")});
        m_transport->sendCommandText(token, QStringLiteral("cmd:") + target + QLatin1Char(':') + tail);
    }
    Q_EMIT logEvent(LogModel::Info, QStringLiteral("command"),
                    tr("Sent %1 to %2")
                        .arg(params.isEmpty() ? command : command + QLatin1Char(':') + params, targetLabel));
    setLastSummary(tr("%1 → %2: waiting for replies…").arg(command, targetLabel));
    return record.sendId;
}

QString CommandController::replayRefusal(const QString &id)
{
    return tr("%1 is replayed in this console; no relay knows it, so commands are not sent").arg(id);
}

void CommandController::onReply(quint64 token, const QString &reply)
{
    static const QString resultPrefix = QStringLiteral("cmd:result:");
    const QString wire = reply.startsWith(resultPrefix) ? reply.mid(resultPrefix.size()) : reply;
    if (reply == QLatin1String("cmd:result:success")) {
        settle(token, true, 1, {}, tr("delivered"), wire);
    } else if (reply.startsWith(QLatin1String("cmd:result:sent_to_"))
               && reply.endsWith(QLatin1String("_devices"))) {
        const int n = reply.mid(19, reply.size() - 19 - 8).toInt();
        settle(token, true, n, {}, (n == 1 ? tr("sent to 1 device") : tr("sent to %1 devices").arg(n)), wire);
    } else if (reply == QLatin1String("cmd:result:failed")) {
        settle(token, false, 0, tr("device not connected to the relay"), tr("failed: not connected"), wire);
    } else if (reply.startsWith(resultPrefix)) {
        settle(token, false, 0, wire, wire, wire);
    } else {
        settle(token, false, 0, reply, reply, wire);
    }
}

void CommandController::onFailure(quint64 token, const QString &reason)
{
    settle(token, false, 0, reason, reason, reason);
}

void CommandController::settle(quint64 token, bool ok, int delivered, const QString &error,
                               const QString &resultText, const QString &wireResult)
{
    const auto it = m_pending.find(token);
    if (it == m_pending.end())
        return;
    const Pending pending = *it;
    m_pending.erase(it);
    SendRecord *record = m_history.find(pending.sendId);
    if (!record)
        return;
    Q_EMIT commandAnswered(pending.target, record->command, record->params, wireResult);
    if (ok) {
        ++record->succeeded;
        record->deliveredTo += delivered;
        if (m_store) {
            bool changed = false;
            const qint64 now = Clock::nowMs();
            if (pending.target == QLatin1String("all")) {
                for (const DeviceState &d : m_store->devices())
                    changed |= !m_store->isReplayOnly(d)
                        && m_store->leds().apply(d.id, record->command, record->params, now);
            } else if (const auto id = SensorFrame::idFromText(pending.target)) {
                changed = m_store->leds().apply(*id, record->command, record->params, now);
            }
            if (changed)
                m_store->notifyLedsChanged();
        }
    } else {
        ++record->failed;
        if (pending.target != QLatin1String("all"))
            record->failedIds << pending.target;
        if (!error.isEmpty() && !record->errors.contains(error))
            record->errors << error;
    }
    if (pending.target != QLatin1String("all"))
        updateDeviceEntry(pending.target, pending.sendId, resultText,
                          ok ? QStringLiteral("ok") : QStringLiteral("failed"));
    m_history.changed(pending.sendId);
    if (record->finished()) {
        const QString summary
            = tr("%1 → %2: %3")
                  .arg(record->params.isEmpty() ? record->command
                                                : record->command + QLatin1Char(':') + record->params,
                       record->target, record->summary());
        setLastSummary(summary);
        const bool ok = record->ok() && !record->reachedNone();
        Q_EMIT logEvent(ok ? LogModel::Info : LogModel::Warning, QStringLiteral("command"), summary);
        Q_EMIT sendFinished(record->sendId, ok, summary);
    }
}

void CommandController::recordForDevice(const QString &deviceId, const DeviceEntry &entry)
{
    QList<DeviceEntry> &list = m_deviceHistory[deviceId];
    list.prepend(entry);
    if (list.size() > PerDeviceHistory)
        list.removeLast();
}

void CommandController::updateDeviceEntry(const QString &deviceId, int sendId, const QString &result,
                                          const QString &status)
{
    auto it = m_deviceHistory.find(deviceId);
    if (it == m_deviceHistory.end())
        return;
    for (DeviceEntry &e : *it) {
        if (e.sendId == sendId) {
            e.result = result;
            e.status = status;
            return;
        }
    }
}

QVariantList CommandController::historyFor(const QString &deviceId) const
{
    QVariantList out;
    for (const DeviceEntry &e : m_deviceHistory.value(deviceId.toLower())) {
        out << QVariantMap {{QStringLiteral("time"), e.at.toString(QStringLiteral("HH:mm:ss"))},
                            {QStringLiteral("command"), e.command},
                            {QStringLiteral("params"), e.params},
                            {QStringLiteral("result"), e.result},
                            {QStringLiteral("status"), e.status}};
    }
    return out;
}

void CommandController::setLastSummary(const QString &summary)
{
    if (summary == m_lastSummary)
        return;
    m_lastSummary = summary;
    Q_EMIT lastSummaryChanged();
}

} // namespace GroupLoop
