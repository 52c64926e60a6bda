package io.canaryjudge.heldout;

import io.canaryjudge.heldout.recording.HeldOutScenario;
import io.canaryjudge.heldout.recording.RecordingArchive;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.NotAProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ReadOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The committed held-out recordings ({@code canary-judge/src/test/resources/heldout}), read into
 * observations: the pool of baseline pods (each with its earlier "history" and its "current"
 * window) and each scenario's canary pods. Slices carry the requests served from
 * {@code requests.csv}.
 *
 * @param root      the recordings folder
 * @param baselines baseline pods, pod-1 first
 * @param canaries  scenario name → its canary pods
 */
public record HeldOutRecordings(Path root, List<Pod> baselines, Map<String, List<Pod>> canaries) {

    /**
     * One recorded JVM.
     *
     * @param name    folder name ({@code pod-3})
     * @param current its current window, one observation per slice
     * @param history its earlier window (baseline pods only; empty for canaries)
     */
    public record Pod(String name, List<Observation> current, List<Observation> history) {

        /** The same pod under another instance name (the name the judge sees). */
        public Pod as(String instance) {
            return new Pod(name, rename(current, instance), rename(history, instance));
        }

        private static List<Observation> rename(List<Observation> observations, String instance) {
            return observations.stream().map(o -> new Observation(instance, o.profile(), o.requests())).toList();
        }
    }

    /** The folder, found from the working directory upwards, or {@code -Dheldout.recordings=DIR}. */
    public static Path folder() {
        String configured = System.getProperty("heldout.recordings");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("canary-judge/src/test/resources/heldout");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("canary-judge/src/test/resources/heldout not found above "
                + Path.of("").toAbsolutePath());
    }

    public static HeldOutRecordings read(Path root) throws IOException {
        RecordingArchive archive = RecordingArchive.at(root);
        List<Pod> baselines = new ArrayList<>();
        for (Path pod : pods(root.resolve("baselines"))) {
            String name = pod.getFileName().toString();
            baselines.add(new Pod(name, window(archive, pod.resolve("current"), "baseline-" + name),
                    window(archive, pod.resolve("history"), "baseline-" + name)));
        }
        Map<String, List<Pod>> canaries = new LinkedHashMap<>();
        for (HeldOutScenario scenario : HeldOutScenario.all()) {
            List<Pod> pods = new ArrayList<>();
            for (Path pod : pods(root.resolve(scenario.name()).resolve("canary"))) {
                String name = pod.getFileName().toString();
                pods.add(new Pod(name, window(archive, pod, "canary-" + name), List.of()));
            }
            canaries.put(scenario.name(), pods);
        }
        return new HeldOutRecordings(root, List.copyOf(baselines), canaries);
    }

    /** The pod folders {@code pod-N} under {@code side}, by number. */
    public static List<Path> pods(Path side) throws IOException {
        try (Stream<Path> pods = Files.list(side)) {
            return pods.filter(Files::isDirectory).filter(p -> p.getFileName().toString().startsWith("pod-"))
                    .sorted((a, b) -> Integer.compare(number(a, "pod-"), number(b, "pod-"))).toList();
        }
    }

    /** The slice files of a window folder, by slice number. */
    public static List<Path> slices(Path window) throws IOException {
        try (Stream<Path> files = Files.list(window)) {
            return files.filter(f -> f.getFileName().toString().endsWith(RecordingArchive.SLICE_EXTENSION))
                    .sorted((a, b) -> Integer.compare(number(a, "slice-"), number(b, "slice-"))).toList();
        }
    }

    /** {@code requests.csv} of a window folder: slice file name (as recorded, {@code .pb.gz}) → requests. */
    public static Map<String, Long> requests(Path window) throws IOException {
        List<String> lines = Files.readAllLines(window.resolve("requests.csv"), StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals("profile,requests")) {
            throw new IOException(window.resolve("requests.csv") + ": header must be \"profile,requests\"");
        }
        Map<String, Long> requests = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells.length != 2) {
                throw new IOException(window.resolve("requests.csv") + ": bad row \"" + line + "\"");
            }
            requests.put(cells[0], Long.parseLong(cells[1]));
        }
        return requests;
    }

    private static List<Observation> window(RecordingArchive archive, Path window, String instance) throws IOException {
        Map<String, Long> requests = requests(window);
        List<Observation> out = new ArrayList<>();
        for (Path slice : slices(window)) {
            String file = slice.getFileName().toString();
            String recordedName = file.substring(0, file.length() - RecordingArchive.SLICE_EXTENSION.length()) + ".pb.gz";
            List<Profile> profiles;
            try {
                profiles = ProfileFiles.read(archive.read(slice), slice.toString(), ReadOptions.defaults());
            } catch (NotAProfileException | InvalidProfileException e) {
                throw new IOException(slice + ": " + e.getMessage(), e);
            }
            if (profiles.size() != 1) {
                throw new IOException(slice + ": expected one profile, read " + profiles.size());
            }
            Long served = requests.get(recordedName);
            if (served == null) {
                throw new IOException(window.resolve("requests.csv") + " has no row for " + recordedName);
            }
            out.add(new Observation(instance, profiles.get(0), served));
        }
        return out;
    }

    private static int number(Path path, String prefix) {
        String name = path.getFileName().toString();
        int end = name.indexOf('.');
        return Integer.parseInt(name.substring(prefix.length(), end < 0 ? name.length() : end));
    }
}
