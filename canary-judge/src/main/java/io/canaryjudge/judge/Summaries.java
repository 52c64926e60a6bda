package io.canaryjudge.judge;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.GroupQuality;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.TypeQuality;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The words of a verdict: the one-sentence summary, each incident's and each finding's explanation. */
final class Summaries {
    private Summaries() {
    }

    static String label(ProfileType type) {
        return switch (type) {
            case CPU -> "CPU";
            case WALL -> "wall time";
            case ALLOC_BYTES -> "allocated bytes";
            case ALLOC_OBJECTS -> "allocated objects";
            case LOCK_DELAY -> "lock wait time";
            case LOCK_COUNT -> "lock contentions";
            case LIVE_BYTES -> "live bytes";
            case LIVE_OBJECTS -> "live objects";
            case OLD_LIVE_OBJECTS -> "live objects older than " + ProfileType.OLD_OBJECT_AGE_MINUTES + " min";
            case MALLOC_BYTES -> "native bytes allocated";
            // not freed by the end of the recording that sampled them: a leak, or blocks a Cleaner frees after a later
            // collection (recorded, qa51: an Inflater dropped without end())
            case MALLOC_LEAK_BYTES -> "native bytes not freed in the recording";
            case GOROUTINES -> "goroutines";
        };
    }

    /**
     * What a type's total per request is of: its {@link #label}, but for wall time the time of every sampled thread —
     * idle pool threads and the JVM's own included — which "wall time per request 72.1 ms" for requests of ~5 ms
     * (recorded, qa32) let a release engineer read as each request's latency.
     */
    /** Said beside a change of a type whose counts are samples ({@link ProfileType#countsSamples}), instead of amounts. */
    static final String SAMPLED_COUNTS = "the profiler counts sampled allocations, not objects, so only the change is"
            + " given";

    static String perRequestLabel(ProfileType type) {
        return type == ProfileType.WALL ? "wall time of all threads" : label(type);
    }

    /**
     * The label of a compared cost per request: wall per request is compared only as the busy time of Node's one
     * JavaScript thread ({@link TypeAnalysis#comparesTotalPerRequest(TypeContext)}).
     */
    static String comparedPerRequestLabel(ProfileType type) {
        return type == ProfileType.WALL ? "the JavaScript thread's busy time" : label(type);
    }

    /**
     * Names the failing incidents, lead first ("FAIL: new hot path under `X`, …; `Y` +12 % …"). One change
     * seen in several profile types (CPU and allocation) is named once, with the other types in brackets.
     * A canary that does not resemble the baseline ({@code programFindings}) is said first.
     */
    static String fail(List<Finding> programFindings, List<Incident> incidents, List<Finding> findings) {
        return "FAIL: " + failingChanges(programFindings, incidents, findings, "failing change(s)") + ".";
    }

    /**
     * The failing changes named as {@link #fail} names them, without the result word: the two first, then
     * "N more {@code others}".
     */
    static String failingChanges(List<Finding> programFindings, List<Incident> incidents, List<Finding> findings,
                                 String others) {
        Map<String, List<Incident>> byEntryFrame = new LinkedHashMap<>();
        for (Incident incident : incidents) {
            if (incident.failing()) {
                byEntryFrame.computeIfAbsent(incident.entryFrame(), e -> new ArrayList<>()).add(incident);
            }
        }
        List<String> parts = new ArrayList<>();
        for (Finding f : programFindings) {
            if (f.failing() && parts.isEmpty()) {
                parts.add(phrase(f));
            }
        }
        int named = parts.size();
        for (List<Incident> same : byEntryFrame.values()) {
            if (parts.size() == 2) {
                break;
            }
            String also = same.stream().skip(1).map(i -> label(i.profileType())).distinct()
                    .collect(Collectors.joining(", "));
            parts.add(same.get(0).summary() + (also.isEmpty() ? "" : " (also in " + also + ")"));
        }
        if (parts.isEmpty()) { // no incident (cannot happen when a finding fails): name the findings
            for (Finding f : findings) {
                if (f.failing() && parts.size() < 2) {
                    parts.add(phrase(f));
                }
            }
        }
        int more = byEntryFrame.size() - (parts.size() - named);
        // A failing cost per request that joined an incident named for a function (the lead rising one of its type)
        // is said too: a canary whose every function got slower alike (a JVM flag that keeps code at C1: CPU per
        // operation +133 %) shows only small share changes, and "new hot path under `decode`, 1.0 % of CPU" alone
        // hid that each request cost more than twice as much.
        for (Finding f : findings) {
            // Said already only where a part carries the total's own rise ("allocated bytes per request +50 %"), not
            // where a named new path gives its own cost ("53.6 KiB of allocated bytes per request").
            String total = " per request " + signedPercent(f.relativeChange());
            if (f.failing() && f.kind() == FindingKind.COST_PER_REQUEST && f.function().equals(Judge.TOTAL)
                    && parts.stream().noneMatch(p -> p.contains(total))) {
                parts.add(phrase(f));
            }
        }
        return String.join("; ", parts) + (more > 0 ? "; " + more + " more " + others : "");
    }

