package io.canaryjudge.analysis;

import io.canaryjudge.analysis.ObservationFetcher.GroupWindow;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.source.Deadline;
import io.canaryjudge.source.FailureKind;
import io.canaryjudge.source.GuardedProfileSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What was asked of the source and what came back, turned into plain sentences: {@linkplain #gaps() gaps}
 * (baseline or canary data that is missing — the verdict cannot be a PASS or a FAIL on them) and warnings
 * (caveats: history missing, no pods matched, warm-up excluded). Not thread-safe: fed after each round.
 */
final class FetchLog {
    /** Lines of one kind listed before "and N more": keeps verdicts small when many pods fail alike. */
    private static final int MAX_LINES = 12;

    private final ProfileSource source;
    private final Deadline deadline;
    private final Map<String, Step> steps = new LinkedHashMap<>();
    private final List<String> gaps = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    /** Canary pods whose warm-up was already reported (once, not once per profile type). */
    private final Set<String> warmedUp = new HashSet<>();

    /** One (group window, type): was listing its pods done, and how did each pod's fetch go. */
    private static final class Step {
        final GroupWindow at;
        final ProfileType type;
        boolean listed;
        Throwable listFailure;
        int pods;
        final Map<String, Integer> slicesAsked = new LinkedHashMap<>();
        final Map<String, Throwable> failures = new LinkedHashMap<>();
        final Map<String, Boolean> done = new LinkedHashMap<>();

        Step(GroupWindow at, ProfileType type) {
            this.at = at;
            this.type = type;
        }
    }

    FetchLog(ProfileSource source, Deadline deadline) {
        this.source = source;
        this.deadline = deadline;
    }

    private Step step(GroupWindow at, ProfileType type) {
        return steps.computeIfAbsent(at.label() + "|" + type.id(), k -> new Step(at, type));
    }

    void expectDiscovery(GroupWindow at, ProfileType type) {
        step(at, type);
    }

    void discovered(GroupWindow at, ProfileType type, List<SourceInstance> instances, Throwable failure) {
        Step step = step(at, type);
        step.listed = true;
        step.listFailure = failure;
        step.pods = instances.size();
    }

    void expectInstance(GroupWindow at, ProfileType type, SourceInstance instance, int slices) {
        Step step = step(at, type);
        step.slicesAsked.put(instance.name(), slices);
        step.done.put(instance.name(), false);
    }

    void fetched(GroupWindow at, ProfileType type, SourceInstance instance, int profiles, Throwable failure) {
        Step step = step(at, type);
        step.done.put(instance.name(), true);
        if (failure != null) {
            step.failures.put(instance.name(), failure);
        }
    }

    /** Canary pods whose every slice in the window fell within their warm-up, so none was fetched. */
    private final Set<String> wholeWarmup = new TreeSet<>();

    /** Canary pods none of whose slices were fetched because the window held nothing after their warm-up. */
    List<String> warmupOnly() {
        return List.copyOf(wholeWarmup);
    }

    void warmup(SourceInstance instance, int excluded, Instant warm, boolean all) {
        if (all) {
            wholeWarmup.add(instance.name());
        }
        if (excluded > 0 && warmedUp.add(instance.name())) {
            warnings.add("canary pod " + instance.name() + " started at " + instance.firstSeen() + ", inside the window: "
                    + excluded + " slice(s) before " + warm + " left out as warm-up");
        }
    }

    /** Canary pods whose profiles stopped and resumed inside the window, each silence once (not once per type). */
    private final Map<String, List<TimeWindow>> silences = new TreeMap<>();

    Map<String, List<TimeWindow>> silences() {
        Map<String, List<TimeWindow>> copy = new TreeMap<>();
        silences.forEach((pod, list) -> copy.put(pod, List.copyOf(list)));
        return copy;
    }

    /**
     * A canary pod's profiles stopped at {@code silence.start()} and were back by {@code silence.end()}: its slices
     * from the one that stopped to {@code warm} ({@code excluded} of them) were left out.
     */
    void silence(SourceInstance instance, TimeWindow silence, int excluded, Instant warm,
                 boolean all) {
        List<TimeWindow> pod = silences.computeIfAbsent(instance.name(),
                k -> new ArrayList<>());
        if (pod.contains(silence)) {
            return;
        }
        pod.add(silence);
        if (all) {
            wholeWarmup.add(instance.name());
        }
        warnings.add("canary pod " + instance.name() + " sent no profiles from " + second(silence.start()) + " until "
                + second(silence.end()) + ", inside the window: it restarted (a new JVM under the same name:"
                + " OOMKilled, a failed liveness probe) or its profiler did not upload; " + excluded + " slice(s) from "
                + "then to " + second(warm) + " left out as a new JVM's warm-up");
    }

    /** An instant to the second, as people read times in a warning (series steps end a millisecond before it). */
    static String second(Instant at) {
        return Instant.ofEpochSecond(Math.round(at.toEpochMilli() / 1000.0)).toString();
    }

    /** Whether a pod's slices left out of the window are already said: a canary's warm-up or silence. */
    boolean explained(Group group, String pod) {
        return group == Group.CANARY && (warmedUp.contains(pod) || silences.containsKey(pod));
    }

    void warning(String line) {
        warnings.add(line);
    }

    /** Turns what is still outstanding and what failed into sentences. */
    void finish() {
        List<String> failed = new ArrayList<>();
        List<String> historyLines = new ArrayList<>();
        for (Step step : steps.values()) {
            boolean history = step.at.group() == Group.HISTORY;
            List<String> lines = history ? historyLines : failed;
            String what = step.type.id() + " profiles of the " + step.at.label() + " pods";
            if (!step.listed) {
                lines.add("listing the " + step.at.label() + " pods with " + step.type.id()
                        + " profiles had not finished when the " + deadline.allowedText() + " deadline came");
                continue;
            }
            if (step.listFailure != null) {
                lines.add("the " + step.at.label() + " pods with " + step.type.id() + " profiles could not be listed: "
                        + oneLine(step.listFailure));
                continue;
            }
            if (step.pods == 0 && !history) {
                warnings.add("no " + step.at.label() + " pods with " + step.type.id() + " profiles match "
                        + describe(step.at.selector()) + (source.timeAware() ? " between " + step.at.window().start()
                        + " and " + step.at.window().end() : "") + " (source: " + source.name() + ")");
            }
            int outstanding = 0;
            int outstandingSlices = 0;
            for (Map.Entry<String, Boolean> done : step.done.entrySet()) {
                if (!done.getValue()) {
                    outstanding++;
                    outstandingSlices += step.slicesAsked.get(done.getKey());
                }
            }
            int asked = step.slicesAsked.size();
            if (!step.failures.isEmpty()) {
                int slices = step.failures.keySet().stream().mapToInt(step.slicesAsked::get).sum();
                lines.add(what + ": " + step.failures.size() + " of " + asked + " pods (" + slices
                        + " slices) could not be fetched: " + oneLine(cause(step.failures.values())));
            }
            if (outstanding > 0) {
                lines.add(what + ": " + outstanding + " of " + asked + " pods (" + outstandingSlices
                        + " slices) had not arrived when the " + deadline.allowedText() + " deadline came");
            }
        }
        gaps.addAll(capped(failed));
        for (String line : capped(historyLines)) {
            warnings.add("history (noise only): " + line);
        }
    }

    List<String> gaps() {
        return List.copyOf(gaps);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    private static List<String> capped(List<String> lines) {
        if (lines.size() <= MAX_LINES) {
            return lines;
        }
        List<String> kept = new ArrayList<>(lines.subList(0, MAX_LINES));
        kept.add("and " + (lines.size() - MAX_LINES) + " more like these");
        return kept;
    }

    /** {@code application "shop", rollouts_pod_template_hash="7f9b6c5d4"} — values quoted, as in a selector. */
    static String describe(ProfileSelector selector) {
        StringBuilder text = new StringBuilder("application \"").append(selector.application()).append('"');
        for (LabelMatcher matcher : selector.labels()) {
            text.append(", ").append(matcher.name()).append("=\"").append(matcher.value()).append('"');
        }
        return text.toString();
    }

    /**
     * The failure that says most about the source: one it answered or refused with rather than a call its open
     * circuit refused (those say why the circuit opened, but a pod's own failure is nearer the cause).
     */
    private static Throwable cause(Collection<Throwable> failures) {
        return failures.stream().filter(e -> GuardedProfileSource.kindOf(e) != FailureKind.CIRCUIT_OPEN).findFirst()
                .orElse(failures.iterator().next());
    }

    static String oneLine(Throwable failure) {
        String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        return message.replaceAll("[\\r\\n]+", " ");
    }
}
