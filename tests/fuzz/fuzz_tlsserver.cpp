// Fuzz target: what a TLS server session (the relay's wss:// side) does with whatever a peer
// sends before and during the handshake. The first byte picks the piece size; the rest is fed
// in pieces. Never a crash; a failed session says why in one line and takes nothing more; no
// plaintext comes out of a session that is not open.
#include "testcerts.h"
#include "tlscontext.h"
#include "tlssession.h"

#include <cstdint>
#include <cstdlib>

namespace {

const GroupLoop::TlsContext &serverContext()
{
    static const auto context = [] {
        const GroupLoop::Testing::TestCertificate cert = GroupLoop::Testing::makeSelfSigned();
        QString error;
        auto made = GroupLoop::TlsContext::server(cert.certPem, cert.keyPem, &error);
        if (!made)
            std::abort();
        return made;
    }();
    return *context;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using State = GroupLoop::TlsSession::State;
    if (size < 1)
        return 0;
    const qsizetype piece = 1 + data[0] % 64;
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    GroupLoop::TlsSession server(serverContext());
    QByteArray plain;
    QByteArray out;
    for (qsizetype at = 0; at < input.size(); at += piece) {
        const bool ok = server.feed(input.sliced(at, std::min(piece, input.size() - at)), plain, out);
        if (ok != (server.state() != State::Failed))
            std::abort();
        if (!plain.isEmpty() && server.state() == State::Handshaking)
            std::abort();
        if (server.state() == State::Failed) {
            const QString error = server.errorString();
            if (!error.startsWith(u"TLS ") || error.contains(QLatin1Char('\n')))
                std::abort();
            if (server.feed("more", plain, out))
                std::abort();
            break;
        }
    }
    QByteArray closing;
    server.shutdown(closing);
    return 0;
}
