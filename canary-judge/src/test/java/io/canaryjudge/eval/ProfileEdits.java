package io.canaryjudge.eval;

import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import java.util.function.UnaryOperator;

/** Copies of real or simulated profiles with frames renamed, stacks scaled or a stack added: what a release does to them. */
public final class ProfileEdits {
    private ProfileEdits() {
    }

    /**
     * A copy of {@code p} with every frame renamed by {@code rename} (applied to normalised names), the stacks
     * through {@code scaledFrame} (a name after renaming; null: none) multiplied by {@code factor} in every column,
     * and a stack {@code addedPath} (frames root first, separated by ";"; null: none) holding {@code addedShare}
     * of each column's new total. Sample counts follow the totals.
     */
    public static Profile edited(Profile p, UnaryOperator<String> rename, String scaledFrame, double factor,
                                 String addedPath, double addedShare) {
        try {
            ProfileBuilder b = new ProfileBuilder(p.source(), p.format(), p.sampleTypes(), 4096);
            int columns = p.sampleTypes().size();
            double[] newTotal = new double[columns];
            for (int s = 0; s < p.stackCount(); s++) {
                int depth = p.stackDepth(s);
                int[] frames = new int[depth];
                boolean scaled = false;
                for (int d = 0; d < depth; d++) {
                    String name = rename.apply(p.functionName(p.stackFunction(s, d)));
                    frames[d] = b.function(name);
                    scaled |= name.equals(scaledFrame);
                }
                int stack = b.stack(frames, depth, b.labelSet(p.labels(s)));
                for (int c = 0; c < columns; c++) {
                    long value = scaled ? Math.round(p.value(s, c) * factor) : p.value(s, c);
                    b.add(stack, c, value);
                    newTotal[c] += value;
                }
            }
            if (addedPath != null) {
                String[] names = addedPath.split(";");
                int[] frames = new int[names.length];
                for (int d = 0; d < names.length; d++) {
                    frames[d] = b.function(names[names.length - 1 - d]);
                }
                int stack = b.stack(frames, frames.length, 0);
                for (int c = 0; c < columns; c++) {
                    long value = Math.round(newTotal[c] * addedShare / (1 - addedShare));
                    b.add(stack, c, value);
                    newTotal[c] += value;
                }
            }
            return finish(b, p, newTotal);
        } catch (InvalidProfileException e) {
            throw new IllegalStateException(p.source() + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code p} with the own time of {@code from} moved into a new callee {@code into}: every stack whose leaf is
     * {@code from} gets {@code into} as its new leaf, its values times {@code factor} — a release that extracts a
     * method's loop into a helper (JDK 25's {@code StringLatin1.hashCode} calling {@code ArraysSupport.hashCodeOfUnsigned}).
     */
    public static Profile extracted(Profile p, String from, String into, double factor) {
        try {
            ProfileBuilder b = new ProfileBuilder(p.source(), p.format(), p.sampleTypes(), 4096);
            int columns = p.sampleTypes().size();
            double[] newTotal = new double[columns];
            for (int s = 0; s < p.stackCount(); s++) {
                int depth = p.stackDepth(s);
                boolean moved = depth > 0 && p.functionName(p.stackFunction(s, 0)).equals(from);
                int[] frames = new int[depth + (moved ? 1 : 0)];
                int offset = 0;
                if (moved) {
                    frames[0] = b.function(into);
                    offset = 1;
                }
                for (int d = 0; d < depth; d++) {
                    frames[d + offset] = b.function(p.functionName(p.stackFunction(s, d)));
                }
                int stack = b.stack(frames, frames.length, b.labelSet(p.labels(s)));
                for (int c = 0; c < columns; c++) {
                    long value = moved ? Math.round(p.value(s, c) * factor) : p.value(s, c);
                    b.add(stack, c, value);
                    newTotal[c] += value;
                }
            }
            return finish(b, p, newTotal);
        } catch (InvalidProfileException e) {
            throw new IllegalStateException(p.source() + ": " + e.getMessage(), e);
        }
    }

    /** The edited profile: sample counts scaled with each column's new total, the original's time interval. */
    private static Profile finish(ProfileBuilder b, Profile p, double[] newTotal) throws InvalidProfileException {
        for (int c = 0; c < newTotal.length; c++) {
            if (p.sampleCount(c) >= 0) {
                b.addSampleCount(c, Math.round(p.sampleCount(c) * newTotal[c] / Math.max(1, p.total(c))));
            }
        }
        b.interval(p.startEpochNanos(), p.durationNanos());
        return b.build();
    }
}
