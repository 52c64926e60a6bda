package io.canaryjudge.profile;

import java.util.Comparator;
import java.util.List;

/**
 * What a JVM's JIT did in one profile's time, from the JDK's own events when the recording carries them (the JDK's JFR,
 * or async-profiler's with {@code jfrsync} and a settings file enabling them): {@code jdk.Compilation} (a method
 * compiled, at which tier), {@code jdk.Deoptimization} (compiled code of a method thrown away at an uncommon trap, with
 * HotSpot's reason and action) and {@code jdk.ClassDefine} (a class defined, a hidden one too). Names are frame names
 * as profiles spell them ({@link FrameNames#normalize}: generated suffixes stripped, so a class spun per request is one
 * name). Lists are most frequent first.
 *
 * @param compilations    methods compiled (successfully or not), with how many times
 * @param deoptimisations methods deoptimised, by reason and action, with how many times
 * @param classes         classes defined, with how many
 */
public record JitEvents(List<Count> compilations, List<Deoptimisation> deoptimisations, List<Count> classes) {
    /** No events: a recording that carries none of these events gives profiles without {@link JitEvents}. */
    public static final JitEvents NONE = new JitEvents(List.of(), List.of(), List.of());

    public JitEvents {
        compilations = sorted(compilations, Count::count);
        deoptimisations = sorted(deoptimisations, Deoptimisation::count);
        classes = sorted(classes, Count::count);
    }

    /**
     * A method compiled, or a class defined, {@code count} times; for compilations, {@code topTier} of them at the
     * optimising compiler's tier (C2, level 4), {@code failed} of them not installed (a compile HotSpot skipped, e.g.
     * "call site target change").
     */
    public record Count(String name, long count, long topTier, long failed) {
    }

    /** A method's compiled code thrown away {@code count} times at an uncommon trap ({@code reason}, {@code action}). */
    public record Deoptimisation(String method, String reason, String action, long count) {
    }

    /** Events of every kind. */
    public long total() {
        return compilations.stream().mapToLong(Count::count).sum()
                + deoptimisations.stream().mapToLong(Deoptimisation::count).sum()
                + classes.stream().mapToLong(Count::count).sum();
    }

    private static <T> List<T> sorted(List<T> items, java.util.function.ToLongFunction<T> count) {
        return items.stream().sorted(Comparator.comparingLong(count).reversed()).toList();
    }
}
