package io.canaryjudge.profile;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Limits and choices for reading one profile file. The limits make sure no input can exhaust
 * memory or run unbounded: every reader checks them and fails with {@link InvalidProfileException}.
 *
 * @param maxDecompressedBytes most bytes a gzip stream may inflate to (default 1 GiB)
 * @param maxStackDepth        most frames in one stack (default 8192); deeper stacks are an error
 * @param maxSamples           most samples/events read from one file (default 200 million)
 * @param collapsedType        what the values of collapsed text mean; {@code null} when not given
 *                             (collapsed input then fails with a message asking for it)
 * @param slice                split a timestamped recording (JFR) into slices of this length;
 *                             {@code null} for one profile per file
 * @param types                the profile types the caller will use; {@code null} for all. A reader
 *                             may skip decoding the others (the JFR reader does: with only {@code cpu} asked for, a
 *                             recording's allocation events are skipped by their size, not decoded),
 *                             so profiles read with a set may lack the columns not in it; they
 *                             may also hold some that were not asked for
 */
public record ReadOptions(long maxDecompressedBytes, int maxStackDepth, long maxSamples,
                          ProfileType collapsedType, Duration slice, Set<ProfileType> types) {

    public static final long DEFAULT_MAX_DECOMPRESSED_BYTES = 1L << 30;
    public static final int DEFAULT_MAX_STACK_DEPTH = 8192;
    public static final long DEFAULT_MAX_SAMPLES = 200_000_000L;

    /**
     * What to do about a file over {@link #maxSamples()}: neither {@code compare} nor the service has a
     * setting for the limit (a file that large would not fit the judge's memory), so the remedy is
     * smaller files, which both take as slices of one instance ({@code collapse} adds its {@code --max-samples}).
     */
    public static final String TOO_MANY_SAMPLES_REMEDY =
            "split it into shorter recordings (one file per time slice of the instance)";

    public ReadOptions {
        if (maxDecompressedBytes <= 0) {
            throw new IllegalArgumentException("maxDecompressedBytes must be > 0, was " + maxDecompressedBytes);
        }
        if (maxStackDepth <= 0) {
            throw new IllegalArgumentException("maxStackDepth must be > 0, was " + maxStackDepth);
        }
        if (maxSamples <= 0) {
            throw new IllegalArgumentException("maxSamples must be > 0, was " + maxSamples);
        }
        if (slice != null && (slice.isNegative() || slice.isZero())) {
            throw new IllegalArgumentException("slice must be positive, was " + slice);
        }
        if (types != null) {
            if (types.isEmpty()) {
                throw new IllegalArgumentException("types must name at least one profile type (null for all)");
            }
            types = Set.copyOf(EnumSet.copyOf(types));
        }
    }

    /** Options that read every profile type (the form before {@link #types()} existed). */
    public ReadOptions(long maxDecompressedBytes, int maxStackDepth, long maxSamples,
                       ProfileType collapsedType, Duration slice) {
        this(maxDecompressedBytes, maxStackDepth, maxSamples, collapsedType, slice, null);
    }

    /** Whether {@code type} is to be read: always when {@link #types()} is {@code null}. */
    public boolean wants(ProfileType type) {
        return types == null || types.contains(type);
    }

    public static ReadOptions defaults() {
        return new ReadOptions(DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_MAX_STACK_DEPTH, DEFAULT_MAX_SAMPLES, null, null);
    }

    public ReadOptions withCollapsedType(ProfileType type) {
        return new ReadOptions(maxDecompressedBytes, maxStackDepth, maxSamples, type, slice, types);
    }

    public ReadOptions withSlice(Duration newSlice) {
        return new ReadOptions(maxDecompressedBytes, maxStackDepth, maxSamples, collapsedType, newSlice, types);
    }

    public ReadOptions withMaxDecompressedBytes(long bytes) {
        return new ReadOptions(bytes, maxStackDepth, maxSamples, collapsedType, slice, types);
    }

    public ReadOptions withMaxStackDepth(int depth) {
        return new ReadOptions(maxDecompressedBytes, depth, maxSamples, collapsedType, slice, types);
    }

    public ReadOptions withMaxSamples(long samples) {
        return new ReadOptions(maxDecompressedBytes, maxStackDepth, samples, collapsedType, slice, types);
    }

    /**
     * Options that read only {@code wanted} (and whatever a reader gets for free with them), for a
     * caller that needs one column, such as the {@code collapse} command; {@code null} reads all.
     */
    public ReadOptions withTypes(Set<ProfileType> wanted) {
        return new ReadOptions(maxDecompressedBytes, maxStackDepth, maxSamples, collapsedType, slice, wanted);
    }
}
