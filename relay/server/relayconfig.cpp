#include "relayconfig.h"

#include <QFileInfo>

namespace GroupLoop {

QString firmwareFolder(const RelayConfig &config)
{
    if (!config.firmwareDir.isEmpty() || config.webRoot.dir.isEmpty())
        return config.firmwareDir;
    const QString inWebRoot = config.webRoot.dir + QStringLiteral("/firmware");
    return QFileInfo(inWebRoot).isDir() ? inWebRoot : QString();
}

} // namespace GroupLoop
