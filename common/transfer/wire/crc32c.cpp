#include <transfer/wire/crc32c.h>

#include <array>
#include <bit>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define HOPSHARE_CRC32C_X86 1
#endif

namespace Transfer {

namespace {

constexpr std::uint32_t kPolynomial = 0x82F63B78u; // reflected Castagnoli

using Table = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr Table makeTable()
{
    Table t {};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1u) ? (c >> 1) ^ kPolynomial : c >> 1;
        t[0][i] = c;
    }
    for (std::size_t s = 1; s < 8; ++s)
        for (std::uint32_t i = 0; i < 256; ++i)
            t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFFu];
    return t;
}

constexpr Table kTable = makeTable();

#ifdef HOPSHARE_CRC32C_X86
__attribute__((target("sse4.2"))) std::uint32_t crc32cSse42(const unsigned char *p, std::size_t n)
{
    std::uint64_t crc = 0xFFFFFFFFu;
    while (n >= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        crc = _mm_crc32_u64(crc, word);
        p += 8;
        n -= 8;
    }
    auto c = static_cast<std::uint32_t>(crc);
    while (n-- > 0)
        c = _mm_crc32_u8(c, *p++);
    return ~c;
}
#endif

const bool kHasHardware = [] {
#ifdef HOPSHARE_CRC32C_X86
    return __builtin_cpu_supports("sse4.2") != 0;
#else
    return false;
#endif
}();

} // namespace

bool crc32cHasHardware()
{
    return kHasHardware;
}

std::uint32_t crc32cPortable(std::span<const std::byte> data)
{
    auto p = reinterpret_cast<const unsigned char *>(data.data());
    std::size_t n = data.size();
    std::uint32_t c = 0xFFFFFFFFu;
    while (n >= 8) {
        std::uint32_t lo;
        std::uint32_t hi;
        std::memcpy(&lo, p, 4);
        std::memcpy(&hi, p + 4, 4);
        // Little-endian hosts only for the sliced path; fall back otherwise.
        if constexpr (std::endian::native != std::endian::little)
            break;
        lo ^= c;
        c = kTable[7][lo & 0xFF] ^ kTable[6][(lo >> 8) & 0xFF] ^ kTable[5][(lo >> 16) & 0xFF]
                ^ kTable[4][lo >> 24] ^ kTable[3][hi & 0xFF] ^ kTable[2][(hi >> 8) & 0xFF]
                ^ kTable[1][(hi >> 16) & 0xFF] ^ kTable[0][hi >> 24];
        p += 8;
        n -= 8;
    }
    while (n-- > 0)
        c = (c >> 8) ^ kTable[0][(c ^ *p++) & 0xFFu];
    return ~c;
}

std::uint32_t crc32c(std::span<const std::byte> data)
{
#ifdef HOPSHARE_CRC32C_X86
    if (kHasHardware)
        return crc32cSse42(reinterpret_cast<const unsigned char *>(data.data()), data.size());
#endif
    return crc32cPortable(data);
}

} // namespace Transfer
