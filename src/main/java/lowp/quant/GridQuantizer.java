package lowp.quant;

import lowp.format.Format;
import lowp.ref.RefOps;
import lowp.round.Env;
import lowp.round.Mode;
import lowp.round.Rounding;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Objects;

/**
 * Quantization onto an explicit finite grid of doubles (non-linear quantization, seed 002 §1.2): inputs
 * inside [min, max] are rounded to one of their two neighbouring grid points under a {@link Rounding}, inputs
 * outside are saturated to the nearest end (deterministically), NaN gives NaN.
 *
 * <p>Rounding between neighbours lo &lt; x &lt; hi, with "up" meaning away from zero (the neighbour of larger
 * magnitude; for lo &lt; 0 &lt; hi, hi when x &gt; 0): the fraction f = |x - near| / (hi - lo) is computed exactly
 * and decided as in {@link Rounding} (sr: up iff word &lt; f*2^64; srN: floor(f 2^N) + top N bits &gt;= 2^N;
 * sr-equal: up iff word &lt; 0). rne/rna: nearest, ties to the even grid index / away from zero; rtz: toward
 * zero; rup/rdn: toward +/-infinity; rto: the neighbour with odd grid index. The encoding of a value is its
 * index in the sorted grid.
 *
 * <p>Factories: {@link #logarithmic} (q0 = 0, q_{i+1} - q_i = delta + zeta q_i), {@link #linear} (any delta),
 * {@link #paperFloat} (seed 002's normal / denormal FPQ sets).
 */
public final class GridQuantizer extends Quantizer {
    private final double[] grid;
    private final BigDecimal[] exact;
    private final Rounding rounding;
    private final BigDecimal naturalZeta;
    private final String name;

    /**
     * @param points finite values, sorted or not, duplicates removed; at least 2
     * @param naturalZeta the zeta used by {@link VarianceParams#of(Quantizer)} (0 for a linear grid)
     */
    public GridQuantizer(double[] points, Rounding rounding, BigDecimal naturalZeta, String name) {
        double[] g = points.clone();
        Arrays.sort(g);
        int n = 0;
        for (int i = 0; i < g.length; i++) {
            if (!Double.isFinite(g[i])) {
                throw new IllegalArgumentException("grid point " + g[i] + " is not finite");
            }
            if (g[i] == 0.0) g[i] = 0.0; // -0.0 -> +0.0
            if (n == 0 || g[i] != g[n - 1]) g[n++] = g[i];
        }
        if (n < 2) {
            throw new IllegalArgumentException("a grid needs at least 2 distinct points");
        }
        this.grid = Arrays.copyOf(g, n);
        this.exact = new BigDecimal[n];
        for (int i = 0; i < n; i++) exact[i] = new BigDecimal(grid[i]);
        this.rounding = Objects.requireNonNull(rounding);
        this.naturalZeta = naturalZeta == null ? BigDecimal.ZERO : naturalZeta;
        this.name = name == null ? "grid(" + n + " points)" : name;
    }

    /**
     * Seed 002's logarithmic quantizer with b bits: q0 = 0, q_{i+1} = q_i + delta + zeta q_i, points
     * q_0 .. q_{2^(b-1)-1} and -q_1 .. -q_{2^(b-1)} (2^b points). The recursion is evaluated exactly (BigDecimal)
     * and each point is then rounded to the nearest double (exact whenever the recursion stays within 53 bits,
     * e.g. for dyadic delta and zeta and small b).
     */
    public static GridQuantizer logarithmic(double delta, double zeta, int b, Rounding rounding) {
        if (!(delta > 0) || !(zeta >= 0) || b < 1 || b > 20) {
            throw new IllegalArgumentException("bad logarithmic quantizer (delta=" + delta + ", zeta=" + zeta
                    + ", b=" + b + "): need delta > 0, zeta >= 0, 1 <= b <= 20");
        }
        int n = 1 << (b - 1);
        BigDecimal d = new BigDecimal(delta), z = new BigDecimal(zeta);
        BigDecimal one = BigDecimal.ONE.add(z);
        double[] pts = new double[2 * n];
        BigDecimal q = BigDecimal.ZERO;
        MathContext mc = new MathContext(200); // far beyond double precision; only the final rounding matters
        for (int i = 0; i <= n; i++) {
            double v = Double.longBitsToDouble(RefOps.fromBigDecimal(Format.BINARY64, q, Env.rne()));
            if (i < n) pts[i] = v;
            if (i >= 1) pts[n + i - 1] = -v;
            q = q.multiply(one, mc).add(d, mc);
        }
        return new GridQuantizer(pts, rounding, z, "log(delta=" + delta + ",zeta=" + zeta + ",b=" + b + "," + rounding + ")");
    }

