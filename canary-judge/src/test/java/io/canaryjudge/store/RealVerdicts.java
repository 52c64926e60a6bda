package io.canaryjudge.store;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Verdict JSON the judge gives on real recordings, through {@code compare --format json}: the shipped example (a
 * CPU regression: FAIL with incidents), the committed A/A scenario (same code in separate JVMs) and the allocation
 * regression scenario.
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
