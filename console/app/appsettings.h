// AppSettings: QSettings for QML (window geometry, theme, last view, panel sizes).
#pragma once

#include <QObject>
#include <QSettings>
#include <QVariant>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace GroupLoop {

class AppSettings : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by the console")
public:
    // `fileName` empty: the platform default for the application (tests pass a temp file).
    explicit AppSettings(const QString &fileName = {}, QObject *parent = nullptr);

    Q_INVOKABLE QVariant value(const QString &key, const QVariant &fallback = {}) const;
    Q_INVOKABLE void setValue(const QString &key, const QVariant &value);
    Q_INVOKABLE void sync() { m_settings->sync(); }

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace GroupLoop
