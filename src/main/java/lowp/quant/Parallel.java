package lowp.quant;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fixed chunking of an index range [0, n) into chunks of a size that depends only on n's alignment unit, run
 * on up to {@code threads} threads. Which thread runs which chunk is irrelevant to the results: every element's
 * random word depends on its index only.
 */
final class Parallel {
    /** Elements per chunk (rounded up to a multiple of the alignment unit). */
    static final int CHUNK = 1 << 16;

    /**
     * The chunk size in use: {@link #CHUNK}, changed only by tests (package-private {@link #withChunk}) so that
     * arrays of a few thousand elements already run as many chunks on many threads, through this same code.
     */
    private static volatile int chunkSize = CHUNK;

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lowp-quant");
        t.setDaemon(true);
        return t;
    });

    interface RangeTask {
        void run(int lo, int hi);
    }

    private Parallel() {
    }

    /** Runs {@code body} with chunks of {@code size} elements (tests only; not thread-safe across tests). */
    static void withChunk(int size, Runnable body) {
        if (size < 1) {
            throw new IllegalArgumentException("bad chunk size " + size);
        }
        int saved = chunkSize;
        chunkSize = size;
        try {
            body.run();
        } finally {
            chunkSize = saved;
        }
    }

    /** Number of chunks forRange splits n elements into (for tests). */
    static int chunks(int n, int align) {
        long chunk = ((long) Math.max(chunkSize, align) + align - 1) / align * align;
        return (int) ((n + chunk - 1) / chunk);
    }

    static void forRange(int n, int threads, int align, RangeTask task) {
        if (threads < 1) {
            throw new IllegalArgumentException("bad thread count " + threads + " (must be >= 1)");
        }
        if (n <= 0) {
            return;
        }
        long chunk = ((long) Math.max(chunkSize, align) + align - 1) / align * align;
        int nChunks = (int) ((n + chunk - 1) / chunk);
        if (threads == 1 || nChunks == 1) {
            task.run(0, n);
            return;
        }
        final long ch = chunk;
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            int c;
            while ((c = next.getAndIncrement()) < nChunks) {
                long lo = c * ch;
                task.run((int) lo, (int) Math.min(n, lo + ch));
            }
        };
        int helpers = Math.min(threads, nChunks) - 1;
        List<Future<?>> fs = new ArrayList<>(helpers);
        for (int t = 0; t < helpers; t++) {
            fs.add(POOL.submit(worker));
        }
        RuntimeException first = null;
        try {
            worker.run();
        } catch (RuntimeException e) {
            first = e;
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
                            : new IllegalStateException(e.getCause());
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
