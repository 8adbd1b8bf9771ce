// RelayClient: the console's connection to a relay, as QML sees it. The WebSocket and all
// frame parsing live in a worker thread (RelayConnection); this object mirrors its state for
// the UI, polls the relay's /health, fetches /commands.json, and is the CommandTransport the
// command controller sends through.
#pragma once

#include "commandregistry.h"
#include "commandtransport.h"
#include "relayconnection.h"

#include <QElapsedTimer>
#include <QHash>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QSslCertificate>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

class DeviceStore;

class RelayClient : public CommandTransport
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("RelayClient is provided by the console")
    Q_PROPERTY(QString url READ urlText NOTIFY urlChanged)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString stateText READ stateText NOTIFY stateTextChanged)
    Q_PROPERTY(QString detail READ detail NOTIFY stateChanged)
    Q_PROPERTY(bool healthAvailable READ healthAvailable NOTIFY healthChanged)
    Q_PROPERTY(QVariantMap health READ health NOTIFY healthChanged)
    Q_PROPERTY(QString healthText READ healthText NOTIFY healthChanged)
    Q_PROPERTY(double messagesReceived READ messagesReceived NOTIFY statsChanged)
    Q_PROPERTY(double framesReceived READ framesReceived NOTIFY statsChanged)
    Q_PROPERTY(bool hasToken READ hasToken NOTIFY tokenChanged)
    // The untrusted certificate waiting for a decision (state TrustNeeded): host, subject,
    // issuer, validFrom, validTo, sha256, errors. Empty otherwise.
    Q_PROPERTY(QVariantMap certificate READ certificate NOTIFY certificateChanged)

public:
    // RelayConnection::State as QML and the GUI side see it: the same list, value for value
    // (static_assert in relayclient.cpp), so a state crosses from the worker thread as is.
    enum State {
        Disconnected,
        Connecting,
        Connected,
        Subscribed,
        Reconnecting,
        Failed,
        TokenNeeded,
        TrustNeeded
    };
    Q_ENUM(State)

    explicit RelayClient(DeviceStore *store, QObject *parent = nullptr);
    ~RelayClient() override;

    // Accepts ws:// and wss:// URLs; anything else leaves the client Failed with a reason.
    static bool isRelayUrl(const QUrl &url, QString *error = nullptr);
    static QUrl httpUrlFor(const QUrl &wsUrl, const QString &path);
    // Removes ?token= from `url` and returns it, so no URL the console shows or logs holds one.
    static QString takeToken(QUrl *url);
    static QVariantMap describeCertificate(const QSslCertificate &certificate);

    QString urlText() const { return m_url.toString(); }
    QUrl url() const { return m_url; }
    State state() const { return m_state; }
    QString stateText() const;
    QString detail() const { return m_detail; }
    int retryInMs() const { return m_retryInMs; } // the back-off delay of the current Reconnecting
    bool healthAvailable() const { return m_healthAvailable; }
    QVariantMap health() const { return m_health; }
    QString healthText() const { return m_healthText; }
    double messagesReceived() const { return double(m_messages); }
    double framesReceived() const { return double(m_frames); }
    const CommandRegistry &registry() const { return m_registry; }

    void setBackoff(int initialMs, int maxMs);
    void setHealthIntervalMs(int ms) { m_healthTimer.setInterval(ms); }

    bool hasToken() const { return !m_token.isEmpty(); }
    QString token() const { return m_token; } // for the keychain only; never shown
    QVariantMap certificate() const { return m_certificate; }
    // Trust: the CA certificates of --ca-file, and per "host:port" the SHA-256 (hex) of the
    // certificate the user trusted.
    void setCaCertificates(const QList<QSslCertificate> &certificates);
    void setPinnedCertificates(const QHash<QString, QByteArray> &pins);
    QHash<QString, QByteArray> pinnedCertificates() const { return m_pins; }

    // Sets the controller token; if the relay refused the last one, tries again at once.
    Q_INVOKABLE void setToken(const QString &token);
    // setToken() for a token the user typed: once a relay accepts it, tokenAccepted() asks for
    // it to be remembered (a --token is not).
    Q_INVOKABLE void enterToken(const QString &token);
    QString hostKey() const { return hostKeyFor(m_url); }
    // "host:port" (default ports filled in): what tokens and certificates are remembered by.
    static QString hostKeyFor(const QUrl &url);
    Q_INVOKABLE void trustCertificate(); // pins the pending certificate for its host and retries
    Q_INVOKABLE void rejectCertificate();

    Q_INVOKABLE void connectTo(const QUrl &url);
    Q_INVOKABLE void connectToText(const QString &url) { connectTo(QUrl(url)); }
    Q_INVOKABLE void disconnectFromRelay();
    Q_INVOKABLE void reconnectNow();

    bool isReady() const override { return m_state == Connected || m_state == Subscribed; }
    void sendCommandText(quint64 token, const QString &text) override;

Q_SIGNALS:
    void urlChanged();
    void stateChanged();
    void stateTextChanged();
    void healthChanged();
    void statsChanged();
    void registryChanged(); // fetched from /commands.json (or reset to the built-in one)
    void logEvent(int level, const QString &category, const QString &text);
    void tokenChanged();
    void tokenAccepted(const QString &hostKey, const QString &token);
    void certificateChanged();
    void pinnedCertificatesChanged(); // the user trusted a certificate: worth saving

private:
    void onConnectionState(RelayConnection::State state, const QString &detail, int retryInMs);
    void pollHealth();
    void fetchRegistry();

    QThread m_thread;
    RelayConnection *m_connection = nullptr;
    QNetworkAccessManager m_network;
    void pushTrust();
    QNetworkReply *get(const QString &path);

    QUrl m_url;
    QString m_token;
    bool m_tokenEntered = false;
    QList<QSslCertificate> m_caCertificates;
    QHash<QString, QByteArray> m_pins;
    QVariantMap m_certificate;
    State m_state = Disconnected;
    QString m_detail;
    int m_retryInMs = 0;
    QElapsedTimer m_retryClock;
    QTimer m_countdown;
    QTimer m_healthTimer;
    bool m_healthAvailable = false;
    QVariantMap m_health;
    QString m_healthText;
    quint64 m_messages = 0;
    quint64 m_frames = 0;
    CommandRegistry m_registry = CommandRegistry::builtIn();
};

} // namespace GroupLoop
