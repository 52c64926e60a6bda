package io.canaryjudge.judge;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SamplingSetting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Caveats about the inputs themselves, for {@code dataQuality.warnings}: what the profiles say about how they
 * were taken, before anything is compared. Warnings only: the comparison goes ahead (benchstat's habit: a
 * caveat is data carried to the output, not a reason to refuse).
 */
final class InputComparability {
    private InputComparability() {
    }

    /**
     * A warning when the baseline's and canary's CPU profiles declare different sampling (async-profiler
     * {@code event=cpu} against {@code event=itimer}, or different intervals), naming which pods used which;
     * null when they agree or do not say. perf_events charges a sample to the thread whose CPU time ran out, a
     * process-wide timer signal to whichever thread runs when it fires; another interval changes how short
     * functions and short-lived threads show. Shares then differ function by function without any code change.
     */
    static String cpuSampling(List<Observation> baseline, List<Observation> canary) {
        Map<SamplingSetting, List<String>> pods = new LinkedHashMap<>();
        add(pods, baseline, "baseline");
        add(pods, canary, "canary");
        List<SamplingSetting> settings = new ArrayList<>(pods.keySet());
        boolean differ = false;
        for (int i = 0; i < settings.size() && !differ; i++) {
            for (int j = i + 1; j < settings.size() && !differ; j++) {
                differ = settings.get(i).differsFrom(settings.get(j));
            }
        }
        if (!differ) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<SamplingSetting, List<String>> entry : pods.entrySet()) {
            parts.add(entry.getKey().describe() + ": " + String.join(", ", entry.getValue()));
        }
        return "cpu profiles were sampled differently, so their shares are comparable only roughly (a function's share"
                + " moves with the sampling engine and interval, not only with the code): " + String.join("; ", parts)
                + "; record both groups with the same profiler settings";
    }

    private static void add(Map<SamplingSetting, List<String>> pods, List<Observation> group, String name) {
        for (Observation o : group) {
            SamplingSetting setting = o.profile().sampleTypeIndex(ProfileType.CPU) >= 0 ? o.profile().cpuSampling() : null;
            if (setting == null) {
                continue;
            }
            List<String> names = pods.computeIfAbsent(setting, k -> new ArrayList<>());
            String pod = name + " " + o.instance();
            if (!names.contains(pod)) {
                names.add(pod);
            }
        }
    }

    /**
     * One warning per judged type that the readers left out of some baseline or canary profiles (async-profiler's
     * allocation samples give no object count), with their reason and how many profiles it concerns.
     */
    static List<String> leftOutTypes(List<Observation> baseline, List<Observation> canary, Set<ProfileType> judged) {
        Map<ProfileType, Map<String, Integer>> reasons = new LinkedHashMap<>();
        int profiles = baseline.size() + canary.size();
        for (List<Observation> group : List.of(baseline, canary)) {
            for (Observation o : group) {
                o.profile().leftOutTypes().forEach((type, reason) -> {
                    if (judged.contains(type)) {
                        reasons.computeIfAbsent(type, k -> new LinkedHashMap<>()).merge(reason, 1, Integer::sum);
                    }
                });
            }
        }
        List<String> warnings = new ArrayList<>();
        reasons.forEach((type, byReason) -> byReason.forEach((reason, count) -> warnings.add(String.format(Locale.ROOT,
                "%s not judged in %d of %d profile(s): %s", type.id(), count, profiles, reason))));
        return warnings;
    }

    /**
     * One warning per judged type whose values in some baseline or canary profiles are not what the type's name says
     * ({@link io.canaryjudge.profile.Profile#caveats()}: alloc_objects from Pyroscope for async-profiler's recordings
     * counts allocation samples), with the reason and how many of the profiles holding the type it concerns. The type
     * is still judged: the service fetches what the request names.
     */
    static List<String> caveats(List<Observation> baseline, List<Observation> canary, Set<ProfileType> judged) {
        Map<ProfileType, Map<String, Integer>> reasons = new LinkedHashMap<>();
        Map<ProfileType, Integer> holding = new LinkedHashMap<>();
        for (List<Observation> group : List.of(baseline, canary)) {
            for (Observation o : group) {
                for (ProfileType type : judged) {
                    if (o.profile().sampleTypeIndex(type) < 0) {
                        continue;
                    }
                    holding.merge(type, 1, Integer::sum);
                    String reason = o.profile().caveats().get(type);
                    if (reason != null) {
                        reasons.computeIfAbsent(type, k -> new LinkedHashMap<>()).merge(reason, 1, Integer::sum);
                    }
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        reasons.forEach((type, byReason) -> byReason.forEach((reason, count) -> warnings.add(String.format(Locale.ROOT,
                "%s in %d of %d profile(s) is not what its name says: %s", type.id(), count,
                holding.get(type), reason))));
        return warnings;
    }
}
