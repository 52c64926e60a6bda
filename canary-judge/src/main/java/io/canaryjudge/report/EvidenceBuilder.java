package io.canaryjudge.report;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.RecordingRequests;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
        // A count of a whole recording cut into slices is used with all of them, as the judge does: the pod's value
        // is exact, and the recording stands as one entry of its slices' values (RecordingRequests).
        Set<RecordingRequests> complete = RecordingRequests.complete(observations);
        Map<RecordingRequests, double[]> recordings = new LinkedHashMap<>(); // value, pod index
        for (Observation o : observations) {
            int column = o.profile().sampleTypeIndex(type);
            if (column < 0) {
                continue;
            }
            long total = o.profile().total(column);
            long value = Judge.TOTAL.equals(function) || measure == Measure.TOTAL_PER_REQUEST
                    ? total : value(o.profile(), column, function, measure.self());
            Pod pod = pods.computeIfAbsent(o.instance(), Pod::new);
            if (measure.perRequest() && o.requests() == null && complete.contains(o.recordingRequests())) {
                recordings.computeIfAbsent(o.recordingRequests(), r -> new double[1])[0] += value;
                pod.recordings.add(o.recordingRequests());
                continue;
            }
            double denominator = measure.perRequest() ? (o.requests() == null ? 0 : o.requests()) : total;
            if (denominator > 0) {
                pod.value += value;
                pod.denominator += denominator;
                pod.slices.add(value / denominator);
            }
        }
        for (Pod pod : pods.values()) {
            for (RecordingRequests recording : pod.recordings) {
                double value = recordings.get(recording)[0];
                if (recording.requests() > 0) {
                    pod.value += value;
                    pod.denominator += recording.requests();
                    pod.slices.add(value / recording.requests());
                }
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
        /** Recordings whose one request count covers all their slices, in input order. */
        final Set<RecordingRequests> recordings = new LinkedHashSet<>();
        double value;
        double denominator;

        Pod(String instance) {
            this.instance = instance;
        }
    }
}
