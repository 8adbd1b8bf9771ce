// QML hands files over as file: URLs (FileDialog) or as typed paths; C++ wants a local path.
#pragma once

#include <QString>
#include <QUrl>

namespace GroupLoop {

inline QString localPath(const QString &pathOrUrl)
{
    return pathOrUrl.startsWith(QLatin1String("file:")) ? QUrl(pathOrUrl).toLocalFile() : pathOrUrl;
}

} // namespace GroupLoop