    /** Linear grid dom(delta, b) of Li &amp; De Sa for any delta: k*delta, k in [-2^(b-1), 2^(b-1)-1]. */
    public static GridQuantizer linear(double delta, int b, Rounding rounding) {
        if (!(delta > 0) || b < 1 || b > 20) {
            throw new IllegalArgumentException("bad linear grid (delta=" + delta + ", b=" + b + ")");
        }
        int n = 1 << (b - 1);
        double[] pts = new double[2 * n];
        BigDecimal d = new BigDecimal(delta);
        for (int k = -n; k < n; k++) {
            BigDecimal v = d.multiply(BigDecimal.valueOf(k));
            long bits = RefOps.fromBigDecimal(Format.BINARY64, v, Env.rne());
            pts[k + n] = k == 0 ? 0.0 : Double.longBitsToDouble(bits);
        }
        return new GridQuantizer(pts, rounding, BigDecimal.ZERO, "linear(delta=" + delta + ",b=" + b + "," + rounding + ")");
    }

    /**
     * Seed 002's floating-point quantization sets (§1.5) with b_e exponent and b_m mantissa bits and scale
     * s = 2^scaleExp: normal FPQ = {0} and s(1 + x/n_m)2^y, y = -n_e/2+2 .. n_e/2-1; denormal FPQ replaces the
     * lowest binade by s (x/n_m) 2^(-n_e/2+3). Symmetric, saturating, no Inf/NaN.
     */
    public static GridQuantizer paperFloat(int be, int bm, int scaleExp, boolean denormal, Rounding rounding) {
        if (be < 2 || be > 10 || bm < 0 || bm > 20 || be + bm > 20) {
            throw new IllegalArgumentException("bad paper FPQ (b_e=" + be + ", b_m=" + bm
                    + "): need 2 <= b_e <= 10, 0 <= b_m, b_e + b_m <= 20 (at most about 2^21 grid points)");
        }
        int ne = 1 << be, nm = 1 << bm;
        java.util.List<Double> pos = new java.util.ArrayList<>();
        pos.add(0.0);
        int yLo = -ne / 2 + 2;
        if (denormal) {
            for (int x = 1; x < nm; x++) pos.add(Math.scalb((double) x / nm, -ne / 2 + 3 + scaleExp));
            yLo = -ne / 2 + 3;
        }
        for (int y = yLo; y <= ne / 2 - 1; y++) {
            for (int x = 0; x < nm; x++) pos.add(Math.scalb(1 + (double) x / nm, y + scaleExp));
        }
        double[] pts = new double[2 * pos.size() - 1];
        int k = 0;
        for (double v : pos) {
            pts[k++] = v;
            if (v != 0) pts[k++] = -v;
        }
        return new GridQuantizer(pts, rounding, new BigDecimal(Math.scalb(1.0, -bm)),
                "paperFloat(be=" + be + ",bm=" + bm + ",s=2^" + scaleExp + (denormal ? ",denormal" : ",normal")
                        + "," + rounding + ")");
    }

    /** The sorted grid (a copy). */
    public double[] grid() {
        return grid.clone();
    }

    public Rounding rounding() {
        return rounding;
    }

    /** The zeta of the grid's construction (0 for linear, zeta for logarithmic, 2^-b_m for paper FPQ). */
    public BigDecimal naturalZeta() {
        return naturalZeta;
    }

