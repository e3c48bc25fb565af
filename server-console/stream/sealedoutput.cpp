#include <server-console/stream/sealedoutput.h>

#include <openssl/bio.h>

namespace Server::SealedOutput {

namespace {
int writeRecords(BIO *, const char *data, size_t length, size_t *written)
{
    std::vector<char> &out = staging();
    out.insert(out.end(), data, data + length);
    *written = length;
    return 1;
}

long control(BIO *, int command, long, void *)
{
    // OpenSSL flushes after each handshake flight: the session writes after every call anyway.
    return command == BIO_CTRL_FLUSH ? 1 : 0;
}

int create(BIO *bio)
{
    BIO_set_init(bio, 1);
    return 1;
}

BIO_METHOD *method()
{
    static BIO_METHOD *const made = [] {
        BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
                                     "hopshare sealed output");
        if (m) {
            BIO_meth_set_write_ex(m, writeRecords);
            BIO_meth_set_ctrl(m, control);
            BIO_meth_set_create(m, create);
        }
        return m;
    }();
    return made;
}
} // namespace

bio_st *newBio()
{
    BIO_METHOD *m = method();
    return m ? BIO_new(m) : nullptr;
}

std::vector<char> &staging()
{
    thread_local std::vector<char> sealed;
    return sealed;
}

} // namespace Server::SealedOutput
