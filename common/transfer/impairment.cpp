#include "impairment.h"

#include <QLoggingCategory>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
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

QString fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return message;
}

// Splits "12.5MiB" into number and unit; returns false when no number leads.
bool splitNumber(QStringView text, double *number, QStringView *unit)
{
    qsizetype i = 0;
    while (i < text.size()
           && (text[i].isDigit() || text[i] == u'.' || text[i] == u'e'
               || ((text[i] == u'-' || text[i] == u'+') && i == 0))) {
        // An 'e' followed by a letter belongs to the unit, not an exponent.
        if (text[i] == u'e' && (i + 1 >= text.size() || !text[i + 1].isDigit()))
            break;
        ++i;
    }
    bool ok = false;
    *number = text.first(i).toDouble(&ok);
    *unit = text.sliced(i).trimmed();
    return ok && std::isfinite(*number);
}

std::optional<double> parseProbability(QStringView key, QStringView value, QString *error)
{
    double number = 0;
    QStringView unit;
    if (!splitNumber(value, &number, &unit)) {
        fail(error, u"impairment: bad number '%1' for '%2'"_s.arg(value, key));
        return std::nullopt;
    }
    if (unit == u"%")
        number /= 100.0;
    else if (!unit.isEmpty()) {
        fail(error, u"impairment: bad unit '%1' for '%2' (use %% or a fraction)"_s.arg(unit, key));
        return std::nullopt;
    }
    if (number < 0.0 || number > 1.0) {
        fail(error, u"impairment: '%1=%2' out of range (0%..100%)"_s.arg(key, value));
        return std::nullopt;
    }
    return number;
}

std::optional<std::chrono::microseconds> parseDuration(QStringView key, QStringView value,
                                                       QString *error)
{
    double number = 0;
    QStringView unit;
    if (!splitNumber(value, &number, &unit) || number < 0) {
        fail(error, u"impairment: bad number '%1' for '%2'"_s.arg(value, key));
        return std::nullopt;
    }
    double scale = 0;
    if (unit == u"us")
        scale = 1;
    else if (unit == u"ms")
        scale = 1e3;
    else if (unit == u"s")
        scale = 1e6;
    else if (unit.isEmpty() && number == 0)
        scale = 1;
    else {
        fail(error, u"impairment: bad unit '%1' for '%2' (use us, ms or s)"_s.arg(unit, key));
        return std::nullopt;
    }
    const double us = number * scale;
    if (us > 3600e6) {
        fail(error, u"impairment: '%1=%2' out of range (at most 1 hour)"_s.arg(key, value));
        return std::nullopt;
    }
    return std::chrono::microseconds(std::llround(us));
}

// Byte multiplier for B, KB, MB, GB (decimal) and KiB, MiB, GiB (binary); 0 when unknown.
double byteUnit(QStringView unit)
{
    static const struct
    {
        QStringView name;
        double scale;
    } units[] = {{u"B", 1},
                 {u"KB", 1e3},
                 {u"MB", 1e6},
                 {u"GB", 1e9},
                 {u"KiB", 1024.0},
                 {u"MiB", 1024.0 * 1024},
                 {u"GiB", 1024.0 * 1024 * 1024}};
    for (const auto &u : units) {
        if (unit == u.name)
            return u.scale;
    }
    return 0;
}

// Bit-rate multiplier for bit, kbit, mbit, gbit (any case, also kbps, mbps, gbps); 0 when unknown.
double bitUnit(QStringView unit)
{
    const QString lower = unit.toString().toLower();
    static const struct
    {
        QStringView name;
        double scale;
    } units[] = {{u"bit", 1}, {u"kbit", 1e3}, {u"mbit", 1e6}, {u"gbit", 1e9},
                 {u"bps", 1}, {u"kbps", 1e3}, {u"mbps", 1e6}, {u"gbps", 1e9}};
    for (const auto &u : units) {
        if (lower == u.name)
            return u.scale;
    }
    return 0;
}

