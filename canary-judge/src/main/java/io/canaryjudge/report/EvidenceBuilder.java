package io.canaryjudge.report;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each pod's and slice's value of one function, read straight from the observations' stacks: a
 * function is on a stack when any frame has its normalised name (counted once per stack, as the
 * judge's inclusive values are), its self value is the stacks it ends.
 */
final class EvidenceBuilder {
    private EvidenceBuilder() {
    }

    /** @return empty when either group has no value of {@code type} */
    static Optional<IncidentEvidence> evidence(ProfileType type, String function, Measure measure,
                                               List<Observation> baseline, List<Observation> canary) {
        List<IncidentEvidence.PodValues> b = group(type, function, measure, baseline);
        List<IncidentEvidence.PodValues> c = group(type, function, measure, canary);
        if (b.isEmpty() || c.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new IncidentEvidence(type, function, measure, b, c));
    }

    private static List<IncidentEvidence.PodValues> group(ProfileType type, String function, Measure measure,
                                                          List<Observation> observations) {
        Map<String, Pod> pods = new LinkedHashMap<>();
        for (Observation o : observations) {
            int column = o.profile().sampleTypeIndex(type);
            if (column < 0) {
                continue;
            }
            long total = o.profile().total(column);
            long value = Judge.TOTAL.equals(function) || measure == Measure.TOTAL_PER_REQUEST
                    ? total : value(o.profile(), column, function, measure.self());
            double denominator = measure.perRequest() ? (o.requests() == null ? 0 : o.requests()) : total;
            Pod pod = pods.computeIfAbsent(o.instance(), Pod::new);
            if (denominator > 0) {
                pod.value += value;
                pod.denominator += denominator;
                pod.slices.add(value / denominator);
            }
        }
        List<IncidentEvidence.PodValues> values = new ArrayList<>();
        for (Pod pod : pods.values()) {
            if (pod.denominator > 0) {
                values.add(new IncidentEvidence.PodValues(pod.instance, pod.value / pod.denominator, pod.slices));
            }
        }
        return values;
    }

    /** The function's self or inclusive value in one column of one profile. */
    static long value(Profile profile, int column, String function, boolean self) {
        boolean[] matches = new boolean[profile.functionCount()];
        boolean any = false;
        for (int f = 0; f < matches.length; f++) {
            matches[f] = function.equals(profile.functionName(f));
            any |= matches[f];
        }
        if (!any) {
            return 0;
        }
        long sum = 0;
        for (int s = 0, stacks = profile.stackCount(); s < stacks; s++) {
            int depth = profile.stackDepth(s);
            if (depth == 0) {
                continue;
            }
            if (self) {
                if (matches[profile.stackFunction(s, 0)]) {
                    sum += profile.value(s, column);
                }
                continue;
            }
            for (int d = 0; d < depth; d++) {
                if (matches[profile.stackFunction(s, d)]) {
                    sum += profile.value(s, column);
                    break;
                }
            }
        }
        return sum;
    }

    private static final class Pod {
        final String instance;
        final List<Double> slices = new ArrayList<>();
        double value;
        double denominator;

        Pod(String instance) {
            this.instance = instance;
        }
    }
}
