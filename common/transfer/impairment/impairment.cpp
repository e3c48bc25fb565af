#include <transfer/impairment/impairment.h>

#include <QLoggingCategory>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <deque>
#include <random>
#include <vector>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcImpairment, "hopshare.transfer.impairment", QtInfoMsg)

namespace Transfer {

namespace {

// A held-back datagram is released once this many later datagrams have passed it, or after
// kReorderHoldLimit, whichever comes first: three is the packet threshold of the loss detector,
// so a held datagram sometimes arrives just before and sometimes just after it would be declared
// lost, which exercises both the reordering tolerance and spurious retransmission.
constexpr int kReorderMaxGap = 4;
constexpr auto kReorderHoldLimit = std::chrono::milliseconds(10);
// Default rate queue: 50 ms worth of the rate (like a modest router buffer), never below 64 KiB.
constexpr auto kDefaultQueueTime = std::chrono::milliseconds(50);
constexpr std::size_t kMinDefaultQueueBytes = 64 * 1024;

struct UnitScale
{
    QStringView name;
    double scale;
};

constexpr UnitScale kTimeUnits[] = {{u"us", 1}, {u"ms", 1e3}, {u"s", 1e6}};
// Byte sizes (and byte rates): B, KB, MB, GB decimal; KiB, MiB, GiB binary. Case matters.
constexpr UnitScale kByteUnits[]
        = {{u"B", 1},        {u"KB", 1e3},        {u"MB", 1e6},          {u"GB", 1e9},
           {u"KiB", 1024.0}, {u"MiB", 1048576.0}, {u"GiB", 1073741824.0}};
// Bit rates, any case: 50Mbit, 100mbit, 1gbit, also kbps/mbps/gbps.
constexpr UnitScale kBitUnits[] = {{u"bit", 1}, {u"kbit", 1e3}, {u"mbit", 1e6}, {u"gbit", 1e9},
                                   {u"bps", 1}, {u"kbps", 1e3}, {u"mbps", 1e6}, {u"gbps", 1e9}};

template<std::size_t N>
double scaleOf(QStringView unit, const UnitScale (&units)[N], Qt::CaseSensitivity cs)
{
    for (const UnitScale &u : units) {
        if (unit.compare(u.name, cs) == 0)
            return u.scale;
    }
    return 0;
}

// One "key=value" item of a spec. Splits the value into number and unit once; every error
// names the key and the offending value.
class SpecItem
{
public:
    SpecItem(QStringView key, QStringView value, QString *error)
        : m_key(key)
        , m_value(value)
        , m_error(error)
    { }

    bool probability(double *out)
    {
        if (!split())
            return false;
        if (m_unit == u"%")
            m_number /= 100.0;
        else if (!m_unit.isEmpty())
            return badUnit(u"% or a fraction");
        if (m_number < 0.0 || m_number > 1.0)
            return outOfRange(u"0%..100%");
        *out = m_number;
        return true;
    }

    bool duration(std::chrono::microseconds *out)
    {
        if (!split() || m_number < 0)
            return badNumber();
        const double scale = isBareZero() ? 1.0 : scaleOf(m_unit, kTimeUnits, Qt::CaseSensitive);
        if (scale == 0)
            return badUnit(u"us, ms or s");
        if (m_number * scale > 3600e6)
            return outOfRange(u"at most 1 hour");
        *out = std::chrono::microseconds(std::llround(m_number * scale));
        return true;
    }

    bool rate(std::uint64_t *out)
    {
        if (!split() || m_number < 0)
            return badNumber();
        double bits = scaleOf(m_unit, kBitUnits, Qt::CaseInsensitive);
        if (bits == 0)
            bits = 8 * scaleOf(m_unit, kByteUnits, Qt::CaseSensitive);
        if (bits == 0 && !isBareZero())
            return badUnit(u"bit, kbit, Mbit, Gbit, or bytes/s such as MB or MiB");
        if (m_number * bits > 1e12)
            return outOfRange(u"at most 1 Tbit/s");
        *out = std::uint64_t(std::llround(m_number * bits));
        return true;
    }

