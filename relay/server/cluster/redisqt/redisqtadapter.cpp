#include "redisqtadapter.h"

#include <hiredis/adapters/qt.h>

namespace GroupLoop::RedisQt {

RedisQtAdapter *create(QObject *parent)
{
    return new RedisQtAdapter(parent);
}

bool attach(RedisQtAdapter *adapter, redisAsyncContext *context)
{
    return adapter->setContext(context) == REDIS_OK;
}

void destroy(RedisQtAdapter *adapter)
{
    redisAsyncContext parked {};
    adapter->setContext(&parked);
    delete adapter;
}

} // namespace GroupLoop::RedisQt
