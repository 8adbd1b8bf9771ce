// FirmwareStore: the firmware folder the relay serves under /firmware/ (--firmware-dir). Names
// are plain file names (letters, digits, '.', '-', '_'; no path, no leading dot), so a request
// can never reach outside the folder. Uploads are written atomically: a reader sees the old
// image or the new one, never half of one.
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace GroupLoop {

class FirmwareStore
{
public:
    FirmwareStore(QString directory, qint64 maxBytes);

    bool isEnabled() const { return !m_directory.isEmpty(); }
    QString directory() const { return m_directory; }
    qint64 maxBytes() const { return m_maxBytes; }

    // Why a name cannot be a firmware file's, in one line; nullopt when it can.
    static std::optional<QString> nameProblem(const QString &name);
    // The file's path, if the name is valid and the file exists.
    std::optional<QString> pathOf(const QString &name) const;
    qint64 sizeOf(const QString &name) const; // -1 if there is no such file

    // {"directory", "max_bytes", "files": [{"name", "bytes", "modified", "url"}], "manifest"}:
    // manifest.json's content when it holds a JSON object, else null. Without a folder, also
    // "error": NoFolder.
    static constexpr QLatin1String NoFolder {
        "this relay has no firmware folder: start it with --firmware-dir DIR, or --web-root DIR "
        "with a DIR/firmware folder"};
    QByteArray listJson() const;
    // Writes the image atomically; false with *error (one line) when it cannot.
    bool put(const QString &name, const QByteArray &image, QString *error);

private:
    QString m_directory;
    qint64 m_maxBytes;
};

} // namespace GroupLoop
