package dev.braid.privacy.accountant;

/**
 * The work one accountant request may do, counted in series terms as they are summed: every RDP
 * value is a sum of terms (α + 1 at an integer order, up to {@link RdpAccountant#MAX_SERIES_TERMS}
 * at a fractional one), so terms × evaluations × mechanisms × orders is what a request costs. A
 * count, not a clock, so the same request gets the same answer on any machine under any load.
 * Used by one thread at a time.
 */
public final class Work {

    /** The request needed more terms than its limit; what it computed so far is thrown away. */
    public static final class Exhausted extends RuntimeException {

        private final long limit;

        Exhausted(long limit) {
            super("more than " + limit + " series terms", null, false, false);
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    private final long limit;
    private long terms;

    private Work(long limit) {
        this.limit = limit;
    }

    /** A meter that refuses past {@code limit} terms. */
    public static Work upTo(long limit) {
        return new Work(limit);
    }

    /** No limit: for tests and measurements, never for what a caller asks. */
    public static Work unbounded() {
        return new Work(Long.MAX_VALUE);
    }

    /**
     * Counts {@code n} more terms; throws {@link Exhausted} once the total passes the limit, and
     * stops a computation whose thread was interrupted (its caller gave up waiting for it).
     */
    void charge(long n) {
        terms += n;
        if (terms > limit) {
            throw new Exhausted(limit);
        }
        if (Thread.interrupted()) {
            throw new java.util.concurrent.CancellationException("the accountant's computation was abandoned");
        }
    }

    /** The terms summed so far. */
    public long terms() {
        return terms;
    }
}
