// TlsSession's TLS 1.3 secrets between the keylog callback and the hand-off to TlsRecordLayer
// (tlssessionhandoff.cpp). Internal to TlsSession.
#pragma once

#include "tlssession.h"
#include "tlstraffickeys.h"

#include <openssl/crypto.h>

namespace GroupLoop {

// A TLS 1.3 handshake's application traffic secrets, from the keylog callback to the hand-off.
struct TlsSession::Secrets
{
    unsigned char client[TlsTrafficKeys::MaxSecret];
    unsigned char server[TlsTrafficKeys::MaxSecret];
    qsizetype clientLength = 0;
    qsizetype serverLength = 0;
    ~Secrets() { OPENSSL_cleanse(this, sizeof *this); }
};

} // namespace GroupLoop
