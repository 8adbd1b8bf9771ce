#include "devicestore.h"

#include "clock.h"
#include "consolelogging.h"
#include "roommodel.h"

#include <QElapsedTimer>

#include <time.h>

#include <algorithm>

namespace GroupLoop {

namespace {
qint64 threadCpuNs()
{
#if defined(CLOCK_THREAD_CPUTIME_ID)
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return qint64(t.tv_sec) * 1000000000 + t.tv_nsec;
#else
    return 0;
#endif
}

constexpr double PositionSmoothing = 0.35; // share of the new estimate taken per tick

quint16 idFromString(const QString &text, bool *ok)
{
    const auto id = SensorFrame::idFromText(text);
    *ok = id.has_value();
    return id.value_or(0);
}
} // namespace

DeviceStore::DeviceStore(QObject *parent)
    : QObject(parent)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(1000 / m_refreshHz);
    connect(&m_timer, &QTimer::timeout, this, [this] { tick(Clock::nowMs()); });
}

void DeviceStore::setAutoRefresh(bool on)
{
    if (on)
        m_timer.start();
    else
        m_timer.stop();
}

void DeviceStore::setStaleAfterMs(int ms)
{
    ms = std::max(ms, 100);
    if (ms == m_staleAfterMs)
        return;
    m_staleAfterMs = ms;
    m_forgetAfterMs = std::max(m_forgetAfterMs, ms);
    Q_EMIT agingChanged();
}

void DeviceStore::setForgetAfterMs(int ms)
{
    ms = std::max(ms, 100);
    if (ms == m_forgetAfterMs)
        return;
    m_forgetAfterMs = ms;
    m_staleAfterMs = std::min(m_staleAfterMs, ms);
    Q_EMIT agingChanged();
}

void DeviceStore::setRefreshHz(int hz)
{
    hz = std::clamp(hz, 1, 60);
    if (hz == m_refreshHz)
        return;
    m_refreshHz = hz;
    m_timer.setInterval(1000 / hz);
    Q_EMIT refreshHzChanged();
}

const DeviceState *DeviceStore::device(quint16 id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_devices[size_t(row)];
}

void DeviceStore::holdDevices(const QList<quint16> &ids, qint64 nowMs)
{
    for (const quint16 id : ids) {
        const int row = rowOf(id);
        if (row >= 0)
            m_devices[size_t(row)].lastSeenMs = std::max(m_devices[size_t(row)].lastSeenMs, nowMs);
    }
}

void DeviceStore::tick(qint64 nowMs)
{
    QElapsedTimer duration;
    duration.start();
    const qint64 cpuStart = threadCpuNs();
    m_lastTickMs = nowMs;
    ++m_tickCount;
    const QHash<quint16, PendingDevice> pending = m_ingest->drain();

    quint64 drained = 0;
    for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
        drained += it->frames;
        const int row = rowOf(it.key());
        if (row < 0)
            continue;
        DeviceState &d = m_devices[size_t(row)];
        d.last = it->latest;
        d.lastSeenMs = std::max(d.lastSeenMs, it->lastSeenMs);
        d.lastLiveMs = it->live ? it->lastSeenMs : d.lastLiveMs;
        d.replayed = d.replayed || it->replayed;
        d.frames += it->frames;
        if (it->taps) {
            d.taps += it->taps;
            d.lastTapMs = nowMs;
        }
        if (const auto p = RoomModel::estimatePosition(d.last.beacons)) {
            if (d.hasPosition)
                d.position += (*p - d.position) * PositionSmoothing;
            else
                d.position = *p;
            d.hasPosition = true;
        }
        d.history.append(HistorySample {nowMs, d.last.ax, d.last.ay, d.last.az, d.last.beacons});
    }
    insertNew(pending, nowMs);
    m_totalFrames += drained;

    for (DeviceState &d : m_devices) {
        if (nowMs - d.rateSinceMs >= 1000) {
            d.rateHz = double(d.frames - d.rateFrames) * 1000.0 / double(nowMs - d.rateSinceMs);
            d.rateFrames = d.frames;
            d.rateSinceMs = nowMs;
        }
    }
    if (nowMs - m_rateSinceMs >= 1000) {
        m_framesPerSecond = double(m_totalFrames - m_rateFrames) * 1000.0 / double(nowMs - m_rateSinceMs);
        m_rateFrames = m_totalFrames;
        m_rateSinceMs = nowMs;
    }
    removeForgotten(nowMs);
    Q_EMIT ticked();
    m_lastTickDurationNs = duration.nsecsElapsed();
    m_lastTickCpuNs = threadCpuNs() - cpuStart;
}