    bool bytes(std::size_t *out)
    {
        if (!split() || m_number < 0)
            return badNumber();
        const double scale
                = m_unit.isEmpty() ? 1.0 : scaleOf(m_unit, kByteUnits, Qt::CaseSensitive);
        if (scale == 0)
            return badUnit(u"B, KiB, MiB, KB, MB");
        if (m_number * scale > 1e12)
            return outOfRange(u"at most 1 TB");
        *out = std::size_t(std::llround(m_number * scale));
        return true;
    }

    bool burst(double *out)
    {
        if (!split() || !m_unit.isEmpty())
            return badNumber();
        if (m_number != 0 && (m_number < 1 || m_number > 1e6))
            return outOfRange(u"0, or a mean burst length >= 1");
        *out = m_number;
        return true;
    }

    bool seed(std::uint64_t *out)
    {
        bool ok = false;
        *out = m_value.toULongLong(&ok, 0);
        return ok || badNumber();
    }

    bool direction(ImpairmentSpec::Direction *out)
    {
        using Direction = ImpairmentSpec::Direction;
        if (m_value == u"out" || m_value == u"in" || m_value == u"both") {
            *out = m_value == u"out" ? Direction::Outbound
                                     : (m_value == u"in" ? Direction::Inbound : Direction::Both);
            return true;
        }
        return report(u"impairment: bad value '%1' for 'dir' (use out, in or both)"_s.arg(m_value));
    }

private:
    // "12.5MiB" -> 12.5 and "MiB"; false (reported) when no finite number leads.
    bool split()
    {
        qsizetype i = 0;
        for (; i < m_value.size(); ++i) {
            const QChar c = m_value[i];
            // A sign leads the number or its exponent ("5e-7", as toString() prints tiny values).
            const bool sign = (c == u'-' || c == u'+') && (i == 0 || m_value[i - 1] == u'e');
            // An 'e' not followed by a digit (or a sign and a digit) belongs to the unit.
            const bool exponent = c == u'e' && i + 1 < m_value.size()
                    && (m_value[i + 1].isDigit()
                        || ((m_value[i + 1] == u'-' || m_value[i + 1] == u'+')
                            && i + 2 < m_value.size() && m_value[i + 2].isDigit()));
            if (!c.isDigit() && c != u'.' && !sign && !exponent)
                break;
        }
        bool ok = false;
        m_number = m_value.first(i).toDouble(&ok);
        m_unit = m_value.sliced(i).trimmed();
        return (ok && std::isfinite(m_number)) || badNumber();
    }
    [[nodiscard]] bool isBareZero() const { return m_unit.isEmpty() && m_number == 0; }
    bool badNumber()
    {
        return report(u"impairment: bad number '%1' for '%2'"_s.arg(m_value, m_key));
    }
    bool badUnit(QStringView expected)
    {
        return report(
                u"impairment: bad unit '%1' for '%2' (use %3)"_s.arg(m_unit, m_key, expected));
    }
    bool outOfRange(QStringView range)
    {
        return report(u"impairment: '%1=%2' out of range (%3)"_s.arg(m_key, m_value, range));
    }
    bool report(const QString &message)
    {
        if (m_error)
            *m_error = message;
        return false;
    }