    static String pass(List<Finding> findings, List<Incident> incidents,
                       List<IncidentBuilder.CostlessWrapper> costlessWrappers, List<TypeQuality> qualities,
                       JudgeConfig config) {
        String types = qualities.stream().filter(TypeQuality::judged).map(q -> q.profileType().id())
                .collect(Collectors.joining(", "));
        int tested = qualities.stream().mapToInt(TypeQuality::functionsTested).sum();
        StringBuilder text = new StringBuilder("PASS: no material regression in ").append(types)
                .append(" (").append(tested).append(" function comparisons)");
        qualities.stream()
                .filter(q -> q.judged() && q.profileType() == ProfileType.CPU && q.minimumDetectableChange5pct() != null)
                .findFirst()
                .ifPresent(q -> text.append(detectable(q.minimumDetectableChange5pct())
                        ? "; a change of " + Judge.percent(q.minimumDetectableChange5pct())
                                + " in a function at 5 % of CPU would have been detected"
                        : "; but these data could not have detected any rise of a function at 5 % of CPU"));
        // A new frame that wraps old code at no cost of its own is no rise: "1 rise(s) reported …, the largest: new frame
        // `Quotes.traced` wrapping `…`, no cost of its own" counted it as one (qa67).
        long concerns = findings.stream().filter(f -> !f.failing()
                && (f.kind() == FindingKind.REGRESSION || f.kind() == FindingKind.NEW_HOT_PATH)
                && costlessWrappers.stream().noneMatch(w -> w.is(f))).count();
        if (concerns > 0) {
            text.append("; ").append(concerns).append(" rise(s) reported but not counted as regressions (each says why)");
            // Named as "the largest" rise only when it shows as one: an incident grouped for a rise below its entry frame
            // (allocations moved into `Object.clone`) can show the entry frame's own fall ("`…publish` -25 %").
            incidents.stream().filter(i -> !i.failing()
                            && (i.kind() == FindingKind.REGRESSION || i.kind() == FindingKind.NEW_HOT_PATH)
                            && (i.relativeChange() == null || i.relativeChange() > 0)
                            && costlessWrappers.stream().noneMatch(w -> w.type() == i.profileType()
                            && w.frame().equals(i.entryFrame())))
                    .findFirst().ifPresent(i -> text.append(", the largest: ").append(i.summary()));
        }
        return text.append('.').toString();
    }

    /** Said after too-few-samples reasons: a short benchmark run or a sparse profiler gives too few. */
    static final String TOO_FEW_SAMPLES_REMEDY = "record longer, sample more often (a shorter profiler interval) or give"
            + " more pods; minSamplesPerGroup sets the floor";

    /**
     * How the note of a type one group's recordings do not give begins: not a shortage of data (the other types
     * decide), so not among the reasons of an INCONCLUSIVE for too little data.
     */
    static final String NOT_GIVEN = "not compared: ";

    static String insufficient(List<TypeQuality> qualities, JudgeConfig config) {
        List<String> reasons = new ArrayList<>();
        for (TypeQuality q : qualities) {
            boolean notGiven = !q.notes().isEmpty() && q.notes().get(0).startsWith(NOT_GIVEN);
            if (!q.judged() && !notGiven && config.failOnTypes().contains(q.profileType())) {
                reasons.add(q.profileType().id() + ": " + String.join("; ", q.notes()));
            }
        }
        if (reasons.isEmpty()) {
            // No fail-on type was compared: say which types were (reported only) and which could have decided.
            String failOn = ids(config.failOnTypes());
            String wanted = ids(config.failOnTypes().stream().filter(config.judgedTypes()::contains).toList());
            String reportOnly = ids(qualities.stream().filter(TypeQuality::judged).map(TypeQuality::profileType)
                    .filter(t -> !config.failOnTypes().contains(t)).toList());
            if (wanted.isEmpty() && reportOnly.isEmpty()) {
                // Not even the report-only types had data: say so, rather than that they were compared.
                List<String> missing = new ArrayList<>();
                for (TypeQuality q : qualities) {
                    if (!q.judged()) {
                        missing.add(q.profileType().id() + (q.notes().isEmpty() ? "" : ": " + String.join("; ", q.notes())));
                    }
                }
                return "INCONCLUSIVE: nothing compared — " + (missing.isEmpty()
                        ? "no " + ids(config.judgedTypes()) + " data to compare (each group needs some)" : String.join("; ", missing))
                        + "; and a canary can fail or pass only on its failOnTypes (" + failOn + ").";
            }
            if (wanted.isEmpty()) {
                return "INCONCLUSIVE: only " + reportOnly
                        + " compared, reported only: a canary can fail or pass only on its failOnTypes (" + failOn
                        + "); add the type to failOnTypes to judge it.";
            }
            return "INCONCLUSIVE: no type that can fail the canary (" + wanted + ") has data in both groups"
                    + (reportOnly.isEmpty() ? "" : "; " + reportOnly + " compared, reported only") + ".";
        }
        boolean tooFewObservations = reasons.stream().anyMatch(r -> r.contains(" observation(s); at least "));
        boolean tooFewSamples = reasons.stream().anyMatch(r -> r.contains(" samples; at least "));
        return "INCONCLUSIVE: not enough data — " + String.join("; ", reasons)
                + (tooFewObservations ? "; " + TypeContext.TOO_FEW_OBSERVATIONS_REMEDY : "")
                + (tooFewSamples ? "; " + TOO_FEW_SAMPLES_REMEDY : "") + ".";
    }

    /** "alloc_bytes, cpu": the types' ids, sorted. */
    private static String ids(Collection<ProfileType> types) {
        return types.stream().map(ProfileType::id).sorted().collect(Collectors.joining(", "));
    }

    /**
     * A function at 5 % can rise at most to all of the profile, +1,900 %: a minimum detectable change beyond that
     * is no change at all, and printing it ("24569650 %") would read as a figure.
     */
    static final double MAX_RISE_AT_5_PERCENT = 19.0;

    static boolean detectable(double minimumDetectableChange5pct) {
        return minimumDetectableChange5pct < MAX_RISE_AT_5_PERCENT;
    }

    /**
     * "about 3.9× the samples per pod (now 1,267 a baseline pod, 1,026 a canary pod)": what {@code scale} times the
     * groups' samples per pod means; null when the scale is not finite or the groups' samples are unknown.
     */
    static String samplesNeeded(double scale, GroupQuality baseline, GroupQuality canary) {
        if (!Double.isFinite(scale) || baseline == null || canary == null || baseline.samples() <= 0
                || canary.samples() <= 0 || baseline.instances() <= 0 || canary.instances() <= 0) {
            return null;
        }
        return String.format(Locale.ROOT, "about %s× the samples per pod (now %,d a baseline pod, %,d a canary pod)",
                scale < 10 ? String.format(Locale.ROOT, "%.1f", scale) : String.format(Locale.ROOT, "%.0f", scale),
                Math.round((double) baseline.samples() / baseline.instances()),
                Math.round((double) canary.samples() / canary.instances()));
    }

