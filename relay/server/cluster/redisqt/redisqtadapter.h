// hiredis's Qt adapter (hiredis/adapters/qt.h) behind three functions, so that only
// redisqtadapter.cpp sees that header: it spells `slots` and trips -Wpedantic, and it needs
// AUTOMOC (see CMakeLists.txt).
#pragma once

class QObject;
class RedisQtAdapter;
struct redisAsyncContext;

namespace GroupLoop::RedisQt {

RedisQtAdapter *create(QObject *parent);
// Drives `context` from the Qt event loop. An adapter may serve one context after another.
bool attach(RedisQtAdapter *adapter, redisAsyncContext *context);
// The adapter's destructor writes to the context it last served, which hiredis has freed by
// then: it is parked on an empty context first.
void destroy(RedisQtAdapter *adapter);

} // namespace GroupLoop::RedisQt
