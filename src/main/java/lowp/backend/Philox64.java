package lowp.backend;

/**
 * The 64-bit random word of element {@code index} of stream {@code stream} at step {@code step} under
 * {@code seed}: Philox4x32-10 with key (lo32(seed), hi32(seed)), counter (lo32(index/2), hi32(index/2),
 * stream, step), word = lane 0 ? x1:x0 : x3:x2 (lane = index &amp; 1). This is the mapping of docs/rng.md
 * (lowp.rng.Philox); it is repeated here, in the form the kernels use, so that the backends can be checked
 * against it. {@code PhiloxAgreementTest} pins it to lowp.rng.Philox.
 */
public final class Philox64 {
    private Philox64() {
    }

    public static long word(long seed, int stream, long step, long index) {
        final long mask = 0xFFFFFFFFL;
        int c0 = (int) (index >>> 1), c1 = (int) (index >>> 33), c2 = stream, c3 = (int) step;
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        for (int r = 0; r < 10; r++) {
            if (r > 0) {
                k0 += 0x9E3779B9;
                k1 += 0xBB67AE85;
            }
            long p0 = 0xD2511F53L * (c0 & mask);
            long p1 = 0xCD9E8D57L * (c2 & mask);
            c0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            c1 = (int) p1;
            c2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c3 = (int) p0;
        }
        return (index & 1) == 0 ? ((long) c1 << 32) | (c0 & mask) : ((long) c3 << 32) | (c2 & mask);
    }

    public static long word(RngKey key, long index) {
        return word(key.seed(), key.stream(), key.step(), index);
    }
}