    /**
     * The summary of an underpowered verdict, naming the quoted type's rise ({@code rises}: by type, the
     * largest rise these data admit they could miss, {@code Judge.largestMaterialRises}) where it would otherwise say
     * "no material regression seen", and advising by what each type's noise rested on ({@code evidence}; a type
     * missing from it is taken as pods or the prior).
     */
    static String underpowered(List<TypeQuality> qualities, JudgeConfig config, Map<ProfileType, Double> sampleScales,
                               Map<ProfileType, String> rises, Map<ProfileType, NoiseEvidence> evidence) {
        for (TypeQuality q : qualities) {
            if (q.judged() && q.minimumDetectableChange5pct() != null && config.maxDetectableChange() != null
                    && q.minimumDetectableChange5pct() > config.maxDetectableChange()) {
                String rise = rises.get(q.profileType());
                String seen = rise == null ? "no material regression seen"
                        : rise + ", within what these pods' noise allows";
                String could = detectable(q.minimumDetectableChange5pct())
                        ? "could only detect a change of " + Judge.percent(q.minimumDetectableChange5pct())
                        : "could not detect any rise";
                return String.format(Locale.ROOT,
                        "INCONCLUSIVE: %s, but these data %s "
                                + "in a function at 5 %% of %s (required: %s); %s.",
                        seen, could, label(q.profileType()), Judge.percent(config.maxDetectableChange()),
                        moreData(q, sampleScales.get(q.profileType()),
                                evidence.getOrDefault(q.profileType(), NoiseEvidence.PODS_OR_PRIOR)));
            }
        }
        return "INCONCLUSIVE: too little data to detect a material change.";
    }

    /**
     * What would make an underpowered type decidable. With fewer than 3 pods a side and noise from pods or the prior,
     * each function's noise rests on the prior, and neither slices nor samples teach it: more pods or earlier windows
     * do. Otherwise the larger of the two variance terms of a 5 % function's difference decides: sampling
     * (p(1 − p) × dispersion over each group's samples) calls for more samples, between-pod spread ((CV × p)² over
     * each group's pods) for more pods.
     *
     * @param sampleScale how many times its samples every pod would need under the type's noise (null: not known):
     *                    more samples is the answer only when some number of them would do, and then it says how many
     * @param evidence    what the type's noise rested on
     */
    static String moreData(TypeQuality q, Double sampleScale, NoiseEvidence evidence) {
        int baselinePods = q.baseline().instances();
        int canaryPods = q.canary().instances();
        if (evidence != NoiseEvidence.OWN && Math.min(baselinePods, canaryPods) < 3) {
            // The baseline pod's own earlier windows were given and could not help: asking for them again misleads.
            return evidence == NoiseEvidence.OWN_JVM_HISTORY_ONLY
                    ? "collect more pods per side, or give other pods of the baseline version as history (earlier "
                    + "windows of the baseline pod's own JVM show no JVM-to-JVM noise)"
                    : "collect more pods per side, or give earlier windows or other pods of the baseline version as "
                    + "history";
        }
        double p = 0.05;
        long baselineSamples = q.baseline().samples();
        long canarySamples = q.canary().samples();
        if (baselineSamples > 0 && canarySamples > 0 && q.betweenInstanceCv() != null) {
            double dispersion = q.overdispersion() == null ? 1 : Math.max(1, q.overdispersion());
            double sampling = p * (1 - p) * dispersion * (1.0 / baselineSamples + 1.0 / canarySamples);
            double cv = q.betweenInstanceCv() * p;
            double pods = cv * cv * (1.0 / baselinePods + 1.0 / canaryPods);
            String samplesNeeded = sampleScale == null ? null : samplesNeeded(sampleScale, q.baseline(), q.canary());
            if (sampleScale != null && samplesNeeded == null) {
                return "collect more pods per side (more samples per pod alone would not do)";
            }
            if (sampling > pods) {
                return samplesNeeded == null ? "collect more samples per pod (a longer window or a higher sampling rate)"
                        : "collect " + samplesNeeded + ": a longer window or a higher sampling rate";
            }
        }
        return "collect more pods per side";
    }

    /**
     * What an entry frame reported apart from code is, as a summary's prefix ("JVM work (JIT compilation): ",
     * "Go runtime work (garbage collection): ", "operating-system work: "); empty for code.
     */
    static String reportedApart(FrameClass entryClass, String function) {
        return switch (entryClass) {
            case JVM_INTERNAL -> (GoFrames.runtimeActivity(function) != null ? "Go runtime work ("
                    : NodeFrames.runtimeActivity(function) != null ? "Node.js runtime work (" : "JVM work (")
                    + NativeFrameNames.jvmActivity(function) + "): ";
            case NATIVE_SYSTEM -> NodeFrames.split(function) != null ? "the event loop waiting (idle): "
                    : "operating-system work: ";
            case PROFILER -> "the profiler's own work (a profiler setting, not code): ";
            default -> "";
        };
    }

