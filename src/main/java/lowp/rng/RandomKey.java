package lowp.rng;

/**
 * An immutable (seed, stream, step) triple: the random words of one tensor at one training step. Element
 * {@code i} uses {@code Philox.word(seed, stream, step, i)} (docs/rng.md), whatever the thread count or chunking.
 */
public final class RandomKey {
    private final long seed;
    private final int stream;
    private final int step;

    private RandomKey(long seed, int stream, int step) {
        this.seed = seed;
        this.stream = stream;
        this.step = step;
    }

    /** @param step training step, 0 &lt;= step &lt; 2^32 */
    public static RandomKey of(long seed, int stream, long step) {
        return new RandomKey(seed, stream, Philox.stepWord(step));
    }

    public static RandomKey of(long seed) {
        return new RandomKey(seed, 0, 0);
    }

    public long seed() { return seed; }

    public int stream() { return stream; }

    /** The step, in [0, 2^32). */
    public long step() { return step & 0xFFFFFFFFL; }

    /** The same seed and stream at another step. */
    public RandomKey atStep(long newStep) {
        return new RandomKey(seed, stream, Philox.stepWord(newStep));
    }

    /** The same seed and step on another stream. */
    public RandomKey onStream(int newStream) {
        return new RandomKey(seed, newStream, step);
    }

    /** The random word of element {@code index}. */
    public long word(long index) {
        return Philox.word(seed, stream, step & 0xFFFFFFFFL, index);
    }

    /** Words of elements {@code start .. start+len)} into {@code out[off ..]}. */
    public void fill(long start, long[] out, int off, int len) {
        Philox.fill(seed, stream, step, start, out, off, len);
    }

    @Override
    public String toString() {
        return "RandomKey(seed=" + seed + ", stream=" + stream + ", step=" + step() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RandomKey && ((RandomKey) o).seed == seed && ((RandomKey) o).stream == stream
                && ((RandomKey) o).step == step;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seed) * 31 * 31 + stream * 31 + step;
    }
}
