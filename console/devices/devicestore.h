// DeviceStore: every device the console has heard, refreshed at a fixed rate.
// Frames are parsed off the GUI thread into a FrameIngest; each refresh tick drains it, so the
// views see one update per tick however many frames arrived. Devices silent for staleAfterMs
// are greyed; silent for forgetAfterMs they are removed. Also owns the shared selection and
// the console's prediction of each device's LEDs (LedPrediction).
#pragma once

#include "devicestate.h"
#include "frameingest.h"
#include "ledprediction.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <functional>
#include <memory>
#include <vector>

namespace GroupLoop {

class DeviceStore : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("DeviceStore is provided by the console")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int selectedCount READ selectedCount NOTIFY selectionChanged)
    Q_PROPERTY(QStringList selectedIds READ selectedIds NOTIFY selectionChanged)
    Q_PROPERTY(QString currentId READ currentId WRITE setCurrentId NOTIFY currentIdChanged)
    Q_PROPERTY(int staleAfterMs READ staleAfterMs WRITE setStaleAfterMs NOTIFY agingChanged)
    Q_PROPERTY(int forgetAfterMs READ forgetAfterMs WRITE setForgetAfterMs NOTIFY agingChanged)
    Q_PROPERTY(int refreshHz READ refreshHz WRITE setRefreshHz NOTIFY refreshHzChanged)
    Q_PROPERTY(double framesPerSecond READ framesPerSecond NOTIFY ticked)
    Q_PROPERTY(double totalFrames READ totalFramesAsDouble NOTIFY ticked)
    Q_PROPERTY(int tickCount READ tickCount NOTIFY ticked)
    Q_PROPERTY(int replayedCount READ replayedCount NOTIFY ticked)
    Q_PROPERTY(Sources shownSources READ shownSources WRITE setShownSources NOTIFY shownSourcesChanged)

