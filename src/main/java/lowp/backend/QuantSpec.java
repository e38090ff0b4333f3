package lowp.backend;

import lowp.format.Format;
import lowp.round.Rounding;

/**
 * Array quantization: every element is rounded once into {@code format} under {@code rounding}; for the
 * stochastic modes element i of the array consumes the random word of index i of {@code key}.
 */
public record QuantSpec(Format format, Rounding rounding, RngKey key) {
    public QuantSpec {
        Specs.checkStorable(format, "quantize target");
        if (rounding == null) throw new IllegalArgumentException("missing rounding");
        if (key == null) key = RngKey.DEFAULT;
    }

    public QuantSpec(Format format, Rounding rounding) {
        this(format, rounding, RngKey.DEFAULT);
    }
}
