// TestPeer: a plain QWebSocket client of a relay for the simulator and emulator panel tests.
// It sends commands the way the console does (`cmd:<id>:<command>:<params>`), can subscribe to
// sensor frames, and records every message it receives.
#pragma once

#include <QStringList>
#include <QWebSocket>

namespace GroupLoop::Testing {

class TestPeer : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QStringList messages READ messages NOTIFY messagesChanged)

public:
    explicit TestPeer(QObject *parent = nullptr)
        : QObject(parent)
    {
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            for (const QString &line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
                m_messages << line;
            Q_EMIT messagesChanged();
        });
    }

    void open(const QUrl &url) { m_socket.open(url); }
    Q_INVOKABLE bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    Q_INVOKABLE void send(const QString &text) { m_socket.sendTextMessage(text); }
    Q_INVOKABLE void subscribe() { send(QStringLiteral("s")); }
    Q_INVOKABLE void clear()
    {
        m_messages.clear();
        Q_EMIT messagesChanged();
    }
    QStringList messages() const { return m_messages; }
    // Received sensor frames (20 hex digits) whose id is `id`.
    Q_INVOKABLE QStringList framesOf(const QString &id) const
    {
        QStringList frames;
        for (const QString &m : m_messages)
            if (m.size() == 20 && m.startsWith(id))
                frames << m;
        return frames;
    }

Q_SIGNALS:
    void messagesChanged();

private:
    QWebSocket m_socket;
    QStringList m_messages;
};

} // namespace GroupLoop::Testing
