#include <tests/fuzz/fuzzsupport.h>

#include <protocol/framecodec.h>

#include <QDir>
#include <QFile>
#include <QtEndian>
#include <QtGlobal>

#include <cstdio>
#include <cstdlib>

namespace {

// Decoders log what they reject; at a million inputs a second that is only noise.
void dropMessage(QtMsgType, const QMessageLogContext &, const QString &) { }

int writeSeeds(const QString &dir)
{
    if (!QDir().mkpath(dir)) {
        std::fprintf(stderr, "cannot create %s\n", qPrintable(dir));
        return 1;
    }
    int written = 0;
    for (const auto &[name, contents] : Fuzz::seeds()) {
        QFile f(QDir(dir).filePath(name));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(contents) < 0) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(f.fileName()));
            return 1;
        }
        ++written;
    }
    std::printf("wrote %d seeds to %s\n", written, qPrintable(dir));
    return 0;
}

} // namespace

namespace Fuzz {

QCborMap frameBody(const std::uint8_t *data, std::size_t size, bool *ok)
{
    QByteArray frame(4, Qt::Uninitialized);
    qToBigEndian(quint32(size), frame.data());
    frame.append(bytes(data, size));
    Protocol::DecodedFrame decoded = Protocol::decodeFrame(frame, quint32(frame.size()));
    *ok = decoded.status == Protocol::FrameStatus::Ok;
    return *ok ? std::move(decoded.map) : QCborMap {};
}

void invariantFailed(const char *what, const char *file, int line)
{
    std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", what, file, line);
    std::abort();
}

} // namespace Fuzz

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    qInstallMessageHandler(dropMessage);
    const QByteArray seedDir = qgetenv("HOPSHARE_FUZZ_WRITE_SEEDS");
    if (!seedDir.isEmpty())
        std::exit(writeSeeds(QString::fromLocal8Bit(seedDir)));
    return 0;
}
