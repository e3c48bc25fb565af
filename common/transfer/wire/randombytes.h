#pragma once

#include <QRandomGenerator>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>

namespace Transfer {

// Fills a byte array from the system's secure generator. Byte arrays have no quint32
// alignment, so the words go in through memcpy.
template<std::size_t N>
void fillRandom(std::array<std::byte, N> &out)
{
    for (std::size_t i = 0; i < N; i += 4) {
        const quint32 v = QRandomGenerator::system()->generate();
        std::memcpy(out.data() + i, &v, std::min<std::size_t>(4, N - i));
    }
}

} // namespace Transfer