    /** Short phrase for the summary, e.g. "canary spends 12.4 % of CPU in `f` vs 8.1 % in baseline (+53 %, q = 0.002)". */
    static String phrase(Finding f) {
        String label = f.kind() == FindingKind.COST_PER_REQUEST ? comparedPerRequestLabel(f.profileType())
                : label(f.profileType());
        String q = qText(f.qValue());
        if (f.kind() == FindingKind.DIFFERENT_PROGRAM) {
            String text = f.explanation();
            int end = text.indexOf(". ");
            text = end > 0 ? text.substring(0, end) : text;
            return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
        }
        if (f.kind() == FindingKind.COST_PER_REQUEST && f.profileType().countsSamples()) {
            return String.format(Locale.ROOT, "%s per request %s (%s; %s)", label, signedPercent(f.relativeChange()), q,
                    SAMPLED_COUNTS);
        }
        if (f.kind() == FindingKind.COST_PER_REQUEST) {
            return String.format(Locale.ROOT, "%s per request rose from %s to %s (%s, %s)", label,
                    amount(f.baseline(), f.valueUnit()), amount(f.canary(), f.valueUnit()),
                    signedPercent(f.relativeChange()), q);
        }
        if (f.kind() == FindingKind.NEW_HOT_PATH) {
            return String.format(Locale.ROOT, "new hot path `%s` takes %s of %s%s (baseline %s, %s)", f.function(),
                    level(f.canary(), f), label, inclusiveWords(f.measure()), level(f.baseline(), f), q);
        }
        return String.format(Locale.ROOT, "canary spends %s of %s in `%s`%s vs %s in baseline (%s, %s)",
                level(f.canary(), f), label, f.function(), inclusiveWords(f.measure()), level(f.baseline(), f),
                signedPercent(f.relativeChange()), q);
    }

    /**
     * @param raw {baseline, canary} raw share of the function (the mean of each group's pods' shares, as flame graphs
     *            show them), said instead of the normalised shares when one of those passes 100 % ("Canary spends
     *            105.9 % of allocated bytes in `…handle`" was no part of a whole, recorded alloc-regression scenario);
     *            null when unknown
     */
    static String explain(FunctionTest t, FindingKind kind, double q, boolean failing, boolean jvmInternal,
                          List<String> callPath, String explainedBy, boolean explainedListed, String caveat,
                          FrameClass frameClass, String unit, double[] raw) {
        Finding shape = new Finding(t.type(), t.function(), kind, t.measure(), t.baseline(), t.canary(),
                Double.isFinite(t.relativeChange()) ? t.relativeChange() : null, t.difference(), t.pValue(), q,
                t.ciLow(), t.ciHigh(), failing, jvmInternal, callPath, "", false, unit);
        StringBuilder text = new StringBuilder();
        boolean beyondWhole = raw != null && !t.measure().perRequest() && (t.baseline() > 1 || t.canary() > 1)
                && (kind == FindingKind.REGRESSION || kind == FindingKind.IMPROVEMENT);
        if (beyondWhole) {
            text.append(String.format(Locale.ROOT, "Canary spends %s of %s in `%s`%s vs %s in baseline, as their flame"
                            + " graphs show it (%s against the rest of the profile, whose share moved the other way; %s)",
                    share(raw[1]), label(t.type()), t.function(), inclusiveWords(t.measure()), share(raw[0]),
                    signedPercent(t.relativeChange()), qText(q)));
        } else {
            switch (kind) {
            case UNCHANGED -> text.append("No credible, material change");
            case REGRESSION, NEW_HOT_PATH, COST_PER_REQUEST -> text.append(capitalise(phrase(shape)));
            case IMPROVEMENT -> text.append(String.format(Locale.ROOT, "Canary spends %s of %s in `%s`%s vs %s in baseline (%s, %s)",
                    level(t.canary(), shape), label(t.type()), t.function(), inclusiveWords(t.measure()),
                    level(t.baseline(), shape), signedPercent(t.relativeChange()), qText(q)));
            case VANISHED -> text.append(String.format(Locale.ROOT, "`%s` took %s of %s in baseline and is gone in the canary (%s)",
                    t.function(), level(t.baseline(), shape), label(t.type()), qText(q)));
            }
        }
        text.append('.');
        if (explainedBy != null) {
            text.append(" Its rise is part of the same change as `").append(explainedBy)
                    .append(explainedListed ? "` (listed first)." : "`.");
        }
        if (caveat != null) {
            text.append(' ').append(caveat);
        } else if (frameClass == FrameClass.PROFILER) {
            text.append(" This is the profiler's own work (async-profiler, a profiling agent or JFR): it follows the "
                    + "profiler's settings, not the code, and is never counted as a regression.");
        } else if (jvmInternal) {
            text.append(" This is JVM or operating-system work (JIT compilation, GC, class loading, scheduler, "
                    + "syscalls), typical of a young JVM or a change in load; it is not counted as a code regression.");
        } else if (!failing && (kind == FindingKind.REGRESSION || kind == FindingKind.NEW_HOT_PATH)) {
            text.append(" Reported only: ").append(t.type().id()).append(" is not a fail-on profile type.");
        }
        if (callPath.size() > 1) {
            text.append(" Hottest path: ").append(shortPath(callPath)).append('.');
        }
        return text.toString();
    }

    private static String shortPath(List<String> path) {
        if (path.size() <= 6) {
            return String.join(" → ", path);
        }
        return String.join(" → ", path.subList(0, 2)) + " → … → " + String.join(" → ", path.subList(path.size() - 3, path.size()));
    }

    private static String inclusiveWords(Measure measure) {
        return measure == Measure.INCLUSIVE || measure == Measure.INCLUSIVE_PER_REQUEST ? " (with its callees)" : "";
    }

    private static String level(Double value, Finding f) {
        if (value == null) {
            return "n/a";
        }
        if (f.measure().perRequest()) {
            return amount(value, f.valueUnit()) + " per request";
        }
        return share(value);
    }

    /**
     * The INCONCLUSIVE of new work on a thread of its own ({@link NewThreadWork}): "INCONCLUSIVE: new work in the one
     * canary pod that could show it, on a thread no baseline window ran (`…` under `…`), 3.7 % of CPU — …".
     */
    static String undecidedNewWork(Map<ProfileType, Map<String, Double>> undecided) {
        List<String> work = new ArrayList<>();
        undecided.forEach((type, threads) -> threads.forEach((thread, share) -> work.add(thread + ", " + share(share)
                + " of " + label(type))));
        return "INCONCLUSIVE: new work in the one canary pod that could show it, " + String.join("; ", work)
                + " — one JVM's background work (a merge, a compaction) or a background task the canary added; too few "
                + "baseline windows to tell. Judge it with two or more canary pods, or with history (earlier baseline "
                + "windows).";
    }

