package io.canaryjudge.report;

import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.NativeNaming;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.report.flame.FlameDiff;
import io.canaryjudge.report.flame.FlameDiffBuilder;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes a {@link Report} from a verdict and the observations it was judged on. Pure (no I/O, no
 * clock): the service calls it right after judging, stores the report ({@link ReportJson}) and
 * renders it on every request ({@link ReportPage}); the command line renders it at once.
 */
public final class ReportBuilder {
    /** Incidents (or findings) that get a strip plot. */
    static final int MAX_EVIDENCE = 6;
    /** Findings shown as evidence when the verdict has no incidents. */
    static final int MAX_FINDING_EVIDENCE = 5;
    /** Hottest functions shown as evidence when there are neither incidents nor findings (a quiet PASS). */
    static final int MAX_HOTTEST_EVIDENCE = 3;

    private final FlameDiffBuilder flames;

    public ReportBuilder() {
        this(new FlameDiffBuilder());
    }

    public ReportBuilder(FlameDiffBuilder flames) {
        this.flames = flames;
    }

    /**
     * @param verdict  the judge's verdict on these observations
     * @param baseline the baseline observations given to the judge
     * @param canary   the canary observations given to the judge
     * @param config   the configuration the judge used (its warm-up window is applied here too)
     * @param context  what was compared, as the caller knows it
     */
    public Report build(Verdict verdict, List<Observation> baseline, List<Observation> canary, JudgeConfig config,
                        AnalysisContext context) {
        // Native frames in the judge's spelling: where one group names their libraries and the other does not, the
        // findings name symbols alone, and the flame graphs and evidence must match them.
        NativeNaming.Reconciled named = NativeNaming.reconcile(baseline, canary, List.of());
        List<Observation> b = withoutWarmup(named.baseline(), config);
        List<Observation> c = withoutWarmup(named.canary(), config);
        List<FlameDiff> diffs = new ArrayList<>();
        for (ProfileType type : types(verdict, config)) {
            flames.build(type, b, c).ifPresent(diffs::add);
        }
        List<IncidentEvidence> evidence = new ArrayList<>();
        for (Target target : targets(verdict)) {
            EvidenceBuilder.evidence(target.type, target.function, target.measure, b, c).ifPresent(evidence::add);
        }
        return new Report(verdict, diffs, evidence, context);
    }

    /** The verdict's types in its data-quality order (judged first), else the configured ones. */
    private static Set<ProfileType> types(Verdict verdict, JudgeConfig config) {
        Set<ProfileType> types = new LinkedHashSet<>();
        if (verdict.dataQuality() != null) {
            verdict.dataQuality().types().stream().filter(TypeQuality::judged).forEach(t -> types.add(t.profileType()));
            verdict.dataQuality().types().forEach(t -> types.add(t.profileType()));
        }
        if (types.isEmpty()) {
            for (ProfileType type : ProfileType.values()) {
                if (config.judgedTypes().contains(type)) {
                    types.add(type);
                }
            }
        }
        types.remove(null);
        return types;
    }

    private record Target(ProfileType type, String function, Measure measure) {
    }

    /** Incidents; without them the findings; without those the hottest functions. */
    private static List<Target> targets(Verdict verdict) {
        Set<Target> targets = new LinkedHashSet<>();
        for (Incident incident : verdict.incidents()) {
            // A MEMORY_GROWTH incident's evidence is its site's share of each pod's live set (the heap's own
            // growth is the "Heap after GC" chart).
            Measure measure = incident.measure() == null || incident.measure().memoryGrowth() ? Measure.INCLUSIVE
                    : incident.measure();
            add(targets, incident.profileType(), incident.entryFrame(), measure, MAX_EVIDENCE);
        }
        if (targets.isEmpty()) {
            for (Finding finding : verdict.findings()) {
                Measure measure = finding.measure() != null && finding.measure().memoryGrowth() ? Measure.INCLUSIVE
                        : finding.measure();
                add(targets, finding.profileType(), finding.function(), measure, MAX_FINDING_EVIDENCE);
            }
        }
        if (targets.isEmpty()) {
            for (Finding finding : verdict.hottest()) {
                add(targets, finding.profileType(), finding.function(), finding.measure(), MAX_HOTTEST_EVIDENCE);
            }
        }
        return new ArrayList<>(targets);
    }

    private static void add(Set<Target> targets, ProfileType type, String function, Measure measure, int max) {
        if (targets.size() < max && type != null && function != null && measure != null) {
            targets.add(new Target(type, function, measure));
        }
    }

    /**
     * The judge's warm-up rule (JudgeConfig#warmup): observations starting within the window after their
     * instance's first observation are left out, so the report shows the data the verdict stands on.
     */
    static List<Observation> withoutWarmup(List<Observation> observations, JudgeConfig config) {
        if (config.warmup().isZero()) {
            return observations;
        }
        long window = config.warmup().toNanos();
        Map<String, Long> firstStart = new HashMap<>();
        for (Observation o : observations) {
            long start = o.profile().startEpochNanos();
            if (start > 0) {
                firstStart.merge(o.instance(), start, Math::min);
            }
        }
        List<Observation> kept = new ArrayList<>();
        for (Observation o : observations) {
            long start = o.profile().startEpochNanos();
            Long first = firstStart.get(o.instance());
            if (!(start > 0 && first != null && start - first < window)) {
                kept.add(o);
            }
        }
        return kept;
    }
}
