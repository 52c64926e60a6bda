package io.canaryjudge.heldout.simulation;

/**
 * What a simulated canary build changes.
 *
 * @param kind      the kind of change
 * @param size      relative change of the target's own cost for CPU_RISE / ALLOC_RISE (0.2 = +20 %);
 *                  the new path's share of the canary's CPU for NEW_HOT_PATH; unused otherwise
 * @param baseShare the target function's true self share before the change (CPU or allocated bytes),
 *                  for CPU_RISE and ALLOC_RISE
 */
public record Change(Kind kind, double size, double baseShare) {

    public enum Kind {
        /** Same build on both sides (A/A). */
        NONE,
        /** An application method's own CPU cost rises. */
        CPU_RISE,
        /** A new application method with library code below it runs in the canary only. */
        NEW_HOT_PATH,
        /** An application method allocates more bytes; CPU unchanged. */
        ALLOC_RISE,
        /** The canary runs a different program. */
        DIFFERENT_PROGRAM
    }

    public static Change none() {
        return new Change(Kind.NONE, 0, 0);
    }

    public static Change cpuRise(double relative, double baseShare) {
        return new Change(Kind.CPU_RISE, relative, baseShare);
    }

    public static Change newHotPath(double share) {
        return new Change(Kind.NEW_HOT_PATH, share, 0);
    }

    public static Change allocRise(double relative, double baseShare) {
        return new Change(Kind.ALLOC_RISE, relative, baseShare);
    }

    public static Change differentProgram() {
        return new Change(Kind.DIFFERENT_PROGRAM, 0, 0);
    }

    public String label() {
        return switch (kind) {
            case NONE -> "A/A";
            case CPU_RISE -> String.format(java.util.Locale.ROOT, "CPU +%.0f %% in an app method at %.0f %%", size * 100,
                    baseShare * 100);
            case NEW_HOT_PATH -> String.format(java.util.Locale.ROOT, "new hot path, %.1f %% of the canary", size * 100);
            case ALLOC_RISE -> String.format(java.util.Locale.ROOT, "alloc +%.0f %% in an app method at %.0f %%",
                    size * 100, baseShare * 100);
            case DIFFERENT_PROGRAM -> "different program";
        };
    }
}
