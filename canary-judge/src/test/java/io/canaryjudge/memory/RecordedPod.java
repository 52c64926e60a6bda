package io.canaryjudge.memory;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.heap.HeapCsv;
import io.canaryjudge.profile.heap.HeapSeries;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One recorded pod of the memory scenarios, read from its committed folder
 * ({@code src/test/resources/memory/pods/POD}, see {@link AssembleMemoryRecordings}): its heap after
 * every collection and its live-object profiles in five-minute blocks, with the requests each block
 * served.
 *
 * @param name       the pod, e.g. {@code leak-sessions-2}
 * @param scenario   {@code baseline}, {@code aa}, {@code leak-sessions}, ...
 * @param track      {@code baseline} or {@code canary}
 * @param variant    the code it ran, e.g. {@code leak-sessions}
 * @param heap       heap after each collection (GC notifications), with the JVM's start
 * @param blocks     live-object profiles, in time order
 */
record RecordedPod(String name, String scenario, String track, String variant, HeapSeries heap, List<LiveBlock> blocks) {

    /** Live objects of five minutes of the pod, and the requests it served meanwhile. */
    record LiveBlock(Profile profile, long requests) {
        long startMillis() {
            return profile.startEpochNanos() / 1_000_000;
        }

        long endMillis() {
            return (profile.startEpochNanos() + profile.durationNanos()) / 1_000_000;
        }
    }

    /** The committed recordings' folder. */
    static Path folder() {
        return resources("memory");
    }

    /** The saw-tooth recording's folder ({@code RecordMemoryScenarios} flavour {@code saw-tooth}). */
    static Path sawToothFolder() {
        return resources("memory-sawtooth");
    }

    /**
     * Copies this pod's live-object profiles and request counts from its folder under {@code recording} (not its
     * heap.csv: a service test's heap comes from Prometheus) to {@code to}, with its track and scenario as labels.
     */
    void copyProfilesForService(Path recording, Path to) throws IOException {
        Path from = recording.resolve("pods").resolve(name);
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                String fileName = file.getFileName().toString();
                if (fileName.startsWith("live-") || fileName.equals("requests.csv")) {
                    Files.copy(file, to.resolve(fileName));
                }
            }
        }
        Files.writeString(to.resolve("labels.properties"), "track=" + track + "\nscenario=" + scenario + "\n");
    }

    private static Path resources(String name) {
        Path dir = Path.of("src/test/resources", name);
        if (!Files.isDirectory(dir)) {
            dir = Path.of("canary-judge/src/test/resources", name);
        }
        return dir;
    }

    /** Every recorded pod, by name. */
    static Map<String, RecordedPod> loadAll(Path folder) {
        Map<String, RecordedPod> pods = new LinkedHashMap<>();
        try (Stream<Path> dirs = Files.list(folder.resolve("pods"))) {
            for (Path dir : dirs.sorted().toList()) {
                RecordedPod pod = load(dir);
                pods.put(pod.name(), pod);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pods;
    }

    static RecordedPod load(Path dir) {
        try {
            Properties props = new Properties();
            try (InputStream in = Files.newInputStream(dir.resolve("pod.properties"))) {
                props.load(in);
            }
            HeapSeries heap = HeapCsv.read(dir.resolve("heap.csv"));
            Map<String, Long> requests = new LinkedHashMap<>();
            for (String line : Files.readAllLines(dir.resolve("requests.csv"), StandardCharsets.UTF_8)) {
                String[] f = line.split(",");
                if (f.length == 2 && !f[0].equals("profile")) {
                    requests.put(f[0], Long.parseLong(f[1]));
                }
            }
            List<LiveBlock> blocks = new ArrayList<>();
            for (Map.Entry<String, Long> block : requests.entrySet()) {
                Profile profile = ProfileFiles.read(dir.resolve(block.getKey()), ReadOptions.defaults()).get(0);
                blocks.add(new LiveBlock(profile, block.getValue()));
            }
            return new RecordedPod(dir.getFileName().toString(), props.getProperty("scenario"), props.getProperty("track"),
                    props.getProperty("variant"), heap, List.copyOf(blocks));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the recorded pod " + dir + ": " + e.getMessage(), e);
        }
    }

    long jvmStartMillis() {
        return heap.jvmStartMillis();
    }

    /** The heap points in {@code [from, to]} (epoch milliseconds), with the JVM's start. */
    HeapSeries heapBetween(long from, long to) {
        return slice(heap, from, to);
    }

    static HeapSeries slice(HeapSeries heap, long from, long to) {
        long[] t = heap.timestampsMillis();
        long[] b = heap.heapAfterGcBytes();
        int first = 0;
        while (first < t.length && t[first] < from) {
            first++;
        }
        int last = first;
        while (last < t.length && t[last] <= to) {
            last++;
        }
        return new HeapSeries(heap.source(), heap.jvmStartMillis(), Arrays.copyOfRange(t, first, last),
                Arrays.copyOfRange(b, first, last));
    }

    /** Live-object observations of the blocks that lie inside {@code [from, to]} (a minute's slack). */
    List<Observation> liveBetween(long from, long to) {
        List<Observation> observations = new ArrayList<>();
        for (LiveBlock block : blocks) {
            if (block.startMillis() >= from - 60_000 && block.endMillis() <= to + 60_000) {
                observations.add(new Observation(name, block.profile(), block.requests()));
            }
        }
        return observations;
    }

    /** Requests per second over the blocks overlapping {@code [from, to]}; null when none. */
    Double requestsPerSecond(long from, long to) {
        long requests = 0;
        double seconds = 0;
        for (LiveBlock block : blocks) {
            if (block.endMillis() > from && block.startMillis() < to) {
                requests += block.requests();
                seconds += (block.endMillis() - block.startMillis()) / 1000.0;
            }
        }
        return seconds > 0 ? requests / seconds : null;
    }
}