    QStringView m_key;
    QStringView m_value;
    QString *m_error;
    double m_number = 0;
    QStringView m_unit;
};

QString formatPercent(double p)
{
    return QString::number(p * 100.0, 'g', 10) + u'%';
}

} // namespace

bool ImpairmentSpec::isActive() const
{
    return loss > 0 || duplicate > 0 || reorder > 0 || corrupt > 0 || delay.count() > 0
            || jitter.count() > 0 || rateBitsPerSecond > 0;
}

std::optional<ImpairmentSpec> ImpairmentSpec::parse(QStringView text, QString *error)
{
    ImpairmentSpec spec;
    const QStringView trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return spec;
    for (QStringView entry : trimmed.split(u',')) {
        entry = entry.trimmed();
        const qsizetype eq = entry.indexOf(u'=');
        if (eq <= 0) {
            if (error)
                *error = u"impairment: expected key=value, got '%1'"_s.arg(entry);
            return std::nullopt;
        }
        const QStringView key = entry.first(eq).trimmed();
        SpecItem item(key, entry.sliced(eq + 1).trimmed(), error);
        bool ok = false;
        if (key == u"loss")
            ok = item.probability(&spec.loss);
        else if (key == u"dup" || key == u"duplicate")
            ok = item.probability(&spec.duplicate);
        else if (key == u"reorder")
            ok = item.probability(&spec.reorder);
        else if (key == u"corrupt")
            ok = item.probability(&spec.corrupt);
        else if (key == u"delay")
            ok = item.duration(&spec.delay);
        else if (key == u"jitter")
            ok = item.duration(&spec.jitter);
        else if (key == u"burst")
            ok = item.burst(&spec.burst);
        else if (key == u"rate")
            ok = item.rate(&spec.rateBitsPerSecond);
        else if (key == u"queue")
            ok = item.bytes(&spec.queueBytes);
        else if (key == u"seed")
            ok = item.seed(&spec.seed);
        else if (key == u"dir")
            ok = item.direction(&spec.direction);
        else if (error)
            *error = u"impairment: unknown key '%1'"_s.arg(key);
        if (!ok)
            return std::nullopt;
    }
    return spec;
}

QString ImpairmentSpec::toString() const
{
    QStringList parts;
    if (loss > 0)
        parts << u"loss="_s + formatPercent(loss);
    if (burst > 0)
        parts << u"burst="_s + QString::number(burst, 'g', 10);
    if (duplicate > 0)
        parts << u"dup="_s + formatPercent(duplicate);
    if (reorder > 0)
        parts << u"reorder="_s + formatPercent(reorder);
    if (corrupt > 0)
        parts << u"corrupt="_s + formatPercent(corrupt);
    if (delay.count() > 0)
        parts << u"delay=%1us"_s.arg(delay.count());
    if (jitter.count() > 0)
        parts << u"jitter=%1us"_s.arg(jitter.count());
    if (rateBitsPerSecond > 0)
        parts << u"rate=%1bit"_s.arg(rateBitsPerSecond);
    if (queueBytes > 0)
        parts << u"queue=%1B"_s.arg(queueBytes);
    if (seed != 1)
        parts << u"seed=%1"_s.arg(seed);
    if (direction == Direction::Inbound)
        parts << u"dir=in"_s;
    else if (direction == Direction::Both)
        parts << u"dir=both"_s;
    return parts.join(u',');
}

// ---------------------------------------------------------------------------------------------

namespace {

struct Entry
{
    Impairer::TimePoint due;
    std::uint64_t order = 0; // ties on `due` keep arrival order
    std::vector<std::byte> bytes;
    QHostAddress peer;
    quint16 port = 0;
};

struct LaterFirst
{
    bool operator()(const Entry &a, const Entry &b) const
    {
        return a.due != b.due ? a.due > b.due : a.order > b.order;
    }
};

struct Held
{
    Entry entry;
    int remaining = 0; // later datagrams still to pass before release
    Impairer::TimePoint deadline;
};

constexpr std::size_t kMaxPooledBuffers = 1024;

} // namespace

struct Impairer::Private
{
    ImpairmentSpec spec;
    std::mt19937_64 rng;
    ImpairmentStats stats;
    std::vector<Entry> heap; // min-heap on (due, order) via LaterFirst
    std::deque<Held> held;
    Entry current; // the datagram handed out by the last popOne (keeps its bytes alive)
    std::vector<std::vector<std::byte>> pool;
    std::uint64_t nextOrder = 0;
    bool bad = false; // Gilbert-Elliott state
    double goodToBad = 0;
    double badToGood = 1;
    // Rate stage: when the link finishes serialising what it was given, with the sub-nanosecond
    // remainder carried so that long runs add up exactly.
    TimePoint linkFreeAt {};
    std::uint64_t remainder = 0;
    std::size_t queueLimit = 0;
    TimePoint lastDue {};

