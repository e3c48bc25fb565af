#pragma once
// Big-endian cursor reading and writing over a caller-owned byte span. Never allocates; a read
// or write past the end sets the failed flag and leaves the value zero, so decoders check once
// at the end instead of after every field.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace Transfer {

class WireWriter
{
public:
    explicit WireWriter(std::span<std::byte> out)
        : m_out(out)
    { }
    void u8(std::uint8_t v) { put(&v, 1); }
    void u16(std::uint16_t v) { putBe(v, 2); }
    void u32(std::uint32_t v) { putBe(v, 4); }
    void u64(std::uint64_t v) { putBe(v, 8); }
    void bytes(std::span<const std::byte> v) { put(v.data(), v.size()); }
    void zeros(std::size_t n)
    {
        if (!reserve(n))
            return;
        std::memset(m_out.data() + m_pos, 0, n);
        m_pos += n;
    }
    [[nodiscard]] std::size_t size() const { return m_pos; }
    [[nodiscard]] bool failed() const { return m_failed; }

private:
    bool reserve(std::size_t n)
    {
        if (m_failed || m_out.size() - m_pos < n) {
            m_failed = true;
            return false;
        }
        return true;
    }
    void put(const void *p, std::size_t n)
    {
        if (!reserve(n))
            return;
        std::memcpy(m_out.data() + m_pos, p, n);
        m_pos += n;
    }
    void putBe(std::uint64_t v, std::size_t n)
    {
        if (!reserve(n))
            return;
        for (std::size_t i = 0; i < n; ++i)
            m_out[m_pos + i] = std::byte((v >> (8 * (n - 1 - i))) & 0xFF);
        m_pos += n;
    }
    std::span<std::byte> m_out;
    std::size_t m_pos = 0;
    bool m_failed = false;
};

class WireReader
{
public:
    explicit WireReader(std::span<const std::byte> in)
        : m_in(in)
    { }
    std::uint8_t u8() { return std::uint8_t(getBe(1)); }
    std::uint16_t u16() { return std::uint16_t(getBe(2)); }
    std::uint32_t u32() { return std::uint32_t(getBe(4)); }
    std::uint64_t u64() { return getBe(8); }
    template<std::size_t N>
    void bytes(std::array<std::byte, N> &out)
    {
        if (!reserve(N)) {
            out.fill(std::byte {0});
            return;
        }
        std::memcpy(out.data(), m_in.data() + m_pos, N);
        m_pos += N;
    }
    [[nodiscard]] std::span<const std::byte> rest() const { return m_in.subspan(m_pos); }
    [[nodiscard]] std::size_t remaining() const { return m_in.size() - m_pos; }
    [[nodiscard]] bool failed() const { return m_failed; }

private:
    bool reserve(std::size_t n)
    {
        if (m_failed || m_in.size() - m_pos < n) {
            m_failed = true;
            return false;
        }
        return true;
    }
    std::uint64_t getBe(std::size_t n)
    {
        if (!reserve(n))
            return 0;
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i)
            v = (v << 8) | std::uint64_t(m_in[m_pos + i]);
        m_pos += n;
        return v;
    }
    std::span<const std::byte> m_in;
    std::size_t m_pos = 0;
    bool m_failed = false;
};

} // namespace Transfer