void DeviceStore::insertNew(const QHash<quint16, PendingDevice> &pending, qint64 nowMs)
{
    std::vector<quint16> fresh;
    for (auto it = pending.cbegin(); it != pending.cend(); ++it)
        if (!m_rows.contains(it.key()))
            fresh.push_back(it.key());
    if (fresh.empty())
        return;
    std::sort(fresh.begin(), fresh.end());
    const int first = count();
    Q_EMIT devicesAboutToBeInserted(first, first + int(fresh.size()) - 1);
    const int historyCapacity = HistorySeconds * m_refreshHz + m_refreshHz;
    for (quint16 id : fresh) {
        const PendingDevice &p = pending[id];
        DeviceState d;
        d.id = id;
        d.idText = SensorFrame::idToText(id);
        d.last = p.latest;
        d.firstSeenMs = p.lastSeenMs;
        d.lastSeenMs = p.lastSeenMs;
        d.lastLiveMs = p.live ? p.lastSeenMs : -1;
        d.replayed = p.replayed;
        d.frames = p.frames;
        d.taps = p.taps;
        d.lastTapMs = p.taps ? nowMs : d.lastTapMs;
        d.rateFrames = 0;
        d.rateSinceMs = nowMs - 1000 / m_refreshHz;
        if (const auto pos = RoomModel::estimatePosition(d.last.beacons)) {
            d.position = *pos;
            d.hasPosition = true;
        }
        d.history = DeviceHistory(historyCapacity);
        d.history.append(HistorySample {nowMs, d.last.ax, d.last.ay, d.last.az, d.last.beacons});
        qCDebug(lcConsoleDevices).noquote() << "device" << d.idText << "appeared";
        m_rows.insert(id, count());
        m_devices.push_back(std::move(d));
    }
    Q_EMIT devicesInserted();
    Q_EMIT countChanged();
}

void DeviceStore::removeForgotten(qint64 nowMs)
{
    removeRows([this, nowMs](const DeviceState &d) {
        if (nowMs - d.lastSeenMs <= m_forgetAfterMs)
            return false;
        qCDebug(lcConsoleDevices).noquote()
            << "device" << d.idText << "forgotten after" << nowMs - d.lastSeenMs << "ms of silence";
        return true;
    });
}

void DeviceStore::removeRows(const std::function<bool(const DeviceState &)> &gone)
{
    bool selectionTouched = false;
    bool removedAny = false;
    for (int row = count() - 1; row >= 0; --row) {
        const DeviceState &d = m_devices[size_t(row)];
        if (!gone(d))
            continue;
        Q_EMIT deviceAboutToBeRemoved(row);
        const quint16 id = d.id;
        selectionTouched |= m_selected.remove(id);
        m_devices.erase(m_devices.begin() + row);
        removedAny = true;
        Q_EMIT deviceRemoved();
    }
    if (!removedAny)
        return;
    m_rows.clear();
    for (int row = 0; row < count(); ++row)
        m_rows.insert(m_devices[size_t(row)].id, row);
    Q_EMIT countChanged();
    if (selectionTouched)
        Q_EMIT selectionChanged();
}

bool DeviceStore::isReplayOnly(quint16 id) const
{
    const DeviceState *d = device(id);
    return d && isReplayOnly(*d);
}

int DeviceStore::replayedCount() const
{
    return int(std::count_if(m_devices.begin(), m_devices.end(),
                             [this](const DeviceState &d) { return isReplayOnly(d); }));
}

void DeviceStore::setShownSources(Sources sources)
{
    if (sources == m_shownSources)
        return;
    m_shownSources = sources;
    Q_EMIT shownSourcesChanged();
    Q_EMIT ticked(); // views rebuild with the filter
}

void DeviceStore::endReplay()
{
    m_ingest->discardReplayed();
    removeRows([this](const DeviceState &d) { return isReplayOnly(d); });
    for (DeviceState &d : m_devices)
        d.replayed = false; // heard live too: stays, unmarked
    Q_EMIT ticked();
}

void DeviceStore::select(const QList<quint16> &ids, SelectMode mode)
{
    const QSet<quint16> before = m_selected;
    if (mode == SelectMode::Replace)
        m_selected.clear();
    for (quint16 id : ids) {
        if (!m_rows.contains(id))
            continue;
        if (mode == SelectMode::Toggle && m_selected.contains(id))
            m_selected.remove(id);
        else
            m_selected.insert(id);
    }
    if (m_selected != before)
        Q_EMIT selectionChanged();
}

