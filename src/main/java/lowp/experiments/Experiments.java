package lowp.experiments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Registry of every reproduction (the names {@code experiment --list} prints). */
public final class Experiments {
    private Experiments() {
    }

    public static List<Experiment> all() {
        return List.of(
                new DimensionFreeExperiment(),
                new Sigma1Experiment(),
                new FpSplitExperiment(),
                new PowerNormExperiment(),
                new StagnationExperiment(),
                new AccumulatorExperiment(),
                new BoundsValidExperiment(),
                new LogisticTrainingExperiment(),
                new SgdStagnationExperiment());
    }

    public static Map<String, Experiment> byName() {
        Map<String, Experiment> m = new LinkedHashMap<>();
        for (Experiment e : all()) {
            m.put(e.name(), e);
        }
        return m;
    }

    public static Experiment get(String name) {
        Experiment e = byName().get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown experiment '" + name + "' (try: experiment --list)");
        }
        return e;
    }
}
