// PrometheusText: writes metrics in the Prometheus text exposition format (version 0.0.4):
// a family's # HELP and # TYPE lines, then its samples, every name under one prefix.
#pragma once

#include <QByteArray>

namespace GroupLoop {

class PrometheusText
{
public:
    explicit PrometheusText(QByteArray prefix)
        : m_prefix(std::move(prefix))
    {
    }

    void family(const char *name, const char *type, const char *help);
    void sample(const char *name, double value, const QByteArray &labels = {});
    // A family of one sample without labels.
    void single(const char *name, const char *type, const char *help, double value);
    QByteArray text() const { return m_out; }

private:
    QByteArray m_prefix;
    QByteArray m_out;
};

} // namespace GroupLoop
