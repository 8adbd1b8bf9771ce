#include "epolleventdispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <algorithm>
#include <array>
#include <cerrno>
#include <ctime>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace GroupLoop {

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
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Watch &watch = m_watches[fd];
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
    const auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    if (it->read == notifier)
        it->read = nullptr;
    if (it->write == notifier)
        it->write = nullptr;
    if (it->exception == notifier)
        it->exception = nullptr;
    updateWatch(fd);
}

void EpollEventDispatcher::updateWatch(int fd)
{
    const auto it = m_watches.find(fd);
    quint32 events = 0;
    if (it != m_watches.end()) {
        events = (it->read ? EPOLLIN : 0u) | (it->write ? EPOLLOUT : 0u) | (it->exception ? EPOLLPRI : 0u);
        if (events == 0)
            m_watches.erase(it);
    }
    epoll_event event {};
    event.events = events;
    event.data.fd = fd;
    if (events == 0) {
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, &event); // ENOENT/EBADF when already gone: fine
        return;
    }
    if (epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event) != 0 && errno == ENOENT)
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
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

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.storeRelaxed(0);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();
    if (m_interrupted.loadRelaxed())
        return false;

    const bool mayWait = flags.testFlag(QEventLoop::WaitForMoreEvents);
    if (mayWait)
        Q_EMIT aboutToBlock();
    std::array<epoll_event, 256> ready;
    int count = epoll_wait(m_epoll, ready.data(), int(ready.size()), waitTimeoutMs(mayWait));
    if (count < 0)
        count = 0; // EINTR: go round again
    Q_EMIT awake();

    bool handled = false;
    for (int i = 0; i < count; ++i) {
        const int fd = ready[size_t(i)].data.fd;
        const quint32 events = ready[size_t(i)].events;
        if (fd == m_wake) {
            quint64 value;
            [[maybe_unused]] const auto read = ::read(m_wake, &value, sizeof value);
            QCoreApplication::sendPostedEvents(); // what woke us
            handled = true;
            continue;
        }
        if (flags.testFlag(QEventLoop::ExcludeSocketNotifiers))
            continue; // level-triggered: still reported on a later pass
        // Look the notifiers up afresh for each activation: a handler may remove them.
        auto activate = [&](QSocketNotifier *Watch::*which) {
            const auto it = m_watches.constFind(fd);
            if (it == m_watches.cend() || !(it.value().*which))
                return;
            QEvent event(QEvent::SockAct);
            QCoreApplication::sendEvent(it.value().*which, &event);
            handled = true;
        };
        if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
            activate(&Watch::read);
        if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            activate(&Watch::write);
        if (events & EPOLLPRI)
            activate(&Watch::exception);
    }
    if (!flags.testFlag(QEventLoop::X11ExcludeTimers) && activateTimers())
        handled = true;
    return handled;
}

} // namespace GroupLoop
