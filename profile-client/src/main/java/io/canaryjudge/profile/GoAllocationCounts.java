package io.canaryjudge.profile;

import io.canaryjudge.profile.pprof.EffectiveSamples;
import java.util.List;

/**
 * The samples behind Go's allocation columns ({@code alloc_objects/count}, {@code alloc_space/bytes}): pure, no I/O.
 *
 * <p>Go's runtime (and godeltaprof) keeps one sample per {@code MemProfileRate} bytes allocated on average (512 KiB by
 * default, the profile's {@code period}) and writes each row scaled up: a row of k samples of objects of size s reads
 * k / (1 − e^(−s/period)) objects and as many times s bytes ({@code runtime/pprof}'s {@code scaleHeapSample}). Its
 * memory profile keys a row by stack and size (the {@code bytes} label), so k = objects · (1 − e^(−(bytes/objects) /
 * period)) undoes the scaling row by row, a whole number up to the runtime's truncation. A row of 16-byte objects then
 * reads 32,768 objects for one sample. Without this the columns had no count and their noise was learned from slices
 * alone: an object one pod's sampler caught once and the others' never read as a new allocation site at p = 0.
 *
 * <p>The difference of two cumulative profiles of one process ({@link GoHeapProfiles}) keeps each row's size, so its
 * rows undo the same way into this window's samples (later count less earlier count). Each column gets Kish's effective
 * number over its rows, (Σv)² / Σ(v²/k): the count itself when every sample weighs the same, fewer when a few samples
 * carry most of the column (a 16-byte sample weighs 32,768 objects, a 600 KiB one a single object).
 */
public final class GoAllocationCounts {
    /** Go's allocation column names and units, as its runtime and godeltaprof write them. */
    static final String OBJECTS = "alloc_objects";
    static final String SPACE = "alloc_space";

    private GoAllocationCounts() {
    }

    /**
     * {@code profile} with the sample counts of its Go allocation columns, when it has both, declares its sampling
     * period in bytes ({@link Profile#sampledHeapPeriod()}) and neither count is known yet; else {@code profile} itself
     * (a profile that does not say its period keeps its counts unknown, and the judge learns their noise as before).
     */
    public static Profile counted(Profile profile) {
        long period = profile.sampledHeapPeriod();
        int objects = column(profile, OBJECTS, "count", ProfileType.ALLOC_OBJECTS);
        int bytes = column(profile, SPACE, "bytes", ProfileType.ALLOC_BYTES);
        if (period <= 0 || objects < 0 || bytes < 0 || profile.sampleCount(objects) > 0
                || profile.sampleCount(bytes) > 0) {
            return profile;
        }
        double samples = 0;
        double objectSquares = 0; // Σ v² / k over the rows, per column
        double byteSquares = 0;
        long objectTotal = 0;
        long byteTotal = 0;
        for (int s = 0; s < profile.stackCount(); s++) {
            long o = profile.value(s, objects);
            long b = profile.value(s, bytes);
            if (o <= 0 || b <= 0) {
                continue; // scaleHeapSample writes 0, 0 for an empty row; a differenced row of nothing new
            }
            double k = rowSamples(o, b, period);
            samples += k;
            objectSquares += (double) o * o / k;
            byteSquares += (double) b * b / k;
            objectTotal += o;
            byteTotal += b;
        }
        if (samples <= 0) {
            return profile;
        }
        long n = Math.round(samples);
        return profile.withSampleCount(ProfileType.ALLOC_OBJECTS, Math.max(1, EffectiveSamples.of(n, objectTotal,
                        objectSquares)))
                .withSampleCount(ProfileType.ALLOC_BYTES, Math.max(1, EffectiveSamples.of(n, byteTotal, byteSquares)));
    }

    /**
     * The samples behind one row of {@code objects} objects and {@code bytes} bytes scaled from a sampler taking one
     * sample per {@code period} bytes: k = objects · (1 − e^(−(bytes/objects)/period)), rounded (the runtime counts
     * whole samples and truncates the scaled values), at least 1 (a row that holds anything holds a sample).
     */
    static double rowSamples(long objects, long bytes, long period) {
        return Math.max(1, Math.round(EffectiveSamples.ofSampledHeapRow(objects, bytes, period)));
    }

    /** The column named {@code type}/{@code unit} that maps to {@code mapped}, or -1. */
    private static int column(Profile profile, String type, String unit, ProfileType mapped) {
        List<SampleType> types = profile.sampleTypes();
        for (int c = 0; c < types.size(); c++) {
            SampleType t = types.get(c);
            if (t.type().equals(type) && t.unit().equals(unit) && t.profileType() == mapped) {
                return c;
            }
        }
        return -1;
    }
}