    double uniform() { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return p > 0 && uniform() < p; }
    bool lose();
    bool admitToRate(std::size_t bytes, TimePoint now, TimePoint *departure);
    void schedule(std::span<const std::byte> data, const QHostAddress &peer, quint16 port,
                  TimePoint now, bool flip);
    std::vector<std::byte> takeBuffer(std::span<const std::byte> data);
    void enqueue(Entry &&entry);
    void releaseHeld(TimePoint due);
    void releaseExpired(TimePoint now);
};

bool Impairer::Private::lose()
{
    if (spec.loss <= 0)
        return false;
    if (spec.burst <= 1)
        return chance(spec.loss);
    // Gilbert-Elliott with a lossless Good and an all-loss Bad state: bursts are geometric with
    // mean 1 / badToGood = burst, and the stationary loss p / (p + r) equals spec.loss.
    if (bad ? chance(badToGood) : chance(goodToBad))
        bad = !bad;
    return bad;
}

bool Impairer::Private::admitToRate(std::size_t bytes, TimePoint now, TimePoint *departure)
{
    if (spec.rateBitsPerSecond == 0) {
        *departure = now;
        return true;
    }
    const auto start = std::max(now, linkFreeAt);
    if (linkFreeAt > now) {
        // Tail drop: what is still waiting or being serialised, plus this datagram, must fit.
        const double backlogNs = static_cast<double>((linkFreeAt - now).count());
        const double backlogBytes = backlogNs * static_cast<double>(spec.rateBitsPerSecond) / 8e9;
        if (backlogBytes + static_cast<double>(bytes) > static_cast<double>(queueLimit))
            return false;
    }
    const std::uint64_t bitNs = std::uint64_t(bytes) * 8 * 1'000'000'000ULL + remainder;
    remainder = bitNs % spec.rateBitsPerSecond;
    linkFreeAt = start + std::chrono::nanoseconds(bitNs / spec.rateBitsPerSecond);
    *departure = linkFreeAt;
    return true;
}

std::vector<std::byte> Impairer::Private::takeBuffer(std::span<const std::byte> data)
{
    std::vector<std::byte> buffer;
    if (!pool.empty()) {
        buffer = std::move(pool.back());
        pool.pop_back();
    }
    buffer.assign(data.begin(), data.end());
    return buffer;
}

void Impairer::Private::enqueue(Entry &&entry)
{
    heap.push_back(std::move(entry));
    std::push_heap(heap.begin(), heap.end(), LaterFirst {});
}

// Each newly scheduled datagram moves the held ones one step closer to release; a released one
// goes out right behind the datagram that freed it.
void Impairer::Private::releaseHeld(TimePoint due)
{
    for (auto it = held.begin(); it != held.end();) {
        if (--it->remaining > 0) {
            ++it;
            continue;
        }
        it->entry.due = std::max(it->entry.due, due);
        it->entry.order = nextOrder++;
        enqueue(std::move(it->entry));
        it = held.erase(it);
    }
}

// A held datagram with nothing behind it (the sender went quiet) is released at its deadline.
void Impairer::Private::releaseExpired(TimePoint now)
{
    for (auto it = held.begin(); it != held.end();) {
        if (it->deadline > now) {
            ++it;
            continue;
        }
        it->entry.due = it->deadline;
        it->entry.order = nextOrder++;
        enqueue(std::move(it->entry));
        it = held.erase(it);
    }
}

void Impairer::Private::schedule(std::span<const std::byte> data, const QHostAddress &peer,
                                 quint16 port, TimePoint now, bool flip)
{
    TimePoint departure;
    if (!admitToRate(data.size(), now, &departure)) {
        ++stats.queueDropped;
        return;
    }
    auto extra = spec.delay;
    if (spec.jitter.count() > 0) {
        const auto span = std::uint64_t(2 * spec.jitter.count() + 1);
        extra += std::chrono::microseconds(static_cast<std::int64_t>(rng() % span)
                                           - spec.jitter.count());
        extra = std::max(extra, std::chrono::microseconds(0));
    }
    // Jitter varies the delay, but a link is FIFO: only `reorder` reorders, which keeps the
    // effects separable in measurements.
    Entry entry {std::max(departure + extra, lastDue), nextOrder++, takeBuffer(data), peer, port};
    lastDue = entry.due;
    if (flip && !entry.bytes.empty()) {
        const auto at = rng() % entry.bytes.size();
        entry.bytes[at] ^= std::byte(1 + rng() % 255);
        ++stats.corrupted;
    }
    releaseHeld(entry.due);
    if (chance(spec.reorder)) {
        ++stats.reordered;
        const int gap = 1 + static_cast<int>(rng() % kReorderMaxGap);
        const auto deadline = entry.due + kReorderHoldLimit;
        held.push_back(Held {std::move(entry), gap, deadline});
        return;
    }
    enqueue(std::move(entry));
}

// ---------------------------------------------------------------------------------------------

Impairer::Impairer(const ImpairmentSpec &spec)
    : d(new Private)
{
    d->spec = spec;
    d->rng.seed(spec.seed);
    if (spec.burst > 1 && spec.loss > 0 && spec.loss < 1) {
        d->badToGood = 1.0 / spec.burst;
        // Capped at 1: very high loss with short bursts cannot be reached by this model.
        d->goodToBad = std::min(1.0, spec.loss * d->badToGood / (1.0 - spec.loss));
    } else if (spec.burst > 1 && spec.loss >= 1) {
        d->badToGood = 0;
        d->goodToBad = 1;
    }
    d->queueLimit = spec.queueBytes;
    if (d->queueLimit == 0 && spec.rateBitsPerSecond > 0) {
        const double bytes = static_cast<double>(spec.rateBitsPerSecond) / 8.0
                * std::chrono::duration<double>(kDefaultQueueTime).count();
        d->queueLimit = std::max(kMinDefaultQueueBytes, static_cast<std::size_t>(bytes));
    }
    if (spec.isActive())
        qCDebug(lcImpairment) << "impairing:" << spec.toString();
}

Impairer::~Impairer()
{
    delete d;
}

void Impairer::push(std::span<const std::byte> datagram, const QHostAddress &peer, quint16 port,
                    TimePoint now)
{
    ++d->stats.offered;
    d->releaseExpired(now);
    if (d->lose()) {
        ++d->stats.dropped;
        return;
    }
    const bool flip = d->chance(d->spec.corrupt);
    const bool twice = d->chance(d->spec.duplicate);
    d->schedule(datagram, peer, port, now, flip);
    if (twice) {
        ++d->stats.duplicated;
        d->schedule(datagram, peer, port, now, flip);
    }
}

bool Impairer::popOne(TimePoint now, std::span<const std::byte> *data, QHostAddress *peer,
                      quint16 *port)
{
    d->releaseExpired(now);
    if (d->heap.empty() || d->heap.front().due > now)
        return false;
    std::pop_heap(d->heap.begin(), d->heap.end(), LaterFirst {});
    if (d->pool.size() < kMaxPooledBuffers && d->current.bytes.capacity() > 0)
        d->pool.push_back(std::move(d->current.bytes));
    d->current = std::move(d->heap.back());
    d->heap.pop_back();
    ++d->stats.delivered;
    *data = d->current.bytes;
    *peer = d->current.peer;
    *port = d->current.port;
    return true;
}

std::optional<Impairer::TimePoint> Impairer::nextDue() const
{
    std::optional<TimePoint> next;
    if (!d->heap.empty())
        next = d->heap.front().due;
    for (const Held &h : d->held) {
        if (!next || h.deadline < *next)
            next = h.deadline;
    }
    return next;
}

const ImpairmentSpec &Impairer::spec() const
{
    return d->spec;
}

ImpairmentStats Impairer::stats() const
{
    return d->stats;
}

} // namespace Transfer
