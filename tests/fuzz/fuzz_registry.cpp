// Fuzz target: commands.json loading, merging and re-serialising.
#include "commandregistry.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto registry = GroupLoop::CommandRegistry::fromJson(json, &error);
    if (!registry) {
        if (error.isEmpty())
            std::abort(); // every failure says why
        return 0;
    }
    const auto again = GroupLoop::CommandRegistry::fromJson(registry->toJson());
    if (!again || again->commands() != registry->commands())
        std::abort();
    GroupLoop::CommandRegistry merged = GroupLoop::CommandRegistry::builtIn();
    merged.merge(*registry);
    for (const auto &command : registry->commands()) {
        if (!merged.contains(command.name))
            std::abort();
        (void)merged.rejection(command.name, QString());
    }
    return 0;
}
