// Linked into the *_epoll variants of the relay tests: before main(), the main thread (where
// the relay under test and the test's clients run) gets the dispatcher grouploop-relay runs
// on, so the same assertions cover the relay on epoll and on Qt's dispatcher.
#include "eventdispatcher.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>

static void installRelayDispatcher()
{
    QAbstractEventDispatcher *dispatcher = GroupLoop::createEventDispatcher();
    if (!dispatcher) {
        std::fputs("the relay's epoll dispatcher is not available\n", stderr);
        std::abort();
    }
    QCoreApplication::setEventDispatcher(dispatcher);
}
Q_CONSTRUCTOR_FUNCTION(installRelayDispatcher)