QStringList DeviceStore::selectedIds() const
{
    QList<quint16> sorted(m_selected.cbegin(), m_selected.cend());
    std::sort(sorted.begin(), sorted.end());
    QStringList out;
    out.reserve(sorted.size());
    for (quint16 id : sorted)
        out << SensorFrame::idToText(id);
    return out;
}

void DeviceStore::setCurrentId(const QString &id)
{
    if (id == m_currentId)
        return;
    m_currentId = id;
    Q_EMIT currentIdChanged();
}

void DeviceStore::selectOnly(const QString &id)
{
    bool ok = false;
    const quint16 value = idFromString(id, &ok);
    if (ok) {
        select({value}, SelectMode::Replace);
        setCurrentId(id);
    }
}

void DeviceStore::toggleSelected(const QString &id)
{
    bool ok = false;
    const quint16 value = idFromString(id, &ok);
    if (ok)
        select({value}, SelectMode::Toggle);
}

void DeviceStore::addToSelection(const QString &id)
{
    bool ok = false;
    const quint16 value = idFromString(id, &ok);
    if (ok)
        select({value}, SelectMode::Add);
}

void DeviceStore::selectAll()
{
    QList<quint16> all;
    all.reserve(count());
    for (const DeviceState &d : m_devices) {
        if (isShown(d))
            all << d.id;
    }
    select(all, SelectMode::Replace);
}

void DeviceStore::clearSelection()
{
    select({}, SelectMode::Replace);
}

bool DeviceStore::selected(const QString &id) const
{
    const auto value = SensorFrame::idFromText(id);
    return value && m_selected.contains(*value);
}

QStringList DeviceStore::ids() const
{
    QStringList out;
    out.reserve(count());
    for (const DeviceState &d : m_devices)
        out << d.idText;
    return out;
}

QStringList DeviceStore::predictedRing(const QString &id) const
{
    const auto value = SensorFrame::idFromText(id);
    return value ? m_leds.ringAt(*value, Clock::nowMs()) : QStringList();
}

QVariantMap DeviceStore::deviceInfo(const QString &id) const
{
    const auto value = SensorFrame::idFromText(id);
    const DeviceState *d = value ? device(*value) : nullptr;
    if (!d)
        return {};
    QVariantList beacons;
    QVariantList beaconBytes;
    for (int b = 0; b < 4; ++b) {
        beacons << (d->last.beaconHeard(b) ? QVariant(d->last.beaconDbm(b)) : QVariant());
        beaconBytes << int(d->last.beacons[size_t(b)]);
    }
    const QColor led = m_leds.displayColour(d->id);
    return {
        {QStringLiteral("id"), d->idText},
        {QStringLiteral("raw"), QString::fromLatin1(d->last.toHex())},
        {QStringLiteral("ax"), d->last.axG()},
        {QStringLiteral("ay"), d->last.ayG()},
        {QStringLiteral("az"), d->last.azG()},
        {QStringLiteral("beacons"), beacons},
        {QStringLiteral("beaconBytes"), beaconBytes},
        {QStringLiteral("taps"), double(d->taps)},
        {QStringLiteral("frames"), double(d->frames)},
        {QStringLiteral("rate"), d->rateHz},
        {QStringLiteral("silentMs"), double(std::max<qint64>(0, m_lastTickMs - d->lastSeenMs))},
        {QStringLiteral("stale"), isStale(*d)},
        {QStringLiteral("hasPosition"), d->hasPosition},
        {QStringLiteral("x"), d->position.x()},
        {QStringLiteral("y"), d->position.y()},
        {QStringLiteral("ledKnown"), led.isValid()},
        {QStringLiteral("led"), led.isValid() ? led.name() : QString()},
        {QStringLiteral("ledPattern"), m_leds.patternName(d->id)},
        {QStringLiteral("ledBrightness"), m_leds.brightness(d->id).value_or(-1)},
        {QStringLiteral("selected"), m_selected.contains(d->id)},
        {QStringLiteral("replayed"), isReplayOnly(*d)},
    };
}

bool DeviceStore::pushFrameText(const QString &line)
{
    const auto frame = SensorFrame::parse(QStringView(line).trimmed());
    if (!frame) {
        m_ingest->countMalformed(1);
        return false;
    }
    m_ingest->push(*frame, Clock::nowMs());
    return true;
}

} // namespace GroupLoop
