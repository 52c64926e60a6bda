package io.canaryjudge.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Go's heap profiles of one process turned into per-window allocation profiles: pure, no I/O.
 *
 * <p>Go's runtime ({@code runtime/pprof}'s heap profile, {@code net/http/pprof}'s {@code /debug/pprof/heap}) writes
 * {@code alloc_space}/{@code alloc_objects} summed since the process started, beside {@code inuse_*} as of the last
 * collection. Pyroscope's Go SDK sends per-interval differences instead (godeltaprof), with the same column names. A
 * pod's folder of heap profiles saved one per slice (a {@code curl} of {@code /debug/pprof/heap} each minute) judged
 * as they are compares lifetimes: each slice holds every earlier one, an allocation-only change is diluted by the
 * process's start-up and earlier slices, and per request the n-th slice counts n slices' bytes against one slice's
 * requests. Here a profile whose allocations contain the previous one's, site by site, is replaced by its difference
 * from it (the allocations of the window between the two), and the first of such a run keeps only its live objects.
 * Both must be cumulative by their own sign: no site lives more than it allocated (a per-window profile's live objects
 * include ones allocated before its window). Profiles that do not contain their predecessor, or are per-window
 * (godeltaprof), or follow a restart, stay as they are.
 */
public final class GoHeapProfiles {
    /**
     * How much of the previous profile's allocation bytes may be missing from the next one, summed over allocation
     * sites, for the next to count as containing it: Go scales each site's sampled count and bytes by the site's mean
     * object size ({@code scaleHeapSample}), so a site whose sampled sizes change can read a little lower later while
     * its count only grew. Two windows of one process measured apart disagree on far more (each site's value is a fresh
     * sample: in the recorded pods about half the sites, a quarter of the bytes and more).
     */
    static final double MAX_MISSING_FRACTION = 0.02;

    /**
     * How many live bytes above their site's allocated bytes, summed over sites, a profile may hold (as a fraction of its
     * live bytes) and still be cumulative: a site's live objects are its allocations less those freed (same bucket),
     * but Go scales live and allocated values apart by their own mean object size ({@code scaleHeapSample}), so a site
     * can read slightly more live than allocated. A per-window profile (godeltaprof: {@code alloc_*} of the interval,
     * {@code inuse_*} absolute) holds sites whose live objects predate the window, far above this.
     */
    static final double MAX_LIVE_ABOVE_ALLOCATED_FRACTION = 0.02;

    /**
     * The caveat on a window whose two profiles declare different sampling periods (the process changed
     * {@code MemProfileRate}): its samples cannot be told from its values (one text for every such window, so the
     * verdict's warning counts them together).
     */
    public static final String SAMPLES_UNKNOWN = "Go's heap sampling rate (the profile's period) differs from the heap"
            + " profile before it, so this window's allocation samples are unknown: estimated as the fewest its pod's"
            + " counted windows (else any counted profile) allow, so its sampling noise may be overstated";

    private GoHeapProfiles() {
    }

    /**
     * @param profiles     the instance's profiles in the order they were written (time, else file name); only those
     *                     {@link #isGoHeap} are looked at, the rest are returned unchanged
     * @param differenced  how many profiles were replaced by their difference from the one before
     * @param firsts       profiles whose allocations began a run (the process's lifetime up to then): kept for their
     *                     live objects only
     */
    public record Windows(List<Profile> profiles, int differenced, List<String> firsts) {
        public Windows {
            profiles = List.copyOf(profiles);
            firsts = List.copyOf(firsts);
        }
    }

    /**
     * Whether {@code profile} has the columns of Go's heap profile ({@code alloc_space/bytes} and
     * {@code inuse_space/bytes}): written by Go's runtime or by godeltaprof, which cannot be told apart by the file.
     */
    public static boolean isGoHeap(Profile profile) {
        return profile.format() == ProfileFormat.PPROF && column(profile, "alloc_space") >= 0
                && column(profile, "inuse_space") >= 0;
    }

