#pragma once
// Shared by every libFuzzer target (docs/FUZZING.md). A target file defines
//   extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
// and Fuzz::seeds(): real inputs made by the real encoders. fuzzsupport.cpp provides
// LLVMFuzzerInitialize, which writes those seeds to $HOPSHARE_FUZZ_WRITE_SEEDS and exits when
// that variable is set (scripts/fuzz.sh --write-seeds regenerates tests/fuzz/corpus this way).

#include <QByteArray>
#include <QCborMap>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace Fuzz {

using Seed = std::pair<QString, QByteArray>; // file name in the corpus, contents
using Seeds = std::vector<Seed>;

// Defined by each target.
Seeds seeds();

// A broken invariant: prints what and aborts, so libFuzzer keeps the input as a crash.
[[noreturn]] void invariantFailed(const char *what, const char *file, int line);

inline QByteArray bytes(const std::uint8_t *data, std::size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

// The input as the body of one frame: prefixed with its length and read by decodeFrame(), as
// a session reads it, so only a complete, error-free CBOR map reaches a message decoder.
// (Qt 6.4's QCborValue::fromCbor() returns a half-built map after a parse error whose lookups
// read out of bounds; decodeFrame() checks the error and never hands such a map on.)
QCborMap frameBody(const std::uint8_t *data, std::size_t size, bool *ok);

inline std::span<const std::byte> byteSpan(const std::uint8_t *data, std::size_t size)
{
    return {reinterpret_cast<const std::byte *>(data), size};
}

inline QByteArray toByteArray(std::span<const std::byte> s)
{
    return QByteArray(reinterpret_cast<const char *>(s.data()), qsizetype(s.size()));
}

// Reads the fuzz input as a stream of small decisions (split sizes, modes); zeros once empty.
class Input
{
public:
    Input(const std::uint8_t *data, std::size_t size)
        : m_data(data)
        , m_size(size)
    { }
    std::uint8_t u8() { return m_pos < m_size ? m_data[m_pos++] : 0; }
    std::uint16_t u16() { return std::uint16_t((u8() << 8) | u8()); }
    [[nodiscard]] std::size_t remaining() const { return m_size - m_pos; }
    // The rest of the input, consumed.
    std::span<const std::uint8_t> rest()
    {
        const std::span<const std::uint8_t> r(m_data + m_pos, m_size - m_pos);
        m_pos = m_size;
        return r;
    }

private:
    const std::uint8_t *m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

} // namespace Fuzz

#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition))                                                                          \
            ::Fuzz::invariantFailed(#condition, __FILE__, __LINE__);                               \
    } while (false)
