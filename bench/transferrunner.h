#pragma once

#include <bench/measurement.h>

#include <transfer/impairment/impairment.h>

#include <QList>
#include <QString>

namespace Bench {

enum class ArqMode { SelectiveRepeat, GoBackN };
enum class Controller { Default, NewReno };

struct TransferOptions
{
    ArqMode mode = ArqMode::SelectiveRepeat;
    Controller controller = Controller::Default;
    // Applied to what the uploader sends (the data direction) and to what the downloader sends
    // (ACKs and control): loss goes on data only, like netlab does; delay is split over both.
    Transfer::ImpairmentSpec dataPath;
    Transfer::ImpairmentSpec ackPath;
    int timeoutMs = 30'000;
    bool plain = false; // unencrypted (serve/fetch --plain): the baseline for encryption's cost
};

struct FileUnderTest
{
    QString path;
    QString sha256; // lower-case hex
    std::int64_t size = 0;
};

// How the sweeps drive the UDP transport: one uploader and one or more downloaders over
// loopback in this process. Keeps the sweeps independent of the engine's facade.
class TransferRunner
{
public:
    virtual ~TransferRunner() = default;
    // Downloads `file` once into outDir; the measurement says whether it verified.
    [[nodiscard]] virtual Measurement runOne(const FileUnderTest &file, const QString &outDir,
                                             const TransferOptions &options)
            = 0;
    // `count` simultaneous downloads of `file` from one uploader.
    [[nodiscard]] virtual QList<Measurement> runConcurrent(const FileUnderTest &file,
                                                           const QString &outDir, int count,
                                                           const TransferOptions &options)
            = 0;

    [[nodiscard]] static QString modeName(ArqMode mode)
    {
        return mode == ArqMode::GoBackN ? QStringLiteral("GBN") : QStringLiteral("SR");
    }
    [[nodiscard]] static QString controllerName(Controller c)
    {
        return c == Controller::NewReno ? QStringLiteral("NewReno") : QStringLiteral("BBR");
    }
};

} // namespace Bench
