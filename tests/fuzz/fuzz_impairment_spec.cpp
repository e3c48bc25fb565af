// The impairment spec (Transfer::ImpairmentSpec::parse): the --impair option of the CLI, the
// server and hopshare-bench, typed by people and scripts.
// Input: the option's text (UTF-8). Invariants: a parsed spec prints (toString) to text that
// parses to a spec printing the same; a rejected spec says why.
#include <tests/fuzz/fuzzsupport.h>

#include <transfer/impairment/impairment.h>

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(Fuzz::bytes(data, size));
    QString error;
    const auto spec = Transfer::ImpairmentSpec::parse(text, &error);
    if (!spec) {
        FUZZ_CHECK(!error.isEmpty());
        return 0;
    }
    FUZZ_CHECK(spec->loss >= 0 && spec->loss <= 1);
    FUZZ_CHECK(spec->duplicate >= 0 && spec->duplicate <= 1);
    FUZZ_CHECK(spec->reorder >= 0 && spec->reorder <= 1);
    FUZZ_CHECK(spec->corrupt >= 0 && spec->corrupt <= 1);
    const QString printed = spec->toString();
    QString again;
    const auto reparsed = Transfer::ImpairmentSpec::parse(printed, &again);
    FUZZ_CHECK(reparsed.has_value());
    FUZZ_CHECK(reparsed->toString() == printed);
    FUZZ_CHECK(reparsed->isActive() == spec->isActive());
    return 0;
}

Fuzz::Seeds Fuzz::seeds()
{
    const char *const samples[] = {
            "",
            "loss=5%",
            "loss=5%,burst=3,dup=1%,reorder=2%,corrupt=0.5%",
            "delay=20ms,jitter=5ms,rate=50Mbit,queue=64KiB,seed=7,dir=both",
            "rate=1.5Gbit,dir=in",
            "loss=0.01,delay=1s",
    };
    Seeds out;
    int i = 0;
    for (const char *s : samples) {
        const auto spec = Transfer::ImpairmentSpec::parse(QString::fromUtf8(s), nullptr);
        FUZZ_CHECK(spec.has_value());
        out.push_back({u"spec-%1"_s.arg(i++), QByteArray(s)});
    }
    return out;
}
