package io.canaryjudge.profile.testing;

/**
 * A JVM's wall-clock samples as Pyroscope stores them: its JFR parser files async-profiler's wall execution samples as
 * one {@code wall/nanoseconds} column, period type {@code wall/nanoseconds} (series
 * {@code wall:wall:nanoseconds:wall:nanoseconds}), with no {@code samples/count} column beside it. async-profiler's own
 * converter ({@code JfrToPprof --wall --total}) writes the same samples and values under the column name {@code cpu};
 * this renames the column and period type, values and stacks untouched.
 */
public final class JvmWallAsStored {
    private JvmWallAsStored() {
    }

    /** @param converterPprof {@code JfrToPprof --wall --total} of a wall recording: one nanoseconds column */
    public static byte[] of(byte[] converterPprof) {
        PprofMessage pprof = PprofMessage.decode(converterPprof);
        if (pprof.sampleTypes.size() != 1 || !pprof.sampleTypes.get(0).unit().equals("nanoseconds")) {
            throw new IllegalArgumentException("expected one nanoseconds column, got " + pprof.sampleTypes);
        }
        pprof.sampleTypes.set(0, new PprofMessage.ValueType("wall", "nanoseconds"));
        pprof.periodType = new PprofMessage.ValueType("wall", "nanoseconds");
        return pprof.encode();
    }
}
