#include "epolleventdispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QThread>
#include <QTimerEvent>

#include <algorithm>
#include <array>
#include <cerrno>
#include <ctime>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <utility>

namespace GroupLoop {

namespace {
constexpr int ReadyPerWait = 256;
constexpr int MaxWaitsPerPass = 16; // a pass takes at most 4,096 ready descriptors

qint64 monotonicUs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}
} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_epoll(epoll_create1(EPOLL_CLOEXEC))
    , m_wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{
    if (isValid()) {
        epoll_event event {};
        event.events = EPOLLIN;
        event.data.fd = m_wake;
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &event);
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wake >= 0)
        ::close(m_wake);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

qint64 EpollEventDispatcher::nowMs() const
{
    return monotonicUs() / 1000;
}

EpollEventDispatcher *EpollEventDispatcher::of(QThread *thread)
{
    return qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance(thread));
}

EpollEventDispatcher::Watch &EpollEventDispatcher::watchFor(int fd)
{
    if (size_t(fd) >= m_watches.size())
        m_watches.resize(std::max(size_t(fd) + 1, m_watches.size() * 2));
    return m_watches[size_t(fd)];
}

void EpollEventDispatcher::watchDescriptor(int fd, DescriptorHandler *handler, bool read, bool write)
{
    if (fd < 0)
        return;
    const quint32 events = handler ? (read ? EPOLLIN : 0u) | (write ? EPOLLOUT : 0u) : 0u;
    Watch &watch = watchFor(fd);
    watch.handler = events ? handler : nullptr;
    watch.handlerEvents = events;
    updateWatch(fd);
}

void EpollEventDispatcher::reportAgain(int fd)
{
    m_again.push_back(fd);
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    if (fd < 0)
        return;
    Watch &watch = watchFor(fd);
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        watch.read = notifier;
        break;
    case QSocketNotifier::Write:
        watch.write = notifier;
        break;
    case QSocketNotifier::Exception:
        watch.exception = notifier;
        break;
    }
    updateWatch(fd);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    if (fd < 0 || size_t(fd) >= m_watches.size())
        return;
    Watch &watch = m_watches[size_t(fd)];
    if (watch.read == notifier)
        watch.read = nullptr;
    if (watch.write == notifier)
        watch.write = nullptr;
    if (watch.exception == notifier)
        watch.exception = nullptr;
    updateWatch(fd);
}

void EpollEventDispatcher::updateWatch(int fd)
{
    Watch &watch = m_watches[size_t(fd)];
    // A handler's descriptor is edge-triggered: epoll then does not poll it again after each
    // report (a third of epoll_wait's cost), and the handler reads until the kernel has nothing
    // left or calls reportAgain().
    const quint32 events = (watch.read ? EPOLLIN : 0u) | (watch.write ? EPOLLOUT : 0u)
        | (watch.exception ? EPOLLPRI : 0u) | watch.handlerEvents | (watch.handler ? EPOLLET : 0u);
    if (events == watch.registered)
        return; // nothing changes: no epoll_ctl
    epoll_event event {};
    event.events = events;
    event.data.fd = fd;
    if (events == 0) {
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, &event); // ENOENT/EBADF when already closed: fine
    } else if (watch.registered == 0) {
        // EEXIST: a descriptor number reused before the old one was unregistered.
        if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) != 0 && errno == EEXIST)
            epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
    } else if (epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event) != 0 && errno == ENOENT) {
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event); // closed (epoll forgot it) and reused
    }
    watch.registered = events;
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    m_timers.append({timerId, interval, timerType, object, nowMs() + interval});
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return m_timers.removeIf([timerId](const Timer &t) { return t.id == timerId; }) > 0;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    return m_timers.removeIf([object](const Timer &t) { return t.object == object; }) > 0;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> out;
    for (const Timer &t : m_timers) {
        if (t.object == object)
            out.append(TimerInfo(t.id, int(t.intervalMs), t.type));
    }
    return out;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    for (const Timer &t : std::as_const(m_timers)) {
        if (t.id == timerId)
            return int(std::max<qint64>(0, t.dueMs - nowMs()));
    }
    return -1;
}

