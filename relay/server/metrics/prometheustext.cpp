#include "prometheustext.h"

#include <utility>

namespace GroupLoop {

void PrometheusText::family(const char *name, const char *type, const char *help)
{
    for (const auto &[kind, text] : {std::pair {"# HELP ", help}, std::pair {"# TYPE ", type}}) {
        m_out += kind;
        m_out += m_prefix;
        m_out += name;
        m_out += ' ';
        m_out += text;
        m_out += '\n';
    }
}

void PrometheusText::sample(const char *name, double value, const QByteArray &labels)
{
    m_out += m_prefix;
    m_out += name;
    if (!labels.isEmpty()) {
        m_out += '{';
        m_out += labels;
        m_out += '}';
    }
    m_out += ' ';
    m_out += QByteArray::number(value, 'g', 17);
    m_out += '\n';
}

void PrometheusText::single(const char *name, const char *type, const char *help, double value)
{
    family(name, type, help);
    sample(name, value);
}

} // namespace GroupLoop
