#include "firmwarestore.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace GroupLoop {

namespace {
constexpr int MaxNameLength = 128;
const QString ManifestName = QStringLiteral("manifest.json");
} // namespace

FirmwareStore::FirmwareStore(QString directory, qint64 maxBytes)
    : m_directory(std::move(directory))
    , m_maxBytes(maxBytes)
{
}

std::optional<QString> FirmwareStore::nameProblem(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("no firmware file name");
    if (name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\'))
        || name.contains(QLatin1Char('%')))
        return QStringLiteral("firmware name '%1' has a path in it; give a plain file name").arg(name);
    if (name.size() > MaxNameLength)
        return QStringLiteral("firmware name over %1 characters").arg(MaxNameLength);
    if (name.startsWith(QLatin1Char('.')))
        return QStringLiteral("firmware name '%1' starts with a dot").arg(name);
    for (QChar c : name) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'.' && c != u'-' && c != u'_')
            return QStringLiteral("firmware name '%1' has characters other than letters, digits, '.', '-' "
                                  "and '_'")
                .arg(name);
    }
    return std::nullopt;
}

std::optional<QString> FirmwareStore::pathOf(const QString &name) const
{
    if (!isEnabled() || nameProblem(name))
        return std::nullopt;
    const QString path = QDir(m_directory).filePath(name);
    if (!QFileInfo(path).isFile())
        return std::nullopt;
    return path;
}

qint64 FirmwareStore::sizeOf(const QString &name) const
{
    const std::optional<QString> path = pathOf(name);
    return path ? QFileInfo(*path).size() : -1;
}

QByteArray FirmwareStore::listJson() const
{
    QJsonArray files;
    QJsonValue manifest;
    if (isEnabled()) {
        const QFileInfoList entries = QDir(m_directory).entryInfoList(QDir::Files, QDir::Name);
        for (const QFileInfo &entry : entries) {
            if (nameProblem(entry.fileName()))
                continue;
            if (entry.fileName() == ManifestName) {
                QFile file(entry.filePath());
                if (file.open(QIODevice::ReadOnly)) {
                    const QJsonDocument document = QJsonDocument::fromJson(file.read(m_maxBytes));
                    if (document.isObject())
                        manifest = document.object();
                }
                continue;
            }
            files.append(QJsonObject {
                {QStringLiteral("name"), entry.fileName()},
                {QStringLiteral("bytes"), double(entry.size())},
                {QStringLiteral("modified"), entry.lastModified().toUTC().toString(Qt::ISODate)},
                {QStringLiteral("url"), QString(QStringLiteral("/firmware/") + entry.fileName())},
            });
        }
    }
    QJsonObject list {{QStringLiteral("directory"), m_directory},
                      {QStringLiteral("max_bytes"), double(m_maxBytes)},
                      {QStringLiteral("files"), files},
                      {QStringLiteral("manifest"), manifest}};
    // An empty list says why, so a console does not take it for an empty folder.
    if (!isEnabled())
        list.insert(QStringLiteral("error"), NoFolder);
    return QJsonDocument(list).toJson(QJsonDocument::Compact);
}

bool FirmwareStore::put(const QString &name, const QByteArray &image, QString *error)
{
    if (const std::optional<QString> problem = nameProblem(name)) {
        *error = *problem;
        return false;
    }
    if (image.size() > m_maxBytes) {
        *error = QStringLiteral("firmware image over %1 bytes").arg(m_maxBytes);
        return false;
    }
    if (!QDir().mkpath(m_directory)) {
        *error = QStringLiteral("cannot create the firmware folder %1").arg(m_directory);
        return false;
    }
    QSaveFile file(QDir(m_directory).filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(image) != image.size() || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}

} // namespace GroupLoop