void EpollEventDispatcher::wakeUp()
{
    m_wokenUp.storeRelease(1); // before the write: a pass that sees the write sees this too
    const quint64 one = 1;
    [[maybe_unused]] const auto written = ::write(m_wake, &one, sizeof one);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.storeRelaxed(1);
    wakeUp();
}

int EpollEventDispatcher::waitTimeoutMs(bool mayWait) const
{
    if (!mayWait)
        return 0;
    qint64 next = -1;
    const qint64 now = nowMs();
    for (const Timer &t : m_timers) {
        const qint64 left = std::max<qint64>(0, t.dueMs - now);
        if (next < 0 || left < next)
            next = left;
    }
    return int(std::min<qint64>(next, 60000));
}

bool EpollEventDispatcher::activateTimers()
{
    // Collect first: a timer event may register or kill timers.
    const qint64 now = nowMs();
    QList<int> due;
    for (Timer &t : m_timers) {
        if (t.dueMs > now)
            continue;
        due.append(t.id);
        // Precise timers keep their phase; others restart from now. After a stall longer
        // than an interval, both restart from now instead of firing a burst.
        t.dueMs = (t.type == Qt::PreciseTimer && t.dueMs + t.intervalMs > now) ? t.dueMs + t.intervalMs
                                                                               : now + t.intervalMs;
    }
    for (int id : due) {
        const auto it
            = std::find_if(m_timers.cbegin(), m_timers.cend(), [id](const Timer &t) { return t.id == id; });
        if (it == m_timers.cend())
            continue; // killed by an earlier timer event
        QTimerEvent event(id);
        QCoreApplication::sendEvent(it->object, &event);
    }
    return !due.isEmpty();
}

void EpollEventDispatcher::waitOutCoalescingInterval()
{
    if (m_coalesceUs <= 0 || m_lastBusyPassUs == 0)
        return;
    const qint64 leftUs = m_lastBusyPassUs + m_coalesceUs - monotonicUs();
    if (leftUs <= 0)
        return; // the last busy pass is long enough ago: answer at once
    // Never past a timer that is due sooner (the wait below then returns at once for it).
    const int timerMs = waitTimeoutMs(true);
    const qint64 sleepUs = timerMs >= 0 ? std::min<qint64>(leftUs, qint64(timerMs) * 1000 + 999) : leftUs;
    timespec pause {};
    pause.tv_sec = time_t(sleepUs / 1000000);
    pause.tv_nsec = long(sleepUs % 1000000) * 1000;
    nanosleep(&pause, nullptr); // EINTR: a shorter pause, fine
}

void EpollEventDispatcher::prefetchAhead(const epoll_event *next, const epoll_event *end) const
{
    // With hundreds of sockets, each report finds its watch and its handler out of cache, and
    // the handler's recv() leaves the caches cold again. Asking for the next two reports' lines
    // now lets those loads overlap this report's system call instead of stalling after it.
    if (next < end && size_t(next->data.fd) < m_watches.size()) {
        const Watch &watch = m_watches[size_t(next->data.fd)];
        if (watch.handler) {
            const auto *object = reinterpret_cast<const char *>(watch.handler);
            __builtin_prefetch(object);
            __builtin_prefetch(object + 64);
        }
    }
    if (next + 1 < end && size_t(next[1].data.fd) < m_watches.size())
        __builtin_prefetch(&m_watches[size_t(next[1].data.fd)]);
}

bool EpollEventDispatcher::dispatchReady(int fd, quint32 events)
{
    if (fd < 0 || size_t(fd) >= m_watches.size())
        return false;
    bool handled = false;
    // Look the watch up afresh for each activation: a handler may remove it (m_watches may
    // also grow, so no reference is kept across a call out).
    if (const Watch &watch = m_watches[size_t(fd)]; watch.handler) {
        const bool failed = events & (EPOLLERR | EPOLLHUP);
        const bool readable = (watch.handlerEvents & EPOLLIN) && (failed || (events & EPOLLIN));
        const bool writable = (watch.handlerEvents & EPOLLOUT) && (failed || (events & EPOLLOUT));
        if (readable || writable) {
            watch.handler->descriptorReady(fd, readable, writable);
            handled = true;
        }
    }
    auto activate = [&](QSocketNotifier *Watch::*which) {
        QSocketNotifier *notifier = m_watches[size_t(fd)].*which;
        if (!notifier)
            return;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        handled = true;
    };
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
        activate(&Watch::read);
    if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
        activate(&Watch::write);
    if (events & EPOLLPRI)
        activate(&Watch::exception);
    return handled;
}

