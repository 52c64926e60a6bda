package io.canaryjudge.memory;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.memory.HeapWindows;
import io.canaryjudge.judge.memory.LoadEstimate;
import io.canaryjudge.judge.memory.PodHeap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The qa59 recording (src/test/resources/qa59/load, README there; {@code bench/qa59-load.sh}): order-service pods at
 * 10 %, 25 % and 100 % of a baseline pod's requests, all started together, with their heap after every collection and
 * allocation profiles (five-minute blocks), judged without request counts as a pod whose exporter has none is.
 */
final class LightCanaryWithoutCounts {
    static final long MINUTE = 60_000;
    static final List<String> BASELINE = List.of("b1", "b2", "b3");

    final Map<String, RecordedPod> pods;
    final long start;

    LightCanaryWithoutCounts() {
        this("qa59/load");
    }

    /** Another recording of the same layout under src/test/resources, or an absolute directory. */
    LightCanaryWithoutCounts(String resources) {
        Path dir = Path.of(resources).isAbsolute() ? Path.of(resources) : Path.of("src/test/resources").resolve(resources);
        pods = RecordedPod.loadAll(Files.isDirectory(dir) ? dir : Path.of("canary-judge").resolve(dir));
        start = pods.values().stream().mapToLong(RecordedPod::jvmStartMillis).max().orElseThrow();
    }

    /** The pods' allocation profiles over minutes [from, to] of their life, without request counts. */
    List<Observation> profiles(List<String> names, int from, int to) {
        List<Observation> observations = new ArrayList<>();
        for (String name : names) {
            for (RecordedPod.LiveBlock block : pods.get(name).blocks()) {
                if (block.startMillis() >= start + from * MINUTE - MINUTE && block.endMillis() <= start + to * MINUTE + MINUTE) {
                    observations.add(new Observation(name, block.profile()));
                }
            }
        }
        return observations;
    }

    /** The pods' heap after GC over minutes [from, to], request rates unknown (or known: {@code counts}). */
    List<PodHeap> heap(List<String> names, int from, int to, boolean counts) {
        return names.stream().map(pods::get).map(p -> new PodHeap(p.name(), RecordedPod.slice(p.heap(),
                start + from * MINUTE, start + to * MINUTE), counts ? p.requestsPerSecond(start + from * MINUTE,
                start + to * MINUTE) : null)).toList();
    }

    HeapWindows windows(List<String> canary, int from, int to, boolean counts) {
        return new HeapWindows(heap(BASELINE, from, to, counts), heap(canary, from, to, counts), List.of());
    }

    LoadEstimate estimate(List<String> canary, int from, int to) {
        return LoadEstimate.fromAllocation(profiles(BASELINE, from, to), profiles(canary, from, to));
    }

    /** The canary pods' request rate over the baseline pods' over minutes [from, to] (requests.csv). */
    double requestRatio(List<String> canary, int from, int to) {
        return mean(canary, from, to) / mean(BASELINE, from, to);
    }

    /** The same against the given baseline pods. */
    double requestRatio(List<String> canary, List<String> baseline, int from, int to) {
        return mean(canary, from, to) / mean(baseline, from, to);
    }

    private double mean(List<String> names, int from, int to) {
        return names.stream().mapToDouble(n -> pods.get(n).requestsPerSecond(start + from * MINUTE, start + to * MINUTE))
                .average().orElseThrow();
    }
}