    /**
     * The INCONCLUSIVE of new frames that may be wrappers or added calls ({@link MovedTimeCheck}): "INCONCLUSIVE:
     * `…Quotes.recompute` is a wrapper around ~9 % of `…AuditLog.record`'s calls (no cost of its own) or adds calls to
     * it costing 4.5 % of allocated bytes — the data cannot tell (…); more canary pods or history … would." A PASS would
     * claim the canary fine on the reading the data could not choose.
     */
    static String untold(List<String> readings) {
        return "INCONCLUSIVE: " + String.join("; ", readings) + ".";
    }

    /** Types whose amounts a second read as a human reads them: threads (wall), time waited and waits (locks). */
    static boolean hasRate(ProfileType type) {
        return type == ProfileType.WALL || type == ProfileType.LOCK_DELAY || type == ProfileType.LOCK_COUNT;
    }

    /**
     * An incident's amount a second, after its shares ({@link TypeContext#perSecondPerPod}): "; 1.20 ms → 48.3 ms
     * of lock wait a second per pod", "; 3.10 → 96.0 lock waits a second per pod", "; 0.010 → 0.500 threads in it on
     * average per pod" (for Node's one JavaScript thread: "; the JavaScript thread in it 4.7 % → 8.0 % of the time on
     * average per pod"). Shares of wall and lock profiles alone said "+4270 % (1.7 % → 74.0 % of lock wait time)" of a
     * section that waited 0.2 ms a second, and normalised shares can read above 100 %.
     */
    static String rate(ProfileType type, double[] perSecond, boolean nodeJsThread) {
        if (type == ProfileType.WALL && nodeJsThread) {
            // Node's wall samples its one JavaScript thread (TypeContext#nodeJsThread): "0.047 → 0.080 threads in it"
            // read as a count of threads where there is one thread and the fraction of the time it ran the code.
            return String.format(Locale.ROOT, "; the JavaScript thread in it %s → %s of the time on average per pod",
                    share(perSecond[0] / 1e9), share(perSecond[1] / 1e9));
        }
        return switch (type) {
            case LOCK_DELAY -> String.format(Locale.ROOT, "; %s → %s of lock wait a second per pod",
                    amount(perSecond[0], "nanoseconds"), amount(perSecond[1], "nanoseconds"));
            case LOCK_COUNT -> String.format(Locale.ROOT, "; %s → %s lock waits a second per pod",
                    amount(perSecond[0], "count"), amount(perSecond[1], "count"));
            case WALL -> String.format(Locale.ROOT, "; %s → %s threads in it on average per pod",
                    amount(perSecond[0] / 1e9, "count"), amount(perSecond[1] / 1e9, "count"));
            default -> "";
        };
    }

    /**
     * How much an incident's entry frame (with its callees) costs each request, {baseline, canary}: "; 0.52 µs → 5.1 µs
     * of CPU per request". Shares say where the time went; a release engineer sizes a logging level or a filter per
     * request. Said for time and bytes only (a collapsed profile's samples per request mean nothing outside it).
     */
    static String perRequest(ProfileType type, String unit, double[] perRequest) {
        if (!("nanoseconds".equals(unit) || "bytes".equals(unit))) {
            return "";
        }
        return String.format(Locale.ROOT, "; %s → %s of %s per request", amount(perRequest[0], unit),
                amount(perRequest[1], unit), label(type));
    }

    /** A new path's cost per request in the canary: "; 13.3 KiB of allocated bytes per request"; see {@link #perRequest}. */
    static String newPerRequest(ProfileType type, String unit, double perRequest) {
        if (!("nanoseconds".equals(unit) || "bytes".equals(unit))) {
            return "";
        }
        return String.format(Locale.ROOT, "; %s of %s per request", amount(perRequest, unit), label(type));
    }

    /**
     * A share in words: "41.3 %", "0.22 %", and a share under 0.01 % with two significant digits ("0.0043 %"): two
     * decimals made a new path's baseline bound read "sampling alone bounds its baseline share below 0.00 % (95 %)",
     * a bound of nothing (recorded live-set leaks, qa38).
     */
    static String share(double fraction) {
        double pct = fraction * 100;
        if (pct >= 1 || pct == 0) {
            return String.format(Locale.ROOT, "%.1f %%", pct);
        }
        if (Math.abs(pct) < 0.01) {
            return new BigDecimal(pct).round(new MathContext(2)).stripTrailingZeros().toPlainString() + " %";
        }
        return String.format(Locale.ROOT, "%.2f %%", pct);
    }

    /**
     * Canary pods whose JIT compiler kept compiling past a warm-up, said for a verdict's summary: "canary pod `p`'s JIT
     * compiler took 36.9 % of its CPU from 180 s after its first slice to the window's end (12 slices; the baseline
     * pods: 2.6 %): …".
     */
    static String sustainedCompiling(List<CompilingCanaryWarmUp.SustainedCompiling> pods) {
        StringBuilder out = new StringBuilder();
        for (CompilingCanaryWarmUp.SustainedCompiling p : pods) {
            out.append(out.isEmpty() ? "" : "; ").append(String.format(Locale.ROOT, "canary pod `%s`'s JIT compiler took"
                    + " %s of its CPU from %d s after its first slice to the window's end (%d slices; the baseline pods:"
                    + " %s)", p.pod(), share(p.share()), p.fromSeconds(), p.slices(), share(p.baselineShare())));
        }
        StringBuilder named = new StringBuilder();
        boolean carried = false;
        for (CompilingCanaryWarmUp.SustainedCompiling p : pods) {
            carried |= p.recompiled().carried();
            String said = RecompiledCode.said(p.recompiled());
            if (said != null) {
                named.append(named.isEmpty() ? "" : "; ").append(pods.size() > 1 ? "`" + p.pod() + "`: " : "")
                        .append(said);
            }
        }
        if (!named.isEmpty()) {
            // The JDK's JIT events name what is compiled over and over: warm-up compiles a method a few times, not tens.
            return out + ": still compiling at the window's end, 3 min after its first slice, and the same code again and"
                    + " again there (the JDK's JIT events): " + named + " — code deoptimised or made while the pod serves"
                    + " (a call site re-pointed, classes or scripts made per request), not a warm-up, which compiles a"
                    + " method a few times; it keeps the JIT busy and the code slower (JIT work FAILs only with"
                    + " failOnJvmInternal)";
        }
        return out + ": still compiling at the window's end, 3 min after its first slice — a long warm-up (an unchanged"
                + " JVM at a light load compiled for 4-5 min) or code deoptimised or made while the pod serves (a call"
                + " site re-pointed, classes or scripts made per request), which keeps the JIT busy and the code slower;"
                + (carried ? " its JIT events show no method compiled or deoptimised, nor class defined, "
                        + RecompiledCode.MIN_REPEATS + " times or more there;" : "")
                + " a later window tells them apart (JIT work FAILs only with failOnJvmInternal)";
    }

