// CommandController: turns the command panel's choices into `cmd:` messages and their
// replies into results. Target "all" sends one `cmd:all:...`; a selection sends one `cmd:` per
// device; replies are matched by token (the transport matches them FIFO per connection).
// Accepted commands feed the store's LedPrediction, since devices never report LED state.
// Devices heard only from the console's own replay are never targets: no relay knows them.
#pragma once

#include "commandhistorymodel.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

class CommandTransport;
class DeviceStore;
class RegistryModel;

class CommandController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by the console")
    Q_PROPERTY(TargetMode targetMode READ targetMode WRITE setTargetMode NOTIFY targetChanged)
    Q_PROPERTY(QString oneTarget READ oneTarget WRITE setOneTarget NOTIFY targetChanged)
    Q_PROPERTY(QString targetSummary READ targetSummary NOTIFY targetChanged)
    Q_PROPERTY(bool canSend READ canSend NOTIFY canSendChanged)
    Q_PROPERTY(QString lastSummary READ lastSummary NOTIFY lastSummaryChanged)
    Q_PROPERTY(GroupLoop::CommandHistoryModel *history READ history CONSTANT)

public:
    enum TargetMode { Selection, All, One };
    Q_ENUM(TargetMode)
    static constexpr int PerDeviceHistory = 50;

    CommandController(DeviceStore *store, CommandTransport *transport, RegistryModel *registry,
                      QObject *parent = nullptr);

    TargetMode targetMode() const { return m_targetMode; }
    void setTargetMode(TargetMode mode);
    QString oneTarget() const { return m_oneTarget; }
    void setOneTarget(const QString &id);
    QString targetSummary() const;
    bool canSend() const;
    QString lastSummary() const { return m_lastSummary; }
    CommandHistoryModel *history() { return &m_history; }

    // Returns the send id (> 0), or 0 when nothing could be sent (see lastSummary).
    Q_INVOKABLE int send(const QString &command, const QString &params = {});
    // For commands that need explicit confirmation (ota); the panel asks first.
    Q_INVOKABLE int sendConfirmed(const QString &command, const QString &params);
    // "command[:params]" to the current target, or a full "cmd:<target>:<command>[:<params>]".
    Q_INVOKABLE int sendRaw(const QString &line);
    // Commands sent to one device with their results, newest first.
    Q_INVOKABLE QVariantList historyFor(const QString &deviceId) const;
    Q_INVOKABLE static bool needsConfirmation(const QString &command);
    Q_INVOKABLE static QString springParams(double k, double damping, double mass);

Q_SIGNALS:
    void targetChanged();
    void canSendChanged();
    void lastSummaryChanged();
    void sendFinished(int sendId, bool ok, const QString &summary);
    // One reply per target: the relay's result without "cmd:result:", or why nothing came.
    void commandAnswered(const QString &target, const QString &command, const QString &params,
                         const QString &result);
    void logEvent(int level, const QString &category, const QString &text);

private:
    struct Pending
    {
        int sendId = 0;
        QString target; // device id or "all"
    };
    struct DeviceEntry
    {
        int sendId = 0;
        QDateTime at;
        QString command;
        QString params;
        QString result;
        QString status;
    };

    int dispatch(const QStringList &targets, const QString &targetLabel, const QString &command,
                 const QString &params);
    SendRecord newRecord(const QString &target, const QString &command,
                         const QString &params); // next id, now
    bool isReplayOnly(const QString &id) const;
    QStringList liveSelection() const; // selected ids without replay-only devices
    static QString replayRefusal(const QString &id);
    int rejectLocally(const QString &target, const QString &command, const QString &params,
                      const QString &why);
    void onReply(quint64 token, const QString &reply);
    void onFailure(quint64 token, const QString &reason);
    void settle(quint64 token, bool ok, int delivered, const QString &error, const QString &resultText,
                const QString &wireResult);
    void recordForDevice(const QString &deviceId, const DeviceEntry &entry);
    void updateDeviceEntry(const QString &deviceId, int sendId, const QString &result, const QString &status);
    void setLastSummary(const QString &summary);

    QPointer<DeviceStore> m_store;
    QPointer<CommandTransport> m_transport;
    QPointer<RegistryModel> m_registry;
    TargetMode m_targetMode = Selection;
    QString m_oneTarget;
    QString m_lastSummary;
    CommandHistoryModel m_history;
    QHash<quint64, Pending> m_pending;
    QSet<quint16> m_lastSelection; // to tell devices picked from devices leaving
    QHash<QString, QList<DeviceEntry>> m_deviceHistory;
    quint64 m_nextToken = 1;
    int m_nextSendId = 1;
};

} // namespace GroupLoop
