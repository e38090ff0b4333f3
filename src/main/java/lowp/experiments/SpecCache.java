package lowp.experiments;

import lowp.optim.Quantizer;
import lowp.round.Rounding;

import java.util.IdentityHashMap;
import java.util.Map;

/** Remembers the spec each experiment quantizer was built from, to rebuild it with another rounding. */
final class SpecCache {
    private SpecCache() {
    }

    private static final Map<Quantizer, String> SPECS = java.util.Collections.synchronizedMap(new IdentityHashMap<>());

    static Quantizer make(String spec, Rounding r, long seed) {
        Quantizer q = lowp.optim.Quantizers.parse(spec, r, seed);
        SPECS.put(q, spec);
        return q;
    }

    static Quantizer get(Quantizer q, Rounding r) {
        String spec = SPECS.get(q);
        if (spec == null) {
            throw new IllegalStateException("unknown quantizer " + q.name());
        }
        return lowp.optim.Quantizers.parse(spec, r, 0);
    }
}
