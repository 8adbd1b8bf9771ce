#include "jsonfields.h"

#include <cmath>

namespace GroupLoop {

bool JsonFields::fail(const QString &key, const QString &reason)
{
    if (m_error.isEmpty())
        m_error = path(key) + QStringLiteral(": ") + reason;
    return false;
}

bool JsonFields::absorb(const JsonFields &inner)
{
    if (m_error.isEmpty())
        m_error = inner.error();
    return ok();
}

bool JsonFields::take(const QString &key, bool required, QJsonValue *value)
{
    m_read.insert(key);
    if (!ok())
        return false;
    *value = m_object.value(key);
    if (value->isUndefined()) {
        if (required)
            return fail(key, QStringLiteral("missing"));
        return false;
    }
    return true;
}

bool JsonFields::read(const QString &key, bool *out, bool required)
{
    QJsonValue value;
    if (!take(key, required, &value))
        return ok();
    if (!value.isBool())
        return fail(key, QStringLiteral("must be true or false"));
    *out = value.toBool();
    return true;
}

bool JsonFields::read(const QString &key, double *out, bool required)
{
    QJsonValue value;
    if (!take(key, required, &value))
        return ok();
    if (!value.isDouble() || !std::isfinite(value.toDouble()))
        return fail(key, QStringLiteral("must be a number"));
    *out = value.toDouble();
    return true;
}

bool JsonFields::read(const QString &key, int *out, int min, int max, bool required)
{
    QJsonValue value;
    if (!take(key, required, &value))
        return ok();
    const double number = value.toDouble(std::nan(""));
    if (!value.isDouble() || number != std::floor(number) || number < min || number > max)
        return fail(key, QStringLiteral("must be a whole number from %1 to %2").arg(min).arg(max));
    *out = int(number);
    return true;
}

bool JsonFields::read(const QString &key, QString *out, bool required)
{
    QJsonValue value;
    if (!take(key, required, &value))
        return ok();
    if (!value.isString())
        return fail(key, QStringLiteral("must be a string"));
    *out = value.toString();
    return true;
}

bool JsonFields::readTemplate(const QString &key, QString *out, bool required)
{
    QJsonValue value;
    if (!take(key, required, &value))
        return ok();
    if (value.isDouble() && value.toDouble() == std::floor(value.toDouble())
        && std::abs(value.toDouble()) < 1e6) {
        *out = QString::number(qint64(value.toDouble()));
        return true;
    }
    if (!value.isString())
        return fail(key, QStringLiteral("must be a whole number or a template such as \"{index}+20\""));
    *out = value.toString();
    return true;
}

bool JsonFields::readObject(const QString &key, QJsonObject *out, bool required)
{
    QJsonValue value;
    if (!take(key, required, &value))
        return ok();
    if (!value.isObject())
        return fail(key, QStringLiteral("must be an object"));
    *out = value.toObject();
    return true;
}

bool JsonFields::finish()
{
    if (!ok())
        return false;
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        if (!m_read.contains(it.key()))
            return fail(it.key(), QStringLiteral("unknown field"));
    }
    return true;
}

} // namespace GroupLoop