    /** The profiles with every cumulative Go heap profile replaced by its window's allocations (see the class). */
    public static Windows perWindow(List<Profile> profiles) {
        List<Integer> heaps = new ArrayList<>();
        for (int i = 0; i < profiles.size(); i++) {
            if (isGoHeap(profiles.get(i))) {
                heaps.add(i);
            }
        }
        // in the order they were written when every one says when (Go's runtime: the time it wrote the profile)
        if (heaps.stream().allMatch(i -> profiles.get(i).startEpochNanos() > 0)) {
            heaps.sort(Comparator.comparingLong(i -> profiles.get(i).startEpochNanos()));
        }
        List<Profile> out = new ArrayList<>(profiles);
        boolean[] contains = new boolean[heaps.size()];
        boolean any = false;
        for (int h = 1; h < heaps.size(); h++) {
            contains[h] = containsAllocations(profiles.get(heaps.get(h)), profiles.get(heaps.get(h - 1)));
            any |= contains[h];
        }
        if (!any) {
            return new Windows(out, 0, List.of());
        }
        int differenced = 0;
        List<String> firsts = new ArrayList<>();
        for (int h = 0; h < heaps.size(); h++) {
            int at = heaps.get(h);
            Profile profile = profiles.get(at);
            if (contains[h]) {
                out.set(at, difference(profile, profiles.get(heaps.get(h - 1))));
                differenced++;
            } else if (h + 1 < heaps.size() && contains[h + 1]) {
                firsts.add(profile.source());
                String reason = "Go's heap profiles hold allocations since the process started (alloc_space):"
                        + " each later one less the one before it is judged, this one gives live objects only";
                out.set(at, profile.withoutType(ProfileType.ALLOC_BYTES, reason)
                        .withoutType(ProfileType.ALLOC_OBJECTS, reason));
            }
        }
        return new Windows(out, differenced, firsts);
    }

    /**
     * Whether {@code later}'s allocations contain {@code earlier}'s: both are {@link #cumulative}, {@code later} holds
     * at least as many bytes in all, and at most {@link #MAX_MISSING_FRACTION} of {@code earlier}'s bytes are missing,
     * site by site. Containment alone does not tell: per-window profiles contain each other whenever the load rises
     * (and at constant load, by sampling, now and then).
     */
    static boolean containsAllocations(Profile later, Profile earlier) {
        int laterColumn = column(later, "alloc_space");
        int earlierColumn = column(earlier, "alloc_space");
        long earlierTotal = earlier.total(earlierColumn);
        if (earlierTotal <= 0 || later.total(laterColumn) < earlierTotal || !cumulative(earlier)
                || !cumulative(later)) {
            return false;
        }
        Map<Site, long[]> laterSites = sites(later);
        long missing = 0;
        for (Map.Entry<Site, long[]> site : sites(earlier).entrySet()) {
            long before = site.getValue()[earlierColumn];
            long[] after = laterSites.get(site.getKey());
            missing += Math.max(0, before - (after == null ? 0 : after[laterColumn]));
        }
        return missing <= MAX_MISSING_FRACTION * earlierTotal;
    }

    /**
     * Whether {@code profile} can hold allocations since the process started: no more than
     * {@link #MAX_LIVE_ABOVE_ALLOCATED_FRACTION} of its live bytes above their site's allocated bytes.
     */
    static boolean cumulative(Profile profile) {
        int alloc = column(profile, "alloc_space");
        int inuse = column(profile, "inuse_space");
        long above = 0;
        for (long[] site : sites(profile).values()) {
            above += Math.max(0, site[inuse] - site[alloc]);
        }
        return above <= MAX_LIVE_ABOVE_ALLOCATED_FRACTION * profile.total(inuse);
    }