    private static String signedPercent(Double relative) {
        if (relative == null) {
            return "new";
        }
        double pct = relative * 100;
        return String.format(Locale.ROOT, Math.abs(pct) >= 10 ? "%+.0f %%" : "%+.1f %%", pct);
    }

    /** {@link #qText(Double)} of another function's finding than the one whose change it stands beside: "q = 0.005 for `X`". */
    static String qText(Double q, String of) {
        return of == null ? qText(q) : qText(q) + " for `" + of + "`";
    }

    static String qText(Double q) {
        if (q == null) {
            return "q = n/a";
        }
        if (q == 0) {
            // Underflow of a double, not a certainty: "q = 0.0e+00" read as an impossible figure.
            return "q < 1e-300";
        }
        if (q < 0.001) {
            return String.format(Locale.ROOT, "q = %.1e", q);
        }
        return String.format(Locale.ROOT, "q = %.3f", q);
    }

    /**
     * Where an incident's change goes below its entry frame, in words.
     *
     * @param text   e.g. "Below it: Jackson +5.1 % of CPU (most in `…writeString`), its own code +0.6 %."; null
     *               when nothing moved in the incident's direction
     * @param mostly the label holding at least half of the change ("Jackson"), or the two largest
     *               ("Jackson and java.lang"); null with {@code text}
     */
    record Below(String text, String mostly) {
    }

    /** Labels listed in {@link Below#text()}. */
    private static final int BELOW_LABELS = 3;