bool EpollEventDispatcher::drainWakeUps(bool reported)
{
    // Cheap when nobody woke the loop: an atomic exchange, no read() on every pass.
    const bool woken = m_wokenUp.fetchAndStoreAcquire(0) != 0;
    if (woken || reported) {
        quint64 value;
        [[maybe_unused]] const auto read = ::read(m_wake, &value, sizeof value); // EAGAIN: fine
    }
    return woken;
}

bool EpollEventDispatcher::waitForWakeOnly(bool mayWait)
{
    pollfd wake {m_wake, POLLIN, 0};
    const int count = ::poll(&wake, 1, waitTimeoutMs(mayWait)); // EINTR: as a timeout
    Q_EMIT awake();
    if (count <= 0)
        return false;
    drainWakeUps(true);
    QCoreApplication::sendPostedEvents(); // posted while the loop waited
    return true;
}

bool EpollEventDispatcher::pollSockets(bool mayWait)
{
    if (mayWait)
        waitOutCoalescingInterval();
    std::array<epoll_event, ReadyPerWait> ready;
    bool handled = false;
    qint64 reports = 0; // descriptors reported in this pass, for the busy meter
    qint64 passUs = 0;
    int timeoutMs = m_again.empty() ? waitTimeoutMs(mayWait) : 0;
    for (int round = 0; round < MaxWaitsPerPass; ++round) {
        int count = epoll_wait(m_epoll, ready.data(), ReadyPerWait, timeoutMs);
        if (count < 0)
            count = 0; // EINTR: go round again
        if (round == 0) {
            Q_EMIT awake();
            if (count > 0)
                passUs = monotonicUs();
        }
        for (int i = 0; i < count; ++i) {
            const int fd = ready[size_t(i)].data.fd;
            if (fd == m_wake) {
                drainWakeUps(true);
                QCoreApplication::sendPostedEvents(); // posted while the loop waited
                handled = true;
                continue;
            }
            ++reports;
            prefetchAhead(ready.data() + i + 1, ready.data() + count);
            if (dispatchReady(fd, ready[size_t(i)].events))
                handled = true;
        }
        // A full array: more are ready. Take them in this pass, or a flooded, coalescing loop
        // would fall behind at ReadyPerWait descriptors per interval.
        if (count < ReadyPerWait || m_interrupted.loadRelaxed())
            break;
        timeoutMs = 0;
    }
    // Handlers that stopped reading before the kernel ran dry (edge-triggered: no new report).
    if (!m_again.empty()) {
        const std::vector<int> again = std::exchange(m_again, {});
        for (int fd : again) {
            if (size_t(fd) < m_watches.size() && m_watches[size_t(fd)].handler
                && (m_watches[size_t(fd)].handlerEvents & EPOLLIN)) {
                m_watches[size_t(fd)].handler->descriptorReady(fd, true, false);
                handled = true;
                ++reports;
            }
        }
    }
    // Busy means descriptors, not wake-ups for posted events, and enough of them.
    if (reports > 0) {
        if (passUs == 0)
            passUs = monotonicUs();
        if (m_busy.add(passUs, reports))
            m_lastBusyPassUs = passUs;
    }
    return handled;
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.storeRelaxed(0);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();
    if (m_interrupted.loadRelaxed())
        return false;

    // Events posted while those were sent (by their receivers, or another thread) wait for the
    // next pass, as with Qt's dispatchers; this pass then does not block.
    const bool postedMeanwhile = drainWakeUps(false);
    const bool mayWait = flags.testFlag(QEventLoop::WaitForMoreEvents) && !postedMeanwhile;
    if (mayWait)
        Q_EMIT aboutToBlock();
    // Excluding sockets: the epoll set is not read at all, so no report is taken and dropped
    // (an edge-triggered watch would not be told again).
    bool handled = flags.testFlag(QEventLoop::ExcludeSocketNotifiers) ? waitForWakeOnly(mayWait)
                                                                      : pollSockets(mayWait);
    if (!flags.testFlag(QEventLoop::X11ExcludeTimers) && activateTimers())
        handled = true;
    return handled;
}

} // namespace GroupLoop
