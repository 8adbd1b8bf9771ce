// TokenStore: remembers a relay's controller token per "host:port" so it is entered once. In
// the desktop's keychain (QtKeychain: Secret Service, KWallet) where one runs; otherwise only
// when the user asks, in a file only they can read (0600). Never logs or shows a token.
#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

class TokenStore : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("TokenStore is provided by the console")
    // False once the keychain answered that there is none: the bar then offers the file.
    Q_PROPERTY(bool keychainAvailable READ keychainAvailable NOTIFY statusChanged)
    Q_PROPERTY(bool rememberInFile READ rememberInFile WRITE setRememberInFile NOTIFY statusChanged)
    Q_PROPERTY(QString status READ status NOTIFY statusChanged)

public:
    // `filePath`: the fallback file; `service`: the keychain service name.
    explicit TokenStore(const QString &filePath, const QString &service = QStringLiteral("grouploop-console"),
                        QObject *parent = nullptr);

    bool keychainAvailable() const { return m_keychainAvailable; }
    bool rememberInFile() const { return m_rememberInFile; }
    void setRememberInFile(bool on);
    QString status() const { return m_status; }

    // Looks the token for `hostKey` up (keychain first, then the file); emits found() if any.
    void load(const QString &hostKey);
    // Stores it: in the keychain, or, without one, in the file if rememberInFile.
    void save(const QString &hostKey, const QString &token);

    // The 0600 file, "host:port token" per line; public for the tests.
    static QString readFile(const QString &path, const QString &hostKey);
    static bool writeFile(const QString &path, const QString &hostKey, const QString &token, QString *error);

Q_SIGNALS:
    void found(const QString &hostKey, const QString &token);
    void statusChanged();

private:
    void setStatus(const QString &status);
    void saveToFile(const QString &hostKey, const QString &token);

    QString m_filePath;
    QString m_service;
    bool m_keychainAvailable = true;
    bool m_rememberInFile = false;
    QString m_status;
    QString m_pendingHost; // a token waiting for "remember in a file"
    QString m_pendingToken;
};

} // namespace GroupLoop
