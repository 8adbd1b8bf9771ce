// The event dispatcher for a thread that serves many sockets: the relay's (grouploop-relay, the
// console's built-in relay) and the swarm's worker thread. One factory, one switch:
// GROUPLOOP_DISPATCHER=qt keeps Qt's own dispatcher (for comparison, or to rule epoll out).
#pragma once

class QAbstractEventDispatcher;

namespace GroupLoop {

// An EpollEventDispatcher on Linux, which costs O(ready sockets) per event-loop pass where Qt's
// dispatchers poll() every socket. nullptr (keep Qt's) when GROUPLOOP_DISPATCHER=qt is set or
// epoll is unavailable. Install it before the thread's loop exists:
// QCoreApplication::setEventDispatcher() before the application object, QThread::setEventDispatcher()
// before start().
QAbstractEventDispatcher *createEventDispatcher();

} // namespace GroupLoop
