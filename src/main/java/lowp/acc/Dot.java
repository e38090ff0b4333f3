package lowp.acc;

/** Single dot products d = c + x·y under an {@link AccumulatorModel}. Random-word element index 0. */
public final class Dot {
    private Dot() {
    }

    /**
     * d = c + x·y; x, y hold values of the model's input format, c a value of its output format (stored
     * exactly as doubles; a value not in the format is an IllegalArgumentException). The result is exact.
     */
    public static double dot(double[] x, double[] y, double c, AccumulatorModel model) {
        return dot(x, y, c, model, new AccContext());
    }

    public static double dot(double[] x, double[] y, double c, AccumulatorModel model, AccContext ctx) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("dot: x has " + x.length + " values, y has " + y.length);
        }
        long[] px = new long[x.length];
        long[] py = new long[y.length];
        for (int i = 0; i < x.length; i++) {
            px[i] = Packed.fromDouble(model.inputFormat(), x[i]);
            py[i] = Packed.fromDouble(model.inputFormat(), y[i]);
        }
        long pc = Packed.fromDouble(model.outputFormat(), c);
        Lane lane = new Lane(ctx.random);
        lane.start(0);
        long d = model.dotPacked(px, 0, 1, py, 0, 1, x.length, pc, lane);
        ctx.flags |= lane.env.flags;
        return Packed.toDouble(d);
    }

    public static float dot(float[] x, float[] y, float c, AccumulatorModel model) {
        double[] dx = new double[x.length];
        double[] dy = new double[y.length];
        for (int i = 0; i < x.length; i++) dx[i] = x[i];
        for (int i = 0; i < y.length; i++) dy[i] = y[i];
        return (float) dot(dx, dy, c, model);
    }

    /** d = c + x·y on bit patterns (x, y: input format; c and the result: output format). */
    public static long dotBits(long[] x, long[] y, long c, AccumulatorModel model, AccContext ctx) {
        Lane lane = new Lane(ctx.random);
        lane.start(0);
        long d = model.dotBits(x, y, c, lane);
        ctx.flags |= lane.env.flags;
        return d;
    }
}
