#include "outputtemplate.h"

namespace GroupLoop {

namespace {
template<typename T> auto failWith(QString *error)
{
    return [error](const QString &why) -> std::optional<T> {
        if (error)
            *error = why;
        return std::nullopt;
    };
}

// OSC 1.0 reserves these in address parts (patterns and separators); spaces break receivers.
bool isAddressCharacter(char16_t c)
{
    return c > 0x20 && c < 0x7f && c != u'#' && c != u'*' && c != u',' && c != u'?' && c != u'[' && c != u']';
}
bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}
} // namespace

std::optional<AddressTemplate> AddressTemplate::parse(const QString &text, QString *error)
{
    const auto fail = failWith<AddressTemplate>(error);
    if (!text.startsWith(u'/'))
        return fail(QStringLiteral("an OSC address starts with '/'"));
    if (text.size() > MaxLength)
        return fail(QStringLiteral("longer than %1 characters").arg(MaxLength));
    AddressTemplate out;
    out.m_text = text;
    QByteArray literal;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c == u'{') {
            const qsizetype close = text.indexOf(u'}', i);
            if (close < 0)
                return fail(QStringLiteral("'{' at %1 is not closed").arg(i));
            const QStringView name = QStringView(text).sliced(i + 1, close - i - 1);
            Part part;
            if (name == u"id")
                part = Part::Id;
            else if (name == u"index")
                part = Part::Index;
            else
                return fail(QStringLiteral("unknown placeholder {%1} (use {id} or {index})").arg(name));
            if (!literal.isEmpty())
                out.m_pieces.push_back({Part::Literal, std::exchange(literal, {})});
            out.m_pieces.push_back({part, {}});
            out.m_usesDevice = true;
            i = close;
        } else if (c == u'}') {
            return fail(QStringLiteral("'}' at %1 without '{'").arg(i));
        } else if (!isAddressCharacter(c)) {
            return fail(
                QStringLiteral("character '%1' at %2 is not allowed in an OSC address").arg(text[i]).arg(i));
        } else {
            literal.append(char(c));
        }
    }
    if (!literal.isEmpty())
        out.m_pieces.push_back({Part::Literal, literal});
    return out;
}

QByteArray AddressTemplate::expand(quint16 id, int index) const
{
    QByteArray out;
    out.reserve(m_text.size() + 8);
    for (const Piece &piece : m_pieces) {
        switch (piece.part) {
        case Part::Literal:
            out.append(piece.literal);
            break;
        case Part::Id: {
            static constexpr char Hex[] = "0123456789abcdef";
            const char digits[4] = {Hex[id >> 12], Hex[(id >> 8) & 0xf], Hex[(id >> 4) & 0xf], Hex[id & 0xf]};
            out.append(digits, 4);
            break;
        }
        case Part::Index:
            out.append(QByteArray::number(index));
            break;
        }
    }
    return out;
}

std::optional<NumberTemplate> NumberTemplate::parse(const QString &text, QString *error)
{
    static constexpr qint64 MaxConstant = 65535;
    static constexpr int MaxIndexPower = 2;
    const auto fail = failWith<NumberTemplate>(error);
    NumberTemplate out;
    out.m_text = text;
    if (text.trimmed().isEmpty())
        return fail(QStringLiteral("empty (a number such as 1 or {index}+20)"));
    Term term;
    bool expectOperand = true;
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text[i];
        if (c == u' ') {
            ++i;
            continue;
        }
        if (expectOperand) {
            if (text.sliced(i).startsWith(u"{index}")) {
                if (++term.indexPower > MaxIndexPower)
                    return fail(QStringLiteral("{index} more than twice in one product"));
                out.m_usesDevice = true;
                i += 7;
            } else if (isDigit(c)) {
                qsizetype end = i;
                while (end < text.size() && isDigit(text[end]))
                    ++end;
                const qint64 value = end - i > 5 ? MaxConstant + 1 : text.sliced(i, end - i).toLongLong();
                term.factor *= value;
                if (value > MaxConstant || qAbs(term.factor) > MaxConstant)
                    return fail(QStringLiteral("constant at %1 is larger than %2").arg(i).arg(MaxConstant));
                i = end;
            } else if (c == u'{') {
                return fail(QStringLiteral("unknown placeholder at %1 (numbers take {index} only)").arg(i));
            } else {
                return fail(QStringLiteral("expected a number or {index} at %1, found '%2'").arg(i).arg(c));
            }
            expectOperand = false;
            continue;
        }
        if (c == u'*') {
            expectOperand = true;
        } else if (c == u'+' || c == u'-') {
            out.m_terms.push_back(term);
            term = Term {c == u'-' ? -1 : 1, 0};
            expectOperand = true;
        } else {
            return fail(QStringLiteral("expected +, - or * at %1, found '%2'").arg(i).arg(c));
        }
        ++i;
    }
    if (expectOperand)
        return fail(QStringLiteral("ends with an operator"));
    out.m_terms.push_back(term);
    return out;
}

qint64 NumberTemplate::evaluate(int index) const
{
    qint64 sum = 0;
    for (const Term &term : m_terms) {
        qint64 value = term.factor;
        for (int p = 0; p < term.indexPower; ++p)
            value *= index;
        sum += value;
    }
    return sum;
}

} // namespace GroupLoop
