// grouploop-relay-epoll: the unchanged grouploop-relay main(), with the main thread's event loop
// on the simulator's EpollEventDispatcher instead of Qt's poll()-based one. An experiment for
// docs/performance.md: it measures what the relay would gain from epoll at thousands of sockets.
#include "epolleventdispatcher.h"

#include <QCoreApplication>

int relayMain(int argc, char *argv[]);
#define main relayMain
#include "../../relay/main.cpp"
#undef main

int main(int argc, char *argv[])
{
    auto *dispatcher = new GroupLoop::EpollEventDispatcher;
    if (dispatcher->isValid())
        QCoreApplication::setEventDispatcher(dispatcher); // owned by the main thread from now on
    else
        delete dispatcher;
    return relayMain(argc, argv);
}
