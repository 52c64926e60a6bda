package io.canaryjudge.profile.source.pyroscope;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SamplingSetting;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What Pyroscope's answers say about how a pod's profiles were recorded, the way the JFR reader reads it from a
 * recording's settings (facts from grafana/pyroscope and grafana/jfr-parser, the parser Pyroscope ingests JFR with):
 *
 * <ul>
 *   <li><b>No declared period.</b> The merged pprof of {@code SelectMergeProfile} declares its period by the profile
 *       type's name alone: {@code SetProfileMetadata} (pyroscope {@code pkg/pprof/pprof.go}) writes period 1 s for
 *       every {@code process_cpu} answer, 512 KiB for {@code memory}, 1 otherwise, whatever the pods were sampled
 *       at; the period stored with each ingested profile is never returned.</li>
 *   <li><b>The interval in the values.</b> jfr-parser ({@code pprof/pprof.go}, {@code addValues}) writes each CPU
 *       sample as {@code 1e9 / sampleRate} nanoseconds, the Java agent sending {@code sampleRate} = its interval in
 *       Hz; merging only adds. Every stack's value is therefore a multiple of the interval, and the stacks seen once
 *       weigh exactly one interval: the greatest common divisor of the stack values is the interval once a few stacks
 *       weigh exactly that (in Pyroscope's own conversion of a Kafka recording, 299 of 359 stacks did).</li>
 *   <li><b>The engine in a label.</b> jfr-parser labels every series of a recording {@code jfr_event} with
 *       async-profiler's {@code event} setting ({@code cpu}, {@code itimer}, {@code wall}); the JDK's own recordings
 *       have no such setting, so the label is empty.</li>
 *   <li><b>Allocation counts.</b> jfr-parser counts every {@code jdk.ObjectAllocationInNewTLAB} /
 *       {@code OutsideTLAB} event as one object ({@code alloc_in_new_tlab_objects}) and adds its {@code tlabSize} /
 *       {@code allocationSize} as bytes. async-profiler writes one such event per allocation <em>sample</em> (one
 *       every {@code alloc} bytes, weighing max(interval, object size) in 4.x), so for its recordings the count is
 *       a number of samples, not of objects: the CLI's JFR reader leaves that column out for the same reason.</li>
 * </ul>
 */
final class PyroscopeRecordingSettings {
    /** The series label jfr-parser sets to async-profiler's {@code event} setting. */
    static final String JFR_EVENT_LABEL = "jfr_event";

    /**
     * Stacks that must weigh exactly the common divisor before it is taken as the interval: if the interval were a
     * k-th of it, each of them would hold exactly k samples and no stack a single one, which a profile with a
     * single-sample tail never shows.
     */
    static final int MIN_STACKS_AT_INTERVAL = 5;

    /** 1 µs and 1 s, nanoseconds: the intervals a sampling profiler runs at (Pyroscope's period is 1e9 / Hz). */
    private static final long MIN_INTERVAL_NANOS = 1_000L;
    private static final long MAX_INTERVAL_NANOS = 1_000_000_000L;

    private PyroscopeRecordingSettings() {
    }

    /**
     * How the cpu column of {@code profile} (one merged answer, or the sum of several) was sampled, as far as the
     * data say: async-profiler's {@code event} when the pod's series carry exactly one {@code jfr_event}, and the
     * interval the values are multiples of (see the class comment); null when neither is known.
     *
     * @param jfrEvents the non-empty {@code jfr_event} values of the pod's series in the slices' time range
     */
    static SamplingSetting cpuSampling(Profile profile, Set<String> jfrEvents) {
        String engine = jfrEvents.size() == 1 ? "async-profiler event=" + jfrEvents.iterator().next() : null;
        long interval = intervalNanos(profile);
        return engine == null && interval == 0 ? null : new SamplingSetting(engine, interval);
    }

    /** The interval the cpu column's stack values are multiples of, nanoseconds; 0 when they do not show one. */
    static long intervalNanos(Profile profile) {
        int column = profile.sampleTypeIndex(ProfileType.CPU);
        if (column < 0) {
            return 0;
        }
        long divisor = 0;
        for (int s = 0; s < profile.stackCount(); s++) {
            long value = profile.value(s, column);
            if (value > 0) {
                divisor = SamplingSetting.commonDivisor(divisor, value);
            }
        }
        if (divisor < MIN_INTERVAL_NANOS || divisor > MAX_INTERVAL_NANOS) {
            return 0;
        }
        int atDivisor = 0;
        for (int s = 0; s < profile.stackCount() && atDivisor < MIN_STACKS_AT_INTERVAL; s++) {
            if (profile.value(s, column) == divisor) {
                atDivisor++;
            }
        }
        return atDivisor >= MIN_STACKS_AT_INTERVAL ? divisor : 0;
    }

    /**
     * Why an {@code alloc_objects} answer counts samples, not objects, or null when it does not: the type is
     * fetched from TLAB event counts ({@code alloc_in_new_tlab_objects}, {@code alloc_outside_tlab_objects}) and the
     * pod's series say async-profiler wrote the recording ({@code jfr_event}).
     *
     * @param ids       the Pyroscope profile type IDs the type was fetched from
     * @param jfrEvents the non-empty {@code jfr_event} values of the pod's series
     */
    static String allocObjectsCaveat(List<String> ids, Set<String> jfrEvents) {
        boolean tlabCounts = ids.stream().anyMatch(id -> id.contains(":alloc_in_new_tlab_objects:")
                || id.contains(":alloc_outside_tlab_objects:"));
        if (!tlabCounts || jfrEvents.isEmpty()) {
            return null;
        }
        return String.format(Locale.ROOT, "it counts async-profiler's allocation samples, not objects: Pyroscope"
                        + " stores each sample of these pods' recordings (%s=%s) as one object, and async-profiler takes"
                        + " one per alloc interval of bytes, so the count follows alloc_bytes; judge alloc_bytes",
                JFR_EVENT_LABEL, String.join(",", jfrEvents));
    }
}
