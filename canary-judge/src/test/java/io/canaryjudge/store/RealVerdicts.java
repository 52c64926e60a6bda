package io.canaryjudge.store;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.Cli;
import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.NotAProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.report.AnalysisContext;
import io.canaryjudge.report.Report;
import io.canaryjudge.report.ReportBuilder;
import io.canaryjudge.verdict.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Verdict JSON the judge gives on real recordings, through {@code compare --format json}: the shipped example (a
 * CPU regression: FAIL with incidents), the committed A/A scenario (same code in separate JVMs) and the allocation
 * regression scenario; and the report built beside the example's verdict, as the service builds it.
 */
final class RealVerdicts {
    static final Path ROOT = SharedFixtures.projectRoot();
    static final Path SHOP = ROOT.resolve("examples/profiles/shop");
    static final Path SCENARIOS = ROOT.resolve("canary-judge/src/test/resources/scenarios");

    private RealVerdicts() {
    }

    /** The shipped example: baseline pods 6d4f8c7b9, canary pods 7f9b6c5d4. */
    static String example() {
        return compare(List.of(SHOP.resolve("shop-6d4f8c7b9-k2x7p"), SHOP.resolve("shop-6d4f8c7b9-w5n3j")),
                List.of(SHOP.resolve("shop-7f9b6c5d4-m4q8z"), SHOP.resolve("shop-7f9b6c5d4-r9t2w")));
    }

    static String aa() {
        return compare(pods(SCENARIOS.resolve("baselines/session-1")), pods(SCENARIOS.resolve("aa/canary")));
    }

    static String allocRegression() {
        return compare(pods(SCENARIOS.resolve("baselines/session-1")), pods(SCENARIOS.resolve("alloc-regression/canary")));
    }

    /** The shipped example judged and its report built (flame graphs, per-pod evidence), from the recordings. */
    static Report exampleReport() {
        List<Observation> baseline = observations(List.of(SHOP.resolve("shop-6d4f8c7b9-k2x7p"),
                SHOP.resolve("shop-6d4f8c7b9-w5n3j")));
        List<Observation> canary = observations(List.of(SHOP.resolve("shop-7f9b6c5d4-m4q8z"),
                SHOP.resolve("shop-7f9b6c5d4-r9t2w")));
        Verdict verdict = new Judge().judge(baseline, canary, JudgeConfig.defaults()).withId("example-with-report");
        return new ReportBuilder().build(verdict, baseline, canary, JudgeConfig.defaults(),
                AnalysisContext.files(List.of("baseline"), List.of("canary")));
    }

    /** Every slice file of each pod one observation, with its request count from the pod's requests.csv. */
    private static List<Observation> observations(List<Path> pods) {
        List<Observation> observations = new ArrayList<>();
        try {
            for (Path pod : pods) {
                Map<String, Long> requests = new HashMap<>();
                List<String> lines = Files.readAllLines(pod.resolve("requests.csv"), StandardCharsets.UTF_8);
                for (String line : lines.subList(1, lines.size())) {
                    String[] cells = line.split(",");
                    requests.put(cells[0].strip(), Long.parseLong(cells[1].strip()));
                }
                List<Path> slices;
                try (Stream<Path> files = Files.list(pod)) {
                    slices = files.filter(f -> f.getFileName().toString().startsWith("slice-")).sorted().toList();
                }
                for (Path slice : slices) {
                    for (Profile profile : ProfileFiles.read(slice, ReadOptions.defaults())) {
                        observations.add(new Observation(pod.getFileName().toString(), profile,
                                requests.get(slice.getFileName().toString())));
                    }
                }
            }
        } catch (IOException | InvalidProfileException | NotAProfileException e) {
            throw new IllegalStateException("cannot read the example's recordings: " + e.getMessage(), e);
        }
        return observations;
    }

    private static List<Path> pods(Path group) {
        return List.of(group.resolve("pod-1"), group.resolve("pod-2"), group.resolve("pod-3"));
    }

    private static String compare(List<Path> baseline, List<Path> canary) {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json"));
        baseline.forEach(p -> args.addAll(List.of("--baseline", p.toString())));
        canary.forEach(p -> args.addAll(List.of("--canary", p.toString())));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Cli.run(args.toArray(String[]::new), o, e);
        }
        String json = out.toString(StandardCharsets.UTF_8);
        if (!json.startsWith("{")) {
            throw new IllegalStateException("compare exited " + status + " without a verdict: "
                    + err.toString(StandardCharsets.UTF_8));
        }
        return json;
    }
}
