#include "grid/dss_elements.hpp"

#include <cmath>
#include <set>

namespace evtwin::grid::dss {
namespace {

// Properties read and accepted but not modelled (docs/grid.md says why each is safe to leave).
bool accepted_unmodelled(const std::string& name) {
    static const std::set<std::string> names = {
        "basefreq", "mvasc3",   "mvasc1",  "isc3",   "isc1",   "x1r1",   "x0r0",    "daily",
        "yearly",   "duty",     "vminpu",  "vmaxpu", "bank",   "xht",    "xlt",     "maxtapchange",
        "enabled",  "spectrum", "basekva", "sub",    "maxtap", "mintap", "numtaps", "ptphase"};
    return names.count(name) > 0;
}

[[noreturn]] void unknown(const std::string& cls, const Param& p, const Where& w) {
    w.fail("unsupported property '" + p.name + "' of " + cls);
}

int whole(const Param& p, const Where& w, int low, int high) {
    const double v = number(p, w);
    if (v != std::floor(v) || v < low || v > high)
        w.fail("expected a whole number from " + std::to_string(low) + " to " + std::to_string(high) +
               " for " + p.name + ", got '" + p.value + "'");
    return static_cast<int>(v);
}

double positive(const Param& p, const Where& w) {
    const double v = number(p, w);
    if (!(v > 0.0)) w.fail("expected a positive number for " + p.name + ", got '" + p.value + "'");
    return v;
}

double non_negative(const Param& p, const Where& w) {
    const double v = number(p, w);
    if (!(v >= 0.0)) w.fail("expected a number of at least 0 for " + p.name + ", got '" + p.value + "'");
    return v;
}

Connection connection(const std::string& text, const Where& w) {
    const std::string v = lower(text);
    if (v == "wye" || v == "y" || v == "ln") return Connection::wye;
    if (v == "delta" || v == "d" || v == "ll") return Connection::delta;
    w.fail("expected conn wye or delta, got '" + text + "'");
}

std::string units(const Param& p, const Where& w) {
    const std::string v = lower(p.value);
    static const std::set<std::string> known = {"none", "mi", "kft", "km", "m", "ft", "in", "cm", "mm"};
    if (!known.count(v))
        w.fail("expected units none, mi, kft, km, m, ft, in, cm or mm, got '" + p.value + "'");
    return v;
}

// Properties a LineCode and a Line share; false when `p` is none of them.
bool set_impedance(Impedances& z, const Param& p, const Where& w) {
    if (p.name == "rmatrix")
        z.r = matrix_rows(p, w);
    else if (p.name == "xmatrix")
        z.x = matrix_rows(p, w);
    else if (p.name == "cmatrix")
        z.c = matrix_rows(p, w);
    else if (p.name == "r1")
        z.sequence.r1 = number(p, w), z.r.reset();
    else if (p.name == "x1")
        z.sequence.x1 = number(p, w), z.x.reset();
    else if (p.name == "r0")
        z.sequence.r0 = number(p, w), z.r.reset();
    else if (p.name == "x0")
        z.sequence.x0 = number(p, w), z.x.reset();
    else if (p.name == "c1")
        z.sequence.c1 = number(p, w), z.c.reset();
    else if (p.name == "c0")
        z.sequence.c0 = number(p, w), z.c.reset();
    else if (p.name == "units")
        z.units = units(p, w);
    else
        return false;
    return true;
}

// ZIPV=[Zp Ip Pp Zq Iq Pq Vcutoff]: each three shares summing to 1 (within 0.001, as written to three
// decimals); the cut-off voltage, below which OpenDSS drops the load, is read and not modelled, as
// Vminpu is not.
ZipShares zip_shares(const Param& p, const Where& w) {
    const std::vector<double> v = numbers(p, w);
    if (v.size() != 7)
        w.fail("expected ZIPV as 7 numbers [Zp Ip Pp Zq Iq Pq Vcutoff], got " + std::to_string(v.size()));
    for (std::size_t k = 0; k < 6; ++k)
        if (!std::isfinite(v[k])) w.fail("expected finite ZIPV shares, got '" + p.value + "'");
    for (const std::size_t first : {0u, 3u})
        if (std::abs(v[first] + v[first + 1] + v[first + 2] - 1.0) > 1e-3)
            w.fail(std::string("expected ZIPV's ") + (first == 0 ? "active" : "reactive") +
                   " power shares to sum to 1, got '" + p.value + "'");
    return {v[0], v[1], v[2], v[3], v[4], v[5]};
}

}  // namespace

void set_property(CircuitSpec& e, const Param& p, const Where& w) {
    if (p.name == "bus1")
        e.bus = lower(p.value);
    else if (p.name == "basekv")
        e.kv = positive(p, w);
    else if (p.name == "pu")
        e.per_unit = positive(p, w);
    else if (p.name == "angle")
        e.angle_deg = number(p, w);
    else if (p.name == "phases")
        whole(p, w, 3, 3);
    else if (p.name == "r1" || p.name == "x1" || p.name == "r0" || p.name == "x0")
        number(p, w);  // the source's impedance: the source is ideal here
    else if (!accepted_unmodelled(p.name))
        unknown("Circuit", p, w);
}

// False when `p` is no rating.
bool set_rating(Ratings& r, const Param& p, const Where& w) {
    if (p.name == "normamps")
        r.normal_amps = positive(p, w);
    else if (p.name == "emergamps")
        r.emergency_amps = positive(p, w);
    else
        return false;
    return true;
}

void set_property(LineCodeSpec& e, const Param& p, const Where& w) {
    if (p.name == "nphases")
        e.phases = whole(p, w, 1, 3);
    else if (!set_rating(e.ratings, p, w) && !set_impedance(e.z, p, w) && !accepted_unmodelled(p.name))
        unknown("LineCode", p, w);
}

void set_property(LineSpec& e, const Param& p, const Where& w) {
    if (p.name == "bus1")
        e.bus1 = lower(p.value);
    else if (p.name == "bus2")
        e.bus2 = lower(p.value);
    else if (p.name == "linecode")
        e.linecode = lower(p.value), e.own_impedances = false;
    else if (p.name == "phases")
        e.phases = whole(p, w, 1, 3);
    else if (set_rating(e.ratings, p, w))
        return;
    else if (p.name == "length")
        e.length = positive(p, w);
    else if (p.name == "units")
        e.length_units = units(p, w);
    else if (p.name == "switch") {
        e.is_switch = yes(p, w);
        if (e.is_switch) {
            // What OpenDSS's switch=y sets: a short, low-impedance line.
            e.own_impedances = true;
            e.z = Impedances{};
            e.z.sequence = Sequence{1.0, 1.0, 1.0, 1.0, 1.1, 1.0};
            e.length = 0.001;
            e.length_units = "none";
        }
    } else if (set_impedance(e.z, p, w)) {
        if (p.name == "units")
            e.length_units = e.z.units, e.z.units = "none";
        else
            e.own_impedances = true;
    } else if (!accepted_unmodelled(p.name))
        unknown("Line", p, w);
}

void set_property(TransformerSpec& e, const Param& p, const Where& w) {
    WindingSpec& active = e.windings[e.active_winding];
    auto per_winding = [&](auto apply) {
        const std::vector<std::string> items = words(p);
        if (items.size() != 2)
            w.fail("expected two values for " + p.name + " (one per winding), got '" + p.value + "'");
        for (int k = 0; k < 2; ++k) apply(e.windings[k], Param{p.name, items[k], false});
    };
    if (p.name == "phases")
        e.phases = whole(p, w, 1, 3);
    else if (p.name == "windings")
        whole(p, w, 2, 2);
    else if (p.name == "wdg")
        e.active_winding = whole(p, w, 1, 2) - 1;
    else if (p.name == "bus")
        active.bus = lower(p.value);
    else if (p.name == "conn")
        active.connection = connection(p.value, w);
    else if (p.name == "kv")
        active.kv = positive(p, w);
    else if (p.name == "kva")
        active.kva = positive(p, w);
    else if (p.name == "%r")
        active.percent_r = number(p, w);
    else if (p.name == "tap")
        active.tap = positive(p, w);
    else if (p.name == "buses")
        per_winding([&](WindingSpec& x, const Param& q) { x.bus = lower(q.value); });
    else if (p.name == "conns")
        per_winding([&](WindingSpec& x, const Param& q) { x.connection = connection(q.value, w); });
    else if (p.name == "kvs")
        per_winding([&](WindingSpec& x, const Param& q) { x.kv = positive(q, w); });
    else if (p.name == "kvas")
        per_winding([&](WindingSpec& x, const Param& q) { x.kva = positive(q, w); });
    else if (p.name == "%rs")
        per_winding([&](WindingSpec& x, const Param& q) { x.percent_r = number(q, w); });
    else if (p.name == "taps")
        per_winding([&](WindingSpec& x, const Param& q) { x.tap = positive(q, w); });
    else if (p.name == "xhl" || p.name == "x12")
        e.percent_x = number(p, w);
    else if (p.name == "ppm")
        e.antifloat_ppm = number(p, w);
    else if (p.name == "%loadloss") {
        const double each = number(p, w) / 2.0;
        for (WindingSpec& x : e.windings) x.percent_r = each;
    } else if (!accepted_unmodelled(p.name))
        unknown("Transformer", p, w);
}

void set_property(RegulatorControl& e, const Param& p, const Where& w) {
    if (p.name == "transformer")
        e.transformer = lower(p.value);
    else if (p.name == "winding")
        e.winding = whole(p, w, 1, 2);
    else if (p.name == "vreg")
        e.vreg = positive(p, w);
    else if (p.name == "band")
        e.band = positive(p, w);
    else if (p.name == "ptratio")
        e.pt_ratio = positive(p, w);
    else if (p.name == "ctprim")
        e.ct_primary_a = positive(p, w);
    else if (p.name == "r")
        e.r_volts = number(p, w);
    else if (p.name == "x")
        e.x_volts = number(p, w);
    else if (p.name == "delay")
        e.delay_s = non_negative(p, w);
    else if (p.name == "tapdelay")
        e.tap_delay_s = non_negative(p, w);
    else if (!accepted_unmodelled(p.name))
        unknown("RegControl", p, w);
}

void set_property(LoadSpec& e, const Param& p, const Where& w) {
    Load& l = e.load;
    if (p.name == "bus1")
        e.bus = lower(p.value);
    else if (p.name == "phases")
        l.phases = whole(p, w, 1, 3);
    else if (p.name == "conn")
        l.connection = connection(p.value, w);
    else if (p.name == "kv")
        l.kv = positive(p, w);
    else if (p.name == "kw")
        l.kw = number(p, w);
    else if (p.name == "kvar")
        l.kvar = number(p, w), e.pf.reset();
    else if (p.name == "pf") {
        const double pf = number(p, w);
        if (!(std::abs(pf) > 0.0 && std::abs(pf) <= 1.0))
            w.fail("expected pf in [-1, 1] and not 0, got '" + p.value + "'");
        e.pf = pf;
    } else if (p.name == "model") {
        const int model = whole(p, w, 1, 8);
        if (model != 1 && model != 2 && model != 5 && model != 8)
            w.fail("unsupported load model " + p.value +
                   ": expected 1 (constant PQ), 2 (constant Z), 5 (constant |I|) or 8 (ZIP, with ZIPV)");
        l.model = static_cast<LoadModel>(model);
    } else if (p.name == "zipv") {
        l.zip = zip_shares(p, w);
        e.zipv_given = true;
    } else if (!accepted_unmodelled(p.name))
        unknown("Load", p, w);
}

void set_property(CapacitorSpec& e, const Param& p, const Where& w) {
    Capacitor& c = e.capacitor;
    if (p.name == "bus1")
        e.bus = lower(p.value);
    else if (p.name == "phases")
        c.phases = whole(p, w, 1, 3);
    else if (p.name == "conn")
        c.connection = connection(p.value, w);
    else if (p.name == "kv")
        c.kv = positive(p, w);
    else if (p.name == "kvar")
        c.kvar = number(p, w);
    else if (!accepted_unmodelled(p.name))
        unknown("Capacitor", p, w);
}

}  // namespace evtwin::grid::dss