    /**
     * {@code later} with its {@code alloc_*} columns less {@code earlier}'s, site by site (at least 0), its {@code inuse_*}
     * columns its own, over the interval between the two profiles' times when both are known.
     */
    static Profile difference(Profile later, Profile earlier) {
        List<SampleType> types = later.sampleTypes();
        int[] earlierColumn = new int[types.size()];
        boolean[] cumulative = new boolean[types.size()];
        for (int c = 0; c < types.size(); c++) {
            cumulative[c] = types.get(c).type().startsWith("alloc_");
            earlierColumn[c] = column(earlier, types.get(c).type());
        }
        Map<Site, long[]> before = sites(earlier);
        ProfileBuilder builder = new ProfileBuilder(later.source(), later.format(), types, Integer.MAX_VALUE);
        try {
            for (Map.Entry<Site, long[]> site : sites(later).entrySet()) {
                Site key = site.getKey();
                int[] functions = new int[key.rawNames.length];
                for (int d = 0; d < functions.length; d++) {
                    functions[d] = builder.function(key.rawNames[d]);
                }
                int stack = builder.stack(functions, functions.length, builder.labelSet(key.labels));
                long[] earlierValues = before.get(key);
                for (int c = 0; c < types.size(); c++) {
                    long value = site.getValue()[c];
                    if (cumulative[c] && earlierValues != null && earlierColumn[c] >= 0) {
                        value = Math.max(0, value - earlierValues[earlierColumn[c]]);
                    }
                    if (value != 0) {
                        builder.add(stack, c, value);
                    }
                }
            }
        } catch (InvalidProfileException e) {
            throw new IllegalStateException("a stack read once is rebuilt unchanged", e);
        }
        // in-use columns are a snapshot, not cumulative: the window's live_* rows are the later profile's, and so are
        // their samples (qa92's count); the alloc_* counts are undone from the differenced rows below
        for (int c = 0; c < types.size(); c++) {
            if (!cumulative[c] && later.sampleCount(c) >= 0) {
                builder.addSampleCount(c, later.sampleCount(c));
            }
        }
        long start = earlier.startEpochNanos();
        long end = later.startEpochNanos();
        builder.interval(start, start > 0 && end > start ? end - start : 0);
        // the window's rows keep their size, so they undo into this window's samples at the same period; a process
        // whose sampling rate changed between the two has no such count (unknown, and said)
        boolean samePeriod = later.sampledHeapPeriod() == earlier.sampledHeapPeriod();
        if (samePeriod) {
            builder.sampledHeapPeriod(later.sampledHeapPeriod());
        }
        Profile result = GoAllocationCounts.counted(builder.build());
        for (Map.Entry<ProfileType, String> caveat : later.caveats().entrySet()) {
            result = result.withCaveat(caveat.getKey(), caveat.getValue());
        }
        if (!samePeriod) {
            for (ProfileType type : List.of(ProfileType.ALLOC_BYTES, ProfileType.ALLOC_OBJECTS)) {
                if (result.sampleTypeIndex(type) >= 0) {
                    result = result.withCaveat(type, SAMPLES_UNKNOWN);
                }
            }
        }
        return result;
    }

    /** A stack by its functions' names (leaf first) and labels: ids differ between profiles, names do not. */
    private record Site(String[] names, String[] rawNames, Map<String, String> labels) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Site site && Arrays.equals(names, site.names) && labels.equals(site.labels);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(names) * 31 + labels.hashCode();
        }
    }

    /** Each site's values (all columns, summed where two stacks read the same by name). */
    private static Map<Site, long[]> sites(Profile profile) {
        Map<Site, long[]> sites = new HashMap<>();
        int columns = profile.sampleTypes().size();
        for (int s = 0; s < profile.stackCount(); s++) {
            int[] stack = profile.stack(s);
            String[] names = new String[stack.length];
            String[] raw = new String[stack.length];
            for (int d = 0; d < stack.length; d++) {
                names[d] = profile.functionName(stack[d]);
                raw[d] = profile.rawFunctionName(stack[d]);
            }
            long[] values = sites.computeIfAbsent(new Site(names, raw, profile.labels(s)), k -> new long[columns]);
            for (int c = 0; c < columns; c++) {
                values[c] += profile.value(s, c);
            }
        }
        return sites;
    }

    private static int column(Profile profile, String type) {
        List<SampleType> types = profile.sampleTypes();
        for (int c = 0; c < types.size(); c++) {
            if (types.get(c).type().equals(type) && types.get(c).unit().equals(type.endsWith("_space") ? "bytes"
                    : "count")) {
                return c;
            }
        }
        return -1;
    }
}
