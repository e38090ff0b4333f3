package lowp.experiments;

/** A named reproduction with asserted claims. */
public interface Experiment {
    String name();

    String description();

    Outcome run(Options options);

    /**
     * What {@code --format} means for this reproduction, or null if it takes no format (its formats are part of the
     * experiment's design); the CLI then rejects {@code --format} instead of silently ignoring it.
     */
    default String formatOption() {
        return "quantizer / format spec";
    }

    /** What {@code --rounding} means here, or null if the reproduction fixes its roundings (then it is rejected). */
    default String roundingOption() {
        return "rounding rule";
    }

    /**
     * Whether the reproduction's updates go through {@link lowp.optim.Sgd} and so can run on a compute backend
     * ({@code --backend}, {@link Options#backend}); the CLI rejects {@code --backend} for the others.
     */
    default boolean acceptsBackend() {
        return false;
    }
}
