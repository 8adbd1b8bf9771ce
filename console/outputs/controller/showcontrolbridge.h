// ShowControlBridge: carries out what OSC in accepts (docs/outputs.md, "OSC in: show control")
// through the console's own parts, so a cue behaves as the same action in the window would:
// /grouploop/cmd goes through the CommandController (its history, its LED tracking, its
// checks) and is answered with the relay's result; /grouploop/select sets the DeviceStore's
// selection. The receiver's gate follows the registry the command panel uses.
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>

namespace GroupLoop {

class CommandController;
class DeviceStore;
class OscCommandReceiver;
class RegistryModel;

class ShowControlBridge : public QObject
{
    Q_OBJECT

public:
    ShowControlBridge(OscCommandReceiver *receiver, CommandController *commands, DeviceStore *store,
                      RegistryModel *registry, QObject *parent = nullptr);

private:
    void runCommand(int requestId, const QString &target, const QString &command, const QString &params);
    void select(int requestId, const QList<quint16> &ids);
    void updateGate();

    QPointer<OscCommandReceiver> m_receiver;
    QPointer<CommandController> m_commands;
    QPointer<DeviceStore> m_store;
    QPointer<RegistryModel> m_registry;
    QHash<int, int> m_requests; // the controller's send id -> the receiver's request id
    QString m_lastWireResult; // commandAnswered comes just before sendFinished for the same send
};

} // namespace GroupLoop