std::optional<std::uint64_t> parseRate(QStringView key, QStringView value, QString *error)
{
    double number = 0;
    QStringView unit;
    if (!splitNumber(value, &number, &unit) || number < 0) {
        fail(error, u"impairment: bad number '%1' for '%2'"_s.arg(value, key));
        return std::nullopt;
    }
    double bits = 0;
    if (const double b = bitUnit(unit); b > 0)
        bits = number * b;
    else if (const double B = byteUnit(unit); B > 0)
        bits = number * B * 8;
    else if (unit.isEmpty() && number == 0)
        bits = 0;
    else {
        fail(error,
             u"impairment: bad unit '%1' for '%2' (use bit, kbit, Mbit, Gbit, B/s units such as "
             u"MB or MiB)"_s.arg(unit, key));
        return std::nullopt;
    }
    if (bits > 1e12) {
        fail(error, u"impairment: '%1=%2' out of range (at most 1 Tbit/s)"_s.arg(key, value));
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(std::llround(bits));
}

std::optional<std::size_t> parseBytes(QStringView key, QStringView value, QString *error)
{
    double number = 0;
    QStringView unit;
    if (!splitNumber(value, &number, &unit) || number < 0) {
        fail(error, u"impairment: bad number '%1' for '%2'"_s.arg(value, key));
        return std::nullopt;
    }
    const double scale = unit.isEmpty() ? 1.0 : byteUnit(unit);
    if (scale == 0) {
        fail(error,
             u"impairment: bad unit '%1' for '%2' (use B, KiB, MiB, KB, MB)"_s.arg(unit, key));
        return std::nullopt;
    }
    const double bytes = number * scale;
    if (bytes > 1e12) {
        fail(error, u"impairment: '%1=%2' out of range (at most 1 TB)"_s.arg(key, value));
        return std::nullopt;
    }
    return static_cast<std::size_t>(std::llround(bytes));
}

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
    for (QStringView item : trimmed.split(u',')) {
        item = item.trimmed();
        const qsizetype eq = item.indexOf(u'=');
        if (eq <= 0) {
            fail(error, u"impairment: expected key=value, got '%1'"_s.arg(item));
            return std::nullopt;
        }
        const QStringView key = item.first(eq).trimmed();
        const QStringView value = item.sliced(eq + 1).trimmed();
        bool ok = true;
        auto setProbability = [&](double *field) {
            const auto p = parseProbability(key, value, error);
            ok = p.has_value();
            if (ok)
                *field = *p;
        };
        auto setDuration = [&](std::chrono::microseconds *field) {
            const auto d = parseDuration(key, value, error);
            ok = d.has_value();
            if (ok)
                *field = *d;
        };
        if (key == u"loss")
            setProbability(&spec.loss);
        else if (key == u"dup" || key == u"duplicate")
            setProbability(&spec.duplicate);
        else if (key == u"reorder")
            setProbability(&spec.reorder);
        else if (key == u"corrupt")
            setProbability(&spec.corrupt);
        else if (key == u"delay")
            setDuration(&spec.delay);
        else if (key == u"jitter")
            setDuration(&spec.jitter);
        else if (key == u"burst") {
            double number = 0;
            QStringView unit;
            ok = splitNumber(value, &number, &unit) && unit.isEmpty();
            if (!ok)
                fail(error, u"impairment: bad number '%1' for 'burst'"_s.arg(value));
            else if (number != 0 && (number < 1 || number > 1e6)) {
                ok = false;
                fail(error,
                     u"impairment: 'burst=%1' out of range (0, or a mean burst length >= 1)"_s.arg(
                             value));
            } else
                spec.burst = number;
        } else if (key == u"rate") {
            const auto r = parseRate(key, value, error);
            ok = r.has_value();
            if (ok)
                spec.rateBitsPerSecond = *r;
        } else if (key == u"queue") {
            const auto q = parseBytes(key, value, error);
            ok = q.has_value();
            if (ok)
                spec.queueBytes = *q;
        } else if (key == u"seed") {
            spec.seed = value.toULongLong(&ok, 0);
            if (!ok)
                fail(error, u"impairment: bad number '%1' for 'seed'"_s.arg(value));
        } else if (key == u"dir") {
            if (value == u"out")
                spec.direction = Direction::Outbound;
            else if (value == u"in")
                spec.direction = Direction::Inbound;
            else if (value == u"both")
                spec.direction = Direction::Both;
            else {
                ok = false;
                fail(error,
                     u"impairment: bad value '%1' for 'dir' (use out, in or both)"_s.arg(value));
            }
        } else {
            fail(error, u"impairment: unknown key '%1'"_s.arg(key));
            return std::nullopt;
        }
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
