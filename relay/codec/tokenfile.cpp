#include "tokenfile.h"

#include <QFile>

namespace GroupLoop::TokenFile {

std::optional<QList<QByteArray>> read(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read token file %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    QList<QByteArray> tokens;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (!line.isEmpty() && !line.startsWith('#'))
            tokens.append(line);
    }
    if (tokens.isEmpty()) {
        *error = QStringLiteral("token file %1 holds no token").arg(path);
        return std::nullopt;
    }
    return tokens;
}

} // namespace GroupLoop::TokenFile
