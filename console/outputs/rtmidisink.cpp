#include "rtmidisink.h"

#include "outputslogging.h"

#include <QFileInfo>

#include <RtMidi.h>

namespace GroupLoop {

namespace {
#if defined(Q_OS_LINUX)
constexpr RtMidi::Api Backend = RtMidi::LINUX_ALSA; // JACK needs a running server; ALSA is always there
const QString SequencerDevice = QStringLiteral("/dev/snd/seq");
#else
constexpr RtMidi::Api Backend = RtMidi::UNSPECIFIED;
#endif

QString fromStd(const std::string &text)
{
    return QString::fromStdString(text).trimmed();
}
} // namespace

bool RtMidiSink::systemAvailable(QString *why)
{
#if defined(Q_OS_LINUX)
    // RtMidi's ALSA backend opens the sequencer device; without it ALSA prints to stderr and
    // RtMidi throws, so look first.
    if (!QFileInfo::exists(SequencerDevice)) {
        if (why)
            *why = QStringLiteral("no MIDI system: %1 missing (load the snd-seq kernel module)")
                       .arg(SequencerDevice);
        return false;
    }
#endif
    Q_UNUSED(why)
    return true;
}

RtMidiSink::RtMidiSink(const QString &portName)
{
    open(portName);
}

RtMidiSink::~RtMidiSink() = default;

void RtMidiSink::onError(int type, const std::string &text, void *self)
{
    // RtMidi reports a failed send as a WARNING; only its debug chatter is not a failure.
    if (type != RtMidiError::DEBUG_WARNING)
        static_cast<RtMidiSink *>(self)->m_callbackError = fromStd(text);
}

void RtMidiSink::open(const QString &portName)
{
    QString why;
    if (!systemAvailable(&why)) {
        m_status = why;
        return;
    }
    try {
        m_out = std::make_unique<RtMidiOut>(Backend, virtualPortName().toStdString());
        m_out->setErrorCallback([](RtMidiError::Type type, const std::string &text,
                                   void *self) { onError(int(type), text, self); },
                                this);
        if (portName.isEmpty()) {
            m_out->openVirtualPort(virtualPortName().toStdString());
            m_status = QStringLiteral("virtual port %1").arg(virtualPortName());
        } else {
            const unsigned int ports = m_out->getPortCount();
            unsigned int found = ports;
            QStringList names;
            for (unsigned int i = 0; i < ports; ++i) {
                const QString name = fromStd(m_out->getPortName(i));
                names.append(name);
                if (found == ports && name.contains(portName, Qt::CaseInsensitive))
                    found = i;
            }
            if (found == ports) {
                m_status
                    = QStringLiteral("no MIDI output port named \"%1\" (there are: %2)")
                          .arg(portName,
                               names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", ")));
                return;
            }
            m_out->openPort(found, virtualPortName().toStdString());
            m_status = QStringLiteral("port ") + names[int(found)];
        }
    } catch (const RtMidiError &error) {
        m_status = QStringLiteral("MIDI error: ") + fromStd(error.getMessage());
        m_out.reset();
        return;
    }
    if (!m_callbackError.isEmpty()) {
        m_status = QStringLiteral("MIDI error: ") + m_callbackError;
        m_out.reset();
        return;
    }
    m_open = true;
    qCInfo(lcOutputs, "MIDI: %s", qPrintable(m_status));
}

bool RtMidiSink::send(const quint8 *bytes, int size, QString *error)
{
    if (!m_open) {
        if (error)
            *error = m_status;
        return false;
    }
    m_callbackError.clear();
    try {
        m_out->sendMessage(bytes, size_t(size));
    } catch (const RtMidiError &caught) {
        m_callbackError = fromStd(caught.getMessage());
    }
    if (m_callbackError.isEmpty())
        return true;
    if (error)
        *error = m_callbackError;
    return false;
}

QStringList RtMidiSink::availablePorts(QString *error)
{
    QString why;
    if (!systemAvailable(&why)) {
        if (error)
            *error = why;
        return {};
    }
    QStringList names;
    try {
        RtMidiOut out(Backend, virtualPortName().toStdString() + " probe");
        for (unsigned int i = 0; i < out.getPortCount(); ++i)
            names.append(fromStd(out.getPortName(i)));
    } catch (const RtMidiError &caught) {
        if (error)
            *error = QStringLiteral("MIDI error: ") + fromStd(caught.getMessage());
    }
    return names;
}

} // namespace GroupLoop
