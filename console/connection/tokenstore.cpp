#include "tokenstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <qt6keychain/keychain.h>

namespace GroupLoop {

namespace {
bool noKeychain(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented
        || error == QKeychain::OtherError;
}
} // namespace

TokenStore::TokenStore(const QString &filePath, const QString &service, QObject *parent)
    : QObject(parent)
    , m_filePath(filePath)
    , m_service(service)
{
    m_rememberInFile = QFileInfo::exists(filePath); // asked for before
}

void TokenStore::setRememberInFile(bool on)
{
    if (on == m_rememberInFile)
        return;
    m_rememberInFile = on;
    if (on && !m_pendingToken.isEmpty())
        saveToFile(m_pendingHost, m_pendingToken);
    if (!on && QFileInfo::exists(m_filePath)) {
        QFile::remove(m_filePath);
        setStatus(tr("Token file removed"));
    }
    Q_EMIT statusChanged();
}

void TokenStore::setStatus(const QString &status)
{
    m_status = status;
    Q_EMIT statusChanged();
}

void TokenStore::load(const QString &hostKey)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(hostKey);
    connect(job, &QKeychain::Job::finished, this, [this, job, hostKey] {
        if (job->error() == QKeychain::NoError && !job->textData().isEmpty()) {
            Q_EMIT found(hostKey, job->textData());
            return;
        }
        if (noKeychain(job->error())) {
            m_keychainAvailable = false;
            Q_EMIT statusChanged();
        }
        const QString token = readFile(m_filePath, hostKey);
        if (!token.isEmpty())
            Q_EMIT found(hostKey, token);
    });
    job->start();
}

void TokenStore::save(const QString &hostKey, const QString &token)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setKey(hostKey);
    job->setTextData(token);
    connect(job, &QKeychain::Job::finished, this, [this, job, hostKey, token] {
        if (job->error() == QKeychain::NoError) {
            m_keychainAvailable = true;
            setStatus(tr("Token kept in the desktop's keychain"));
            return;
        }
        m_keychainAvailable = false;
        if (m_rememberInFile) {
            saveToFile(hostKey, token);
            return;
        }
        m_pendingHost = hostKey;
        m_pendingToken = token;
        setStatus(tr("No keychain: the token is kept until the console closes"));
    });
    job->start();
}

void TokenStore::saveToFile(const QString &hostKey, const QString &token)
{
    QString error;
    if (writeFile(m_filePath, hostKey, token, &error))
        setStatus(tr("Token kept in %1 (readable by you alone)").arg(QDir::toNativeSeparators(m_filePath)));
    else
        setStatus(tr("Cannot keep the token: %1").arg(error));
    m_pendingToken.clear();
}

QString TokenStore::readFile(const QString &path, const QString &hostKey)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.section(QLatin1Char(' '), 0, 0) == hostKey)
            return line.section(QLatin1Char(' '), 1);
    }
    return {};
}

bool TokenStore::writeFile(const QString &path, const QString &hostKey, const QString &token, QString *error)
{
    QByteArray kept;
    const QByteArray prefix = hostKey.toUtf8() + ' ';
    QFile old(path);
    if (old.open(QIODevice::ReadOnly | QIODevice::Text)) {
        while (!old.atEnd()) {
            const QByteArray line = old.readLine();
            if (!line.startsWith(prefix))
                kept += line;
        }
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    // The temporary file gets 0600 before it holds anything; the rename keeps it.
    if (!file.open(QIODevice::WriteOnly)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        *error = file.errorString();
        return false;
    }
    file.write(kept + prefix + token.toUtf8() + '\n');
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace GroupLoop
