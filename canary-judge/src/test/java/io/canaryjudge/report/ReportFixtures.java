package io.canaryjudge.report;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SampleType;
import io.canaryjudge.verdict.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Inputs for the report tests: the recorded scenarios (real async-profiler profiles of separate
 * JVMs, canary-judge/src/test/resources/scenarios) and a hostile service whose frame and pod names
 * try to break out of every context the report puts them in.
 */
final class ReportFixtures {
    /** The hostile frame names, each on its own path under a normal handler. */
    static final String SCRIPT = "<script>alert(1)</script>";
    static final String QUOTES = "com.evil.\"quoted\"'single'.Name.run";
    static final String STYLE_BREAK = "</style><img src=x onerror=alert(2)>.Style.run";
    static final String RTL = "com.evil.\u202Egnp.exe.Rtl.run";
    static final String LONG = "com.evil.Long" + "x".repeat(10_000) + ".run";
    static final String SCRIPT_BREAK = "</script><!--<script>alert(3)</script>-->.Data.run";
    static final String SEPARATORS = "com.evil.Line\u2028Sep\u2029.run";
    static final String MARKDOWN = "com.evil.Pipe|Name`tick`*bold*.run";
    static final List<String> HOSTILE = List.of(SCRIPT, QUOTES, STYLE_BREAK, RTL, LONG, SCRIPT_BREAK, SEPARATORS, MARKDOWN);
    /** A pod name that is markup too. */
    static final String HOSTILE_POD = "pod-<b onmouseover=alert(4)>1</b>";

    record Groups(List<Observation> baseline, List<Observation> canary, List<String> baselinePaths,
                  List<String> canaryPaths) {
    }

    private ReportFixtures() {
    }

    static Path scenarios() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("canary-judge/src/test/resources/scenarios");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("recorded scenarios not found above " + Path.of("").toAbsolutePath());
    }

    /** A recorded scenario: its canary pods and its session's baseline pods, every slice an observation. */
    static Groups scenario(String name) throws IOException {
        Path folder = scenarios().resolve(name);
        String manifest = Files.readString(folder.resolve("scenario.json"), StandardCharsets.UTF_8);
        Matcher baseline = Pattern.compile("\"baseline\"\\s*:\\s*\"([^\"]+)\"").matcher(manifest);
        if (!baseline.find()) {
            throw new IllegalStateException(folder + "/scenario.json names no baseline folder");
        }
        List<Path> baselinePods = pods(folder.resolve(baseline.group(1)).normalize());
        List<Path> canaryPods = pods(folder.resolve("canary"));
        return new Groups(read(baselinePods, "baseline-"), read(canaryPods, "canary-"),
                baselinePods.stream().map(Path::toString).toList(), canaryPods.stream().map(Path::toString).toList());
    }

    static Verdict judge(Groups groups) {
        return new Judge().judge(groups.baseline(), groups.canary(), JudgeConfig.defaults()).withId("test-verdict");
    }

    static Report report(Groups groups) {
        return new ReportBuilder().build(judge(groups), groups.baseline(), groups.canary(), JudgeConfig.defaults(),
                AnalysisContext.files(groups.baselinePaths(), groups.canaryPaths()));
    }

    private static List<Path> pods(Path side) throws IOException {
        try (Stream<Path> pods = Files.list(side)) {
            return pods.filter(Files::isDirectory).filter(p -> p.getFileName().toString().startsWith("pod-")).sorted().toList();
        }
    }

    private static List<Observation> read(List<Path> pods, String prefix) throws IOException {
        List<Observation> observations = new ArrayList<>();
        for (Path pod : pods) {
            Map<String, Long> requests = requests(pod.resolve("requests.csv"));
            List<Path> slices;
            try (Stream<Path> files = Files.list(pod)) {
                slices = files.filter(f -> f.getFileName().toString().startsWith("slice-")).sorted().toList();
            }
            for (Path slice : slices) {
                try {
                    for (Profile profile : ProfileFiles.read(slice, ReadOptions.defaults())) {
                        observations.add(new Observation(prefix + pod.getFileName(), profile,
                                requests.get(slice.getFileName().toString())));
                    }
                } catch (InvalidProfileException | io.canaryjudge.profile.NotAProfileException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
        }
        return observations;
    }

    private static Map<String, Long> requests(Path csv) throws IOException {
        Map<String, Long> requests = new LinkedHashMap<>();
        if (!Files.exists(csv)) {
            return requests;
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            requests.put(cells[0], Long.parseLong(cells[1]));
        }
        return requests;
    }

    /**
     * A service whose canary carries a new hot path named {@link #SCRIPT} and a doubled
     * {@link #STYLE_BREAK}; every other hostile name is on a steady path. 3 pods × 4 slices per
     * group, about 1,500 samples of 10 ms per slice, Poisson-like noise from a fixed seed.
     */
    static Groups hostile() throws InvalidProfileException {
        Random random = new Random(12);
        List<Observation> baseline = new ArrayList<>();
        List<Observation> canary = new ArrayList<>();
        for (int pod = 1; pod <= 3; pod++) {
            for (int slice = 1; slice <= 4; slice++) {
                baseline.add(new Observation(pod == 1 ? HOSTILE_POD : "baseline-pod-" + pod,
                        hostileProfile(random, false, "b" + pod + "." + slice), null));
                canary.add(new Observation("canary-pod-\"" + pod + "\"",
                        hostileProfile(random, true, "c" + pod + "." + slice), null));
            }
        }
        return new Groups(baseline, canary, List.of("baseline/" + HOSTILE_POD), List.of("canary/" + STYLE_BREAK));
    }

    private static Profile hostileProfile(Random random, boolean canary, String source) throws InvalidProfileException {
        ProfileBuilder builder = new ProfileBuilder(source, ProfileFormat.COLLAPSED, List.of(SampleType.of(ProfileType.CPU)), 64);
        Map<List<String>, Integer> stacks = new LinkedHashMap<>();
        List<String> handler = List.of("java.lang.Thread.run", "com.shop.Worker.run", "com.shop.Handler.handle");
        stacks.put(with(handler, "com.shop.Pricing.apply"), 500);
        stacks.put(with(handler, QUOTES), 200);
        stacks.put(with(handler, STYLE_BREAK), canary ? 300 : 150);
        stacks.put(with(handler, RTL), 120);
        stacks.put(with(handler, LONG), 100);
        stacks.put(with(handler, SCRIPT_BREAK), 90);
        stacks.put(with(handler, SEPARATORS), 80);
        stacks.put(with(handler, MARKDOWN), 70);
        if (canary) {
            stacks.put(with(handler, SCRIPT), 250);
        }
        long samples = 0;
        for (Map.Entry<List<String>, Integer> entry : stacks.entrySet()) {
            List<String> frames = entry.getKey();
            int[] leafFirst = new int[frames.size()];
            for (int i = 0; i < frames.size(); i++) {
                leafFirst[frames.size() - 1 - i] = builder.function(frames.get(i));
            }
            double mean = entry.getValue();
            long count = Math.max(1, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
            builder.add(builder.stack(leafFirst, leafFirst.length, 0), 0, count * 10_000_000L);
            samples += count;
        }
        builder.addSampleCount(0, samples);
        return builder.build();
    }

    private static List<String> with(List<String> path, String leaf) {
        List<String> frames = new ArrayList<>(path);
        frames.add(leaf);
        return frames;
    }
}
