package lowp.experiments;

/** A named reproduction with asserted claims. */
public interface Experiment {
    String name();

    String description();

    Outcome run(Options options);
}
