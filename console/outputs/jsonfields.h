// Reading a JSON object field by field with errors that say where: "<path>.<key>: <reason>".
// Absent optional fields keep the value they had; present ones must have the right type and
// range; keys nobody asked for are errors too, so a typo in a hand-edited file is named, not
// silently ignored. Used by the outputs file (outputsconfig.cpp, mappingjson.cpp).
#pragma once

#include <QJsonObject>
#include <QSet>
#include <QString>

namespace GroupLoop {

class JsonFields
{
public:
    JsonFields(const QJsonObject &object, const QString &path)
        : m_object(object)
        , m_path(path)
    {
    }

    QString path(const QString &key) const { return m_path.isEmpty() ? key : m_path + u'.' + key; }
    // The first error, as "path.key: reason"; empty while everything read was fine.
    const QString &error() const { return m_error; }
    bool ok() const { return m_error.isEmpty(); }
    bool fail(const QString &key, const QString &reason);
    // Takes the error of a nested object's fields, if any; returns ok().
    bool absorb(const JsonFields &inner);

    bool has(const QString &key) const { return m_object.contains(key); }
    // The value as it is (undefined when absent), for lists the caller walks itself.
    QJsonValue rawValue(const QString &key)
    {
        m_read.insert(key);
        return m_object.value(key);
    }
    bool read(const QString &key, bool *out, bool required = false);
    bool read(const QString &key, double *out, bool required = false);
    bool read(const QString &key, int *out, int min, int max, bool required = false);
    bool read(const QString &key, QString *out, bool required = false);
    // A string, or a whole number written as a number (for number templates such as "channel").
    bool readTemplate(const QString &key, QString *out, bool required = false);
    bool readObject(const QString &key, QJsonObject *out, bool required = false);
    // Every key of the object must have been asked for by now.
    bool finish();

private:
    bool take(const QString &key, bool required, QJsonValue *value);

    QJsonObject m_object;
    QString m_path;
    QString m_error;
    QSet<QString> m_read;
};

} // namespace GroupLoop