public:
    static constexpr int HistorySeconds = 30;
    // Which devices the field and the table show: live and replayed together, or apart.
    enum Sources { AllSources, LiveSources, ReplaySources };
    Q_ENUM(Sources)

    explicit DeviceStore(QObject *parent = nullptr);

    std::shared_ptr<FrameIngest> ingest() const { return m_ingest; }

    // Drains the ingest and ages devices out. Called by the refresh timer with Clock::nowMs();
    // tests call it directly with their own clock.
    void tick(qint64 nowMs);
    void setAutoRefresh(bool on);
    qint64 lastTickMs() const { return m_lastTickMs; }
    // GUI-thread time the last tick took, including every view it updated synchronously.
    qint64 lastTickDurationNs() const { return m_lastTickDurationNs; }
    // The same in GUI-thread CPU time (differs from the above when the thread was preempted).
    qint64 lastTickCpuNs() const { return m_lastTickCpuNs; }

    int count() const { return int(m_devices.size()); }
    const std::vector<DeviceState> &devices() const { return m_devices; }
    const DeviceState *device(quint16 id) const;
    int rowOf(quint16 id) const { return m_rows.value(id, -1); }
    bool isStale(const DeviceState &device) const
    {
        return m_lastTickMs - device.lastSeenMs > m_staleAfterMs;
    }
    // Heard only from the console's own replay (not from the relay lately): no relay knows it,
    // so it is marked in every view and never a command's target.
    bool isReplayOnly(const DeviceState &device) const
    {
        return device.replayed
            && (device.lastLiveMs < 0 || m_lastTickMs - device.lastLiveMs > m_staleAfterMs);
    }
    bool isReplayOnly(quint16 id) const;
    int replayedCount() const;
    Sources shownSources() const { return m_shownSources; }
    void setShownSources(Sources sources);
    bool isShown(const DeviceState &device) const
    {
        return m_shownSources == AllSources || (m_shownSources == ReplaySources) == isReplayOnly(device);
    }
    // The replay stopped: its devices leave now (pending replayed frames too); devices also
    // heard live stay, unmarked.
    void endReplay();
    QColor ledColour(quint16 id) const { return m_leds.displayColour(id); }
    LedPrediction &leds() { return m_leds; }
    const LedPrediction &leds() const { return m_leds; }
    void notifyLedsChanged() { Q_EMIT ledsChanged(); }

    int staleAfterMs() const { return m_staleAfterMs; }
    void setStaleAfterMs(int ms);
    int forgetAfterMs() const { return m_forgetAfterMs; }
    void setForgetAfterMs(int ms);
    int refreshHz() const { return m_refreshHz; }
    void setRefreshHz(int hz);

    double framesPerSecond() const { return m_framesPerSecond; }
    quint64 totalFrames() const { return m_totalFrames; }
    double totalFramesAsDouble() const { return double(m_totalFrames); }
    int tickCount() const { return m_tickCount; }

    // Selection, shared by the field, the table and the command panel.
    enum class SelectMode { Replace, Add, Toggle };
    void select(const QList<quint16> &ids, SelectMode mode);
    bool isSelected(quint16 id) const { return m_selected.contains(id); }
    const QSet<quint16> &selection() const { return m_selected; }
    int selectedCount() const { return int(m_selected.size()); }
    QStringList selectedIds() const;
    QString currentId() const { return m_currentId; }
    void setCurrentId(const QString &id);

    Q_INVOKABLE void selectOnly(const QString &id);
    Q_INVOKABLE void toggleSelected(const QString &id);
    Q_INVOKABLE void addToSelection(const QString &id);
    Q_INVOKABLE void selectAll();
    Q_INVOKABLE void clearSelection();
    Q_INVOKABLE bool selected(const QString &id) const;
    Q_INVOKABLE QStringList ids() const;
    // Values for hover cards and the detail view; empty map for an unknown id.
    Q_INVOKABLE QVariantMap deviceInfo(const QString &id) const;
    // The six LEDs the firmware would show now ("#rrggbb"), empty when the console cannot know.
    Q_INVOKABLE QStringList predictedRing(const QString &id) const;
    // A paused replay: these devices count as heard now, so they stay as they are instead of
    // greying out and being forgotten.
    void holdDevices(const QList<quint16> &ids, qint64 nowMs);
    // Feeds one line of device data as if it came from the relay (tests, manual checks).
    Q_INVOKABLE bool pushFrameText(const QString &line);

Q_SIGNALS:
    void devicesAboutToBeInserted(int first, int last);
    void devicesInserted();
    void deviceAboutToBeRemoved(int row);
    void deviceRemoved();
    void countChanged();
    void ticked();
    void selectionChanged();
    void currentIdChanged();
    void agingChanged();
    void refreshHzChanged();
    void ledsChanged();
    void shownSourcesChanged();

private:
    void insertNew(const QHash<quint16, PendingDevice> &pending, qint64 nowMs);
    void removeForgotten(qint64 nowMs);
    void removeRows(const std::function<bool(const DeviceState &)> &gone);

    std::shared_ptr<FrameIngest> m_ingest = std::make_shared<FrameIngest>();
    std::vector<DeviceState> m_devices;
    QHash<quint16, int> m_rows;
    QSet<quint16> m_selected;
    QString m_currentId;
    LedPrediction m_leds;
    QTimer m_timer;
    int m_staleAfterMs = 2000;
    int m_forgetAfterMs = 5000;
    int m_refreshHz = 20;
    qint64 m_lastTickMs = 0;
    int m_tickCount = 0;
    qint64 m_lastTickDurationNs = 0;
    qint64 m_lastTickCpuNs = 0;
    quint64 m_totalFrames = 0;
    quint64 m_rateFrames = 0;
    qint64 m_rateSinceMs = 0;
    double m_framesPerSecond = 0.0;
    Sources m_shownSources = AllSources;
};

} // namespace GroupLoop
