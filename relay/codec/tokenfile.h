// Token files, as grouploop-relay, grouploop-sim and grouploop-console read them (--token-file):
// one token per line, blank lines and # comments skipped. A file on disk keeps tokens out of
// `ps`, where a --token value is visible to every user of the machine.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace GroupLoop::TokenFile {

// Every token in `path`, in order; nullopt with `error` set ("cannot read token file F: why",
// "token file F holds no token") when it cannot be read or holds none.
std::optional<QList<QByteArray>> read(const QString &path, QString *error);

} // namespace GroupLoop::TokenFile
