package io.canaryjudge.profile;

import java.time.Duration;

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
 */
public record ReadOptions(long maxDecompressedBytes, int maxStackDepth, long maxSamples,
                          ProfileType collapsedType, Duration slice) {

    public static final long DEFAULT_MAX_DECOMPRESSED_BYTES = 1L << 30;
    public static final int DEFAULT_MAX_STACK_DEPTH = 8192;
    public static final long DEFAULT_MAX_SAMPLES = 200_000_000L;

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
    }

    public static ReadOptions defaults() {
        return new ReadOptions(DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_MAX_STACK_DEPTH, DEFAULT_MAX_SAMPLES, null, null);
    }

    public ReadOptions withCollapsedType(ProfileType type) {
        return new ReadOptions(maxDecompressedBytes, maxStackDepth, maxSamples, type, slice);
    }

    public ReadOptions withSlice(Duration newSlice) {
        return new ReadOptions(maxDecompressedBytes, maxStackDepth, maxSamples, collapsedType, newSlice);
    }

    public ReadOptions withMaxDecompressedBytes(long bytes) {
        return new ReadOptions(bytes, maxStackDepth, maxSamples, collapsedType, slice);
    }

    public ReadOptions withMaxStackDepth(int depth) {
        return new ReadOptions(maxDecompressedBytes, depth, maxSamples, collapsedType, slice);
    }

    public ReadOptions withMaxSamples(long samples) {
        return new ReadOptions(maxDecompressedBytes, maxStackDepth, samples, collapsedType, slice);
    }
}
