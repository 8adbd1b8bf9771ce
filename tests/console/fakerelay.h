// FakeTransport: a CommandTransport that records every `cmd:` text and answers like a relay
// (success; sent_to_<devices>_devices for all; failed for device "dead"), for panel tests.
#pragma once

#include "commandtransport.h"

#include <QStringList>
#include <QTimer>

namespace GroupLoop::Testing {

class FakeTransport : public CommandTransport
{
    Q_OBJECT
    Q_PROPERTY(QStringList sent READ sent NOTIFY sentChanged)
    Q_PROPERTY(bool ready READ isReady WRITE setReady NOTIFY readyChanged)
    Q_PROPERTY(int devices MEMBER m_devices)

public:
    using CommandTransport::CommandTransport;

    bool isReady() const override { return m_ready; }
    void setReady(bool ready)
    {
        if (ready == m_ready)
            return;
        m_ready = ready;
        Q_EMIT readyChanged();
    }
    QStringList sent() const { return m_sent; }
    Q_INVOKABLE void clear()
    {
        m_sent.clear();
        Q_EMIT sentChanged();
    }

    void sendCommandText(quint64 token, const QString &text) override
    {
        m_sent << text;
        Q_EMIT sentChanged();
        QString reply = QStringLiteral("cmd:result:success");
        if (text.startsWith(QLatin1String("cmd:all:")))
            reply = QStringLiteral("cmd:result:sent_to_%1_devices").arg(m_devices);
        else if (text.startsWith(QLatin1String("cmd:dead:")))
            reply = QStringLiteral("cmd:result:failed");
        QTimer::singleShot(0, this, [this, token, reply] { Q_EMIT commandReplied(token, reply); });
    }

Q_SIGNALS:
    void sentChanged();

private:
    QStringList m_sent;
    bool m_ready = true;
    int m_devices = 2;
};

} // namespace GroupLoop::Testing
