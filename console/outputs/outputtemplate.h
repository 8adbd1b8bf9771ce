// Templates that expand a mapping per device. An address template is text with {id} (the
// device id, four lowercase hex digits) and {index} (the device's slot in the mapping, from
// 0); a number template is integer arithmetic on {index} ("{index}+20", "{index}*2+36", "10").
// Both are checked once when a mapping is set, then expanded when a device enters its scope.
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace GroupLoop {

class AddressTemplate
{
public:
    static constexpr int MaxLength = 200;

    // nullopt with *error when the text is not a usable OSC address template.
    static std::optional<AddressTemplate> parse(const QString &text, QString *error);

    bool usesDevice() const { return m_usesDevice; } // has {id} or {index}
    QByteArray expand(quint16 id, int index) const;
    const QString &text() const { return m_text; }

private:
    enum class Part { Literal, Id, Index };
    struct Piece
    {
        Part part;
        QByteArray literal;
    };
    QString m_text;
    std::vector<Piece> m_pieces;
    bool m_usesDevice = false;
};

class NumberTemplate
{
public:
    // nullopt with *error when the text is not a sum of products of integers and {index}.
    static std::optional<NumberTemplate> parse(const QString &text, QString *error);

    bool usesDevice() const { return m_usesDevice; }
    qint64 evaluate(int index) const;
    const QString &text() const { return m_text; }

private:
    // Sum of terms; each term a sign and a product of factors (a constant times {index}^power).
    struct Term
    {
        qint64 factor = 1;
        int indexPower = 0;
    };
    QString m_text;
    std::vector<Term> m_terms;
    bool m_usesDevice = false;
};

} // namespace GroupLoop