    @Override
    public boolean isStochastic() {
        return rounding.isStochastic();
    }

    @Override
    public boolean hasEncoding() {
        return true;
    }

    @Override
    public int width() {
        return 64 - Long.numberOfLeadingZeros(grid.length - 1);
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * The code of NaN: a grid has no NaN point, so NaN encodes to this sentinel (all 64 bits set, outside the
     * index range [0, n)), element by element, also inside arrays (no exception part way through);
     * {@link #decode} maps it back to NaN, so decode(encode(NaN)) = quantize(NaN) = NaN.
     */
    public static final long NAN_CODE = -1L;

    /** The grid index of the quantized value; NaN gives {@link #NAN_CODE}. */
    @Override
    public long encode(double x, long random) {
        int n = grid.length;
        if (Double.isNaN(x)) {
            return NAN_CODE;
        }
        if (x <= grid[0]) return 0;
        if (x >= grid[n - 1]) return n - 1;
        int i = Arrays.binarySearch(grid, x);
        if (i >= 0) return i;
        int hiI = -i - 1, loI = hiI - 1; // grid[loI] < x < grid[hiI]
        return choose(x, loI, hiI, random) ? hiI : loI;
    }

    /** Whether x (strictly between grid[loI] and grid[hiI]) goes to hi. */
    private boolean choose(double x, int loI, int hiI, long random) {
        int f = chooseFast(x, loI, hiI, random);
        return f >= 0 ? f == 1 : chooseExact(x, loI, hiI, random);
    }

    /** Bits needed per integer in {@link #chooseFast}: every scaled value below 2^62 in magnitude. */
    private static final int FAST_BITS = 62;

    /**
     * The decision of {@link #chooseExact} in long arithmetic, or -1 where that is not provably exact.
     *
     * <p>Why it is exact: x, lo and hi are doubles, i.e. m * 2^e with an integer m of at most 53 bits. With E the
     * smallest exponent of the lowest set bit among the non-zero ones, each is an integer multiple X, L, H of 2^E;
     * when all three are below 2^62 in magnitude (else: -1, fall back) the distance to the toward-zero neighbour
     * D = X - L (x &gt; 0) or H - X and the gap G = H - L are exact longs with 0 &lt; D &lt; G &lt; 2^63, and the
     * fraction f = D/G is the same rational as the BigDecimal path's dist/gap (the common factor 2^E cancels).
     * rne/rna compare 2D (exact as an unsigned 64-bit value) with G; the other modes get f's first 64 bits
     * floor(D 2^64 / G) and its sticky bit by exact binary long division (D &lt; G &lt; 2^63, so the doubled
     * remainder fits in 64 unsigned bits) and decide with {@link Decide#up}, as the exact path does.
     */
    int chooseFast(double x, int loI, int hiI, long random) {
        boolean pos = x > 0;
        Mode m = rounding.mode();
        switch (m) {
            case RUP: return 1;
            case RDN: return 0;
            case RTZ: return pos ? 0 : 1;
            case RTO: return hiI & 1;
            case SR_EQUAL: return pos == (random < 0) ? 1 : 0;
            default: break;
        }
        double lo = grid[loI], hi = grid[hiI];
        int e = Math.min(lsbExp(x), Math.min(lsbExp(lo), lsbExp(hi)));
        long bx = scaled(x, e), bl = scaled(lo, e), bh = scaled(hi, e);
        if (bx == Long.MIN_VALUE || bl == Long.MIN_VALUE || bh == Long.MIN_VALUE) return -1;
        long dist = pos ? bx - bl : bh - bx, gap = bh - bl; // 0 < dist < gap < 2^63
        boolean away;
        if (m == Mode.RNE || m == Mode.RNA) {
            int c = Long.compareUnsigned(dist << 1, gap);
            if (c != 0) {
                away = c > 0;
            } else if (m == Mode.RNA) {
                away = true;
            } else {
                int awayIdx = pos ? hiI : loI;
                away = (awayIdx & 1) == 0;
            }
        } else {
            long rem = dist, f64 = 0;
            for (int i = 0; i < 64; i++) { // rem < gap < 2^63: rem << 1 is exact as unsigned
                rem <<= 1;
                f64 <<= 1;
                if (Long.compareUnsigned(rem, gap) >= 0) {
                    rem -= gap;
                    f64 |= 1;
                }
            }
            away = Decide.up(rounding, !pos, false, f64, rem != 0, random);
        }
        return pos == away ? 1 : 0;
    }

    /** Exponent of the lowest set bit of |v| (Integer.MAX_VALUE for zero). */
    private static int lsbExp(double v) {
        long b = Double.doubleToRawLongBits(v) & Long.MAX_VALUE;
        if (b == 0) return Integer.MAX_VALUE;
        int be = (int) (b >>> 52);
        long mant = b & ((1L << 52) - 1);
        if (be == 0) return -1074 + Long.numberOfTrailingZeros(mant);
        return be - 1075 + Long.numberOfTrailingZeros(mant | (1L << 52));
    }

    /** v / 2^e as a long when that is an integer below 2^62 in magnitude, else Long.MIN_VALUE. */
    private static long scaled(double v, int e) {
        long b = Double.doubleToRawLongBits(v);
        long mag = b & Long.MAX_VALUE;
        if (mag == 0) return 0;
        int be = (int) (mag >>> 52);
        long mant = mag & ((1L << 52) - 1);
        int exp;
        if (be == 0) {
            exp = -1074;
        } else {
            mant |= 1L << 52;
            exp = be - 1075;
        }
        int tz = Long.numberOfTrailingZeros(mant);
        mant >>>= tz;
        exp += tz; // v = +-mant * 2^exp, mant odd, exp >= e
        int shift = exp - e;
        if (shift < 0 || shift + 64 - Long.numberOfLeadingZeros(mant) > FAST_BITS) return Long.MIN_VALUE;
        long r = mant << shift;
        return b < 0 ? -r : r;
    }

    /** The BigDecimal decision (the reference semantics; package-private for the fast-path property test). */
    boolean chooseExact(double x, int loI, int hiI, long random) {
        BigDecimal vx = new BigDecimal(x), lo = exact[loI], hi = exact[hiI];
        boolean pos = x > 0;
        Mode m = rounding.mode();
        switch (m) {
            case RUP: return true;
            case RDN: return false;
            case RTZ: return !pos;
            case RTO: return (hiI & 1) == 1;
            default: break;
        }
        BigDecimal gap = hi.subtract(lo);
        BigDecimal dist = pos ? vx.subtract(lo) : hi.subtract(vx); // distance from the toward-zero neighbour
        // fraction dist/gap as 64 bits plus sticky
        BigDecimal scaled = dist.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(64)));
        BigDecimal[] qr = scaled.divideAndRemainder(gap);
        long f64 = qr[0].toBigIntegerExact().longValue(); // < 2^64
        boolean low = qr[1].signum() != 0;
        boolean away;
        if (m == Mode.RNE || m == Mode.RNA) {
            int c = dist.multiply(BigDecimal.valueOf(2)).compareTo(gap);
            if (c != 0) {
                away = c > 0;
            } else if (m == Mode.RNA) {
                away = true;
            } else {
                int awayIdx = pos ? hiI : loI;
                away = (awayIdx & 1) == 0;
            }
        } else {
            away = Decide.up(rounding, !pos, false, f64, low, random);
        }
        return pos == away;
    }

    @Override
    public double decode(long bits) {
        if (bits == NAN_CODE) return Double.NaN;
        if (bits < 0 || bits >= grid.length) {
            throw new IllegalArgumentException("code " + bits + " is not a grid index of " + this + " (0.."
                    + (grid.length - 1) + ", or NAN_CODE)");
        }
        return grid[(int) bits];
    }

    @Override
    public double quantize(double x, long random) {
        if (Double.isNaN(x)) return Double.NaN;
        return grid[(int) encode(x, random)];
    }

    /** Helper for VarianceParams. */
    BigDecimal[] exactPoints() {
        return exact.clone();
    }
}