    /**
     * @param split     leaf function → {baseline, canary} share of the entry frame's cost spent there
     * @param direction +1 for a rise, −1 for a fall: the labels that moved that way are listed
     * @param scale     {baseline, canary} factor from the split's raw shares to the incident's normalised ones
     */
    static Below below(ProfileType type, int entryFrame, Map<Integer, double[]> split, String[] names,
                       FrameClassifier classifier, int direction, double[] scale) {
        Map<String, double[]> byLabel = new HashMap<>(); // {moved, top leaf's move}
        Map<String, String> topLeaf = new HashMap<>();
        for (Map.Entry<Integer, double[]> e : split.entrySet()) {
            double moved = direction * (e.getValue()[1] * scale[1] - e.getValue()[0] * scale[0]);
            String label = e.getKey() == entryFrame ? "its own code" : classifier.label(names[e.getKey()]);
            double[] sum = byLabel.computeIfAbsent(label, l -> new double[2]);
            sum[0] += moved;
            if (moved > sum[1] || (moved == sum[1] && topLeaf.containsKey(label)
                    && names[e.getKey()].compareTo(topLeaf.get(label)) < 0)) {
                sum[1] = moved;
                topLeaf.put(label, names[e.getKey()]);
            }
        }
        List<Map.Entry<String, double[]>> moved = byLabel.entrySet().stream().filter(e -> e.getValue()[0] > 0)
                .sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> e.getValue()[0]).reversed()
                        .thenComparing(Map.Entry::getKey))
                .toList();
        double total = moved.stream().mapToDouble(e -> e.getValue()[0]).sum();
        if (moved.isEmpty() || !(total > 0)) {
            return new Below(null, null);
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, double[]> e : moved.subList(0, Math.min(BELOW_LABELS, moved.size()))) {
            String part = e.getKey() + " " + (direction > 0 ? "+" : "−") + share(e.getValue()[0]) + " of " + label(type);
            String leaf = topLeaf.get(e.getKey());
            if (!e.getKey().equals("its own code") && leaf != null && e.getValue()[1] > 0) {
                part += " (most in `" + leaf + "`)";
            }
            parts.add(part);
        }
        String top = moved.get(0).getKey();
        String mostly = moved.get(0).getValue()[0] >= 0.5 * total || moved.size() == 1 ? top
                : top + " and " + moved.get(1).getKey();
        if (type.nativeAllocation() && topLeaf.get(top) != null && moved.get(0).getValue()[1] > 0
                && (moved.get(0).getValue()[0] >= 0.5 * total || moved.size() == 1)) {
            // Below an allocating method is the allocator it called: "mostly the JVM (JVM runtime)" for an
            // Unsafe.allocateMemory leak, "mostly the kernel and C library" for zlib's inflate state (recorded, qa48) blamed
            // the JVM or the system for the application's allocation. The function that allocated says what was kept,
            // when its part holds most of the change ("mostly"); otherwise the two largest parts are named.
            mostly = "allocated in `" + topLeaf.get(top) + "`";
        }
        return new Below("Below it: " + String.join(", ", parts) + ".", mostly);
    }

    /**
     * An incident in one phrase: "new hot path under `X`, 6.6 % of CPU, mostly Jackson",
     * "`X` +27 % (21.4 % → 27.1 % of CPU with its callees, q = 1.2e-05), mostly its own code",
     * "JVM work (JIT compilation): `X` …", "CPU per request +12 % (…)".
     *
     * @param entry      the entry frame's comparison (inclusive), or the cost-per-request finding
     * @param entryClass null for the cost-per-request incident
     * @param newPath    canary share of the largest new hot path among its findings; null when none
     * @param q          the incident's q-value (smallest of its findings')
     * @param qOf        the function whose finding that q-value is, when not the entry frame: said beside it; else null
     * @param ownCode    the entry frame's failing self rise when its inclusive cost rose less than its own code did
     *                   (time moved in from its callees): the headline quotes it, not an inclusive "+2.5 %" beside the
     *                   self test's q; null otherwise
     * @param around     for a new entry frame that wraps old code, " beside `X`, which it wraps (75.7 % with it)",
     *                   said after the new path's size (which is then what runs beside it); null otherwise
     */
    static String incident(Finding entry, FindingKind kind, FrameClass entryClass, Double newPath, Double q,
                           String qOf, Below below, Finding ownCode, String around) {
        String label = label(entry.profileType());
        if (entryClass == null && entry.profileType().countsSamples()) {
            return String.format(Locale.ROOT, "%s per request %s (%s; %s)", label, signedPercent(entry.relativeChange()),
                    qText(q), SAMPLED_COUNTS);
        }
        if (entryClass == null) {
            return String.format(Locale.ROOT, "%s per request %s (%s → %s, %s)", comparedPerRequestLabel(entry.profileType()), signedPercent(entry.relativeChange()),
                    amount(entry.baseline(), entry.valueUnit()), amount(entry.canary(), entry.valueUnit()), qText(q));
        }
        String name = "`" + entry.function() + "`" + (entryClass == FrameClass.APPLICATION ? enclosing(entry.function()) : "");
        String mostly = below == null || below.mostly() == null ? "" : ", mostly " + below.mostly();
        String prefix = reportedApart(entryClass, entry.function());
        String text = switch (kind) {
            case NEW_HOT_PATH -> String.format(Locale.ROOT, "new hot path under %s, %s of %s%s%s", name,
                    share(newPath != null ? newPath : entry.canary() == null ? 0 : entry.canary()), label,
                    around == null ? "" : around, mostly);
            case VANISHED -> String.format(Locale.ROOT, "%s gone (%s of %s with its callees in the baseline)", name,
                    level(entry.baseline(), entry), label);
            default -> ownCode != null
                    ? String.format(Locale.ROOT, "%s %s in its own code (%s → %s of %s, %s; %s → %s with its callees)",
                    name, signedPercent(ownCode.relativeChange()), level(ownCode.baseline(), ownCode),
                    level(ownCode.canary(), ownCode), label, qText(q, qOf), level(entry.baseline(), entry),
                    level(entry.canary(), entry))
                    : String.format(Locale.ROOT, "%s %s (%s → %s of %s with its callees, %s)%s", name,
                    signedPercent(entry.relativeChange()), level(entry.baseline(), entry), level(entry.canary(), entry),
                    label, qText(q, qOf), mostly);
        };
        return prefix + text;
    }

    /**
     * A frame new in the canary that wraps old code and costs nothing beside it (under {@code negligibleShare}): "new
     * frame `Quotes.traced` wrapping `Quotes$$Lambda.accept` (47.6 % of allocated bytes with it), no cost of its own".
     */
    static String costlessWrapper(ProfileType type, String frame, FrameClass frameClass, String wrapped,
                                  double withIt) {
        return String.format(Locale.ROOT, "%snew frame `%s`%s wrapping `%s` (%s of %s with it), no cost of its own",
                reportedApart(frameClass, frame), frame, frameClass == FrameClass.APPLICATION ? enclosing(frame) : "",
                wrapped, share(withIt), label(type));
    }

    /** Callers named in {@link #crossCutting} before "and N more". */
    private static final int CALLERS_NAMED = 3;

    /**
     * One library's extra work under several application frames, said before the incident's headline: "Logback under
     * 5 application methods (`A.search`, `B.addItem`, `C.checkout` and 2 more): ".
     */
    static String crossCutting(String library, List<String> callers) {
        String named = callers.stream().limit(CALLERS_NAMED).map(c -> "`" + c + "`").collect(Collectors.joining(", "));
        int more = callers.size() - CALLERS_NAMED;
        return String.format(Locale.ROOT, "%s under %d application methods (%s%s): ", library, callers.size(), named,
                more > 0 ? " and " + more + " more" : "");
    }

    /**
     * A regression whose normalised shares pass the whole profile, said in the shares sampled (what a flame graph
     * shows): "`Svc.a` 40.2 % → 94.8 % of CPU with its callees (q = 9.0e-11): +2686 % against the rest of the profile,
     * every other function's share having fallen with it".
     */
    static String sampledShares(Finding entry, double baselineShare, double canaryShare, FrameClass entryClass,
                                Double q, String qOf, Below below) {
        String name = "`" + entry.function() + "`" + (entryClass == FrameClass.APPLICATION ? enclosing(entry.function()) : "");
        String mostly = below == null || below.mostly() == null ? "" : ", mostly " + below.mostly();
        return String.format(Locale.ROOT, "%s %s → %s of %s with its callees (%s)%s: %s against the rest of the profile,"
                        + " every other function's share having fallen with it", name, share(baselineShare),
                share(canaryShare), label(entry.profileType()), qText(q, qOf), mostly, signedPercent(entry.relativeChange()));
    }

    /**
     * kotlinc's classes for what is written inside a function: {@code Class$function$N} — a lambda
     * ({@code QuoteService$lineRule$1.invoke}), a coroutine block passed to {@code launch}, {@code async} or
     * {@code withContext} ({@code QuoteService$fraudScore$2.invokeSuspend}, nested: {@code QuoteService$handle$2$total$1}),
     * or the continuation of a suspend function ({@code QuoteService$discount$1.invokeSuspend}) — named after the
     * function (or property) they are written in, which starts lower-case; javac's anonymous and local classes
     * ({@code Orders$1}, {@code Orders$1Local}) and nested classes ({@code Orders$Line}) do not match.
     */
    private static final Pattern KOTLIN_GENERATED_CLASS =
            Pattern.compile("^([^$]+(?:\\$[A-Z][\\w]*)*)\\$([a-z_][\\w]*)\\$\\d+(?:\\$[\\w]+)*\\.[\\w$<>]+$");

    /** kotlinc's name for the body of a lambda it compiles to invokedynamic: {@code Class.function$lambda$N}. */
    private static final Pattern KOTLIN_LAMBDA_BODY =
            Pattern.compile("^(.+)\\.([\\w]+?)\\$lambda\\$\\d+(?:\\$lambda\\$\\d+)*$");

    /** javac's name for a lambda body: {@code Class.lambda$method$N}. */
    private static final Pattern JAVAC_LAMBDA =
            Pattern.compile("^(.+)\\.lambda\\$([\\w$]+?)\\$\\d+$");

    /**
     * Where a lambda is written, for a release engineer who searches the code: javac names the body of a lambda
     * {@code lambda$METHOD$N} after the method it is written in, numbered in an order the source does not show
     * (WebFlux handlers are mostly lambdas passed to {@code map}, {@code flatMap}): " (a lambda in `Orders.quote`)",
     * " (a lambda in a constructor of `Orders`)", " (a lambda in the static initialiser of `Orders`)"; empty for any
     * other name.
     */
    static String enclosing(String function) {
        Matcher kotlin = KOTLIN_GENERATED_CLASS.matcher(function);
        if (kotlin.matches()) {
            return " (a lambda or coroutine in `" + kotlin.group(1) + "." + kotlin.group(2) + "`)";
        }
        Matcher kotlinBody = KOTLIN_LAMBDA_BODY.matcher(function);
        if (kotlinBody.matches() && !kotlinBody.group(2).startsWith("_")) {
            return " (a lambda in `" + kotlinBody.group(1) + "." + kotlinBody.group(2) + "`)";
        }
        Matcher m = JAVAC_LAMBDA.matcher(function);
        if (!m.matches() || m.group(2).equals("null")) {
            return "";
        }
        return switch (m.group(2)) {
            case "new" -> " (a lambda in a constructor of `" + m.group(1) + "`)";
            case "static" -> " (a lambda in the static initialiser of `" + m.group(1) + "`)";
            default -> " (a lambda in `" + m.group(1) + "." + m.group(2) + "`)";
        };
    }

    /**
     * A vanished function under an entry frame that still runs: "`HashMap.hash` gone under `ProductCatalog.lookup`
     * (1.4 % of CPU in the baseline)" — not "`ProductCatalog.lookup` gone", which it is not.
     */
    static String vanishedUnder(Finding gone, String entryFrame, FrameClass entryClass) {
        String prefix = reportedApart(entryClass, entryFrame);
        return String.format(Locale.ROOT, "%s`%s` gone under `%s` (%s of %s %sin the baseline)", prefix, gone.function(),
                entryFrame, level(gone.baseline(), gone), label(gone.profileType()),
                gone.measure().self() ? "" : "with its callees ");
    }

    /**
     * A failing rise below an entry frame whose cost with its callees fell (code moved out of it, or a JIT that
     * inlined differently): "`leaf` new in its own code (0.0 % → 0.40 % of CPU, q = 6.0e-04) under `entry`, which fell
     * −48 % with its callees (14.1 % → 7.2 %)". The rise is what fails; the entry frame's fall is said as such.
     */
    static String roseUnderFallingEntry(Finding rose, Finding entry, FrameClass entryClass) {
        String prefix = reportedApart(entryClass, entry.function());
        return String.format(Locale.ROOT, "%s`%s` %s %s(%s → %s of %s, %s) under `%s`, which fell %s with its callees"
                        + " (%s → %s)", prefix, rose.function(), signedPercent(rose.relativeChange()),
                rose.measure().self() ? "in its own code " : "with its callees ", level(rose.baseline(), rose),
                level(rose.canary(), rose), label(rose.profileType()), qText(rose.qValue()), entry.function(),
                signedPercent(entry.relativeChange()), level(entry.baseline(), entry), level(entry.canary(), entry));
    }

    /**
     * A value in a type's unit, readable with three significant digits: nanoseconds as ns/µs/ms/s,
     * bytes as B/KiB/MiB/GiB, counts as they are ("0.0 µs → 0.0 µs" said nothing).
     */
    static String amount(Double value, ProfileType type) {
        return amount(value, type.unit());
    }

    /** {@link #amount(Double, ProfileType)} in a unit of a verdict's ({@code samples} for collapsed cpu: "0.009 samples"). */
    static String amount(Double value, String unit) {
        if (value == null || !Double.isFinite(value)) {
            return "n/a";
        }
        double v = value;
        double magnitude = Math.abs(v);
        return switch (unit) {
            case "samples" -> significant(v, "samples");
            case "nanoseconds" -> magnitude >= 1e9 ? significant(v / 1e9, "s")
                    : magnitude >= 1e6 ? significant(v / 1e6, "ms")
                    : magnitude >= 1e3 ? significant(v / 1e3, "µs") : String.format(Locale.ROOT, "%.0f ns", v);
            case "bytes" -> magnitude >= 1L << 30 ? significant(v / (1L << 30), "GiB")
                    : magnitude >= 1 << 20 ? significant(v / (1 << 20), "MiB")
                    : magnitude >= 1024 ? significant(v / 1024, "KiB") : String.format(Locale.ROOT, "%.0f B", v);
            default -> significant(v, "").trim();
        };
    }

    /** Three significant digits (at least the integer part), then the unit. */
    private static String significant(double v, String unit) {
        double magnitude = Math.abs(v);
        String format = magnitude >= 100 || magnitude == 0 ? "%.0f %s" : magnitude >= 10 ? "%.1f %s"
                : magnitude >= 1 ? "%.2f %s" : "%.3g %s";
        return String.format(Locale.ROOT, format, v, unit);
    }

    private static String capitalise(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
