#include "eventdispatcher.h"

#include <QtGlobal>

#ifdef GROUPLOOP_HAVE_EPOLL
#include "epolleventdispatcher.h"

#include <memory>
#endif

namespace GroupLoop {

QAbstractEventDispatcher *createEventDispatcher()
{
#ifdef GROUPLOOP_HAVE_EPOLL
    if (qEnvironmentVariable("GROUPLOOP_DISPATCHER") == u"qt")
        return nullptr;
    auto dispatcher = std::make_unique<EpollEventDispatcher>();
    if (dispatcher->isValid())
        return dispatcher.release();
#endif
    return nullptr;
}

} // namespace GroupLoop
