#include "showcontrolbridge.h"

#include "commandcontroller.h"
#include "devicestore.h"
#include "osccommandreceiver.h"
#include "registrymodel.h"

namespace GroupLoop {

ShowControlBridge::ShowControlBridge(OscCommandReceiver *receiver, CommandController *commands,
                                     DeviceStore *store, RegistryModel *registry, QObject *parent)
    : QObject(parent)
    , m_receiver(receiver)
    , m_commands(commands)
    , m_store(store)
    , m_registry(registry)
{
    connect(receiver, &OscCommandReceiver::commandRequested, this, &ShowControlBridge::runCommand);
    connect(receiver, &OscCommandReceiver::selectionRequested, this, &ShowControlBridge::select);
    connect(commands, &CommandController::commandAnswered, this,
            [this](const QString &, const QString &, const QString &, const QString &result) {
                m_lastWireResult = result;
            });
    connect(commands, &CommandController::sendFinished, this,
            [this](int sendId, bool, const QString &summary) {
                const auto it = m_requests.constFind(sendId);
                const QString wire = std::exchange(m_lastWireResult, QString());
                if (it == m_requests.constEnd())
                    return;
                const int requestId = *it;
                m_requests.erase(it);
                if (m_receiver)
                    m_receiver->reply(requestId, wire.isEmpty() ? summary : wire);
            });
    connect(registry, &RegistryModel::countChanged, this, &ShowControlBridge::updateGate);
    connect(registry, &QAbstractItemModel::modelReset, this, &ShowControlBridge::updateGate);
    updateGate();
}

void ShowControlBridge::updateGate()
{
    if (m_receiver && m_registry)
        m_receiver->setGate(std::make_shared<RegistryCommandGate>(m_registry->registry()));
}

void ShowControlBridge::runCommand(int requestId, const QString &target, const QString &command,
                                   const QString &params)
{
    if (!m_commands) {
        m_receiver->reply(requestId, QStringLiteral("refused: the console is closing"));
        return;
    }
    // The raw form names its own target, whatever the command panel's target is now.
    const QString line
        = QStringLiteral("cmd:") + target + u':' + command + (params.isEmpty() ? QString() : u':' + params);
    const int sendId = m_commands->sendRaw(line);
    if (sendId == 0) {
        m_receiver->reply(requestId, QStringLiteral("refused: ") + m_commands->lastSummary());
        return;
    }
    m_requests.insert(sendId, requestId);
}

void ShowControlBridge::select(int requestId, const QList<quint16> &ids)
{
    if (!m_store) {
        m_receiver->reply(requestId, QStringLiteral("refused: the console is closing"));
        return;
    }
    m_store->select(ids, DeviceStore::SelectMode::Replace);
    int unknown = 0;
    for (quint16 id : ids)
        unknown += m_store->device(id) ? 0 : 1;
    QString text = ids.isEmpty() ? QStringLiteral("selection cleared")
                                 : QStringLiteral("selected %1").arg(m_store->selectedCount());
    if (unknown > 0)
        text += QStringLiteral(" (%1 not heard now)").arg(unknown);
    m_receiver->reply(requestId, text);
}

} // namespace GroupLoop
