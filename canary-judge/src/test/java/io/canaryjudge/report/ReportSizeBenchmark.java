package io.canaryjudge.report;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ReadOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a stored report costs: per recorded scenario (and the Kafka slices) the flame nodes kept per
 * type, the report JSON raw and gzipped (what the verdict store keeps), the self-contained HTML page,
 * and the median time to build the report from the observations. Run by bench/report-size.sh; prints
 * a Markdown table. Not a unit test: timings belong here, not in assertions.
 */
public final class ReportSizeBenchmark {
    private static final int RUNS = 5;

    private ReportSizeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("| input | result | flame nodes per type | report JSON | gzipped | HTML page | build (median of " + RUNS + ") |");
        System.out.println("|---|---|---|--:|--:|--:|--:|");
        List<String> scenarios = args.length > 0 ? List.of(args)
                : List.of("aa", "cpu-regression-30", "new-hot-path", "regex-per-request", "alloc-regression");
        for (String scenario : scenarios) {
            ReportFixtures.Groups groups = ReportFixtures.scenario(scenario);
            row(scenario, groups.baseline(), groups.canary());
        }
        List<Observation> baseline = new ArrayList<>();
        List<Observation> canary = new ArrayList<>();
        List<Path> slices = SharedFixtures.kafkaPprofSlices();
        for (int i = 0; i < slices.size(); i++) {
            for (Profile p : ProfileFiles.read(slices.get(i), ReadOptions.defaults())) {
                (i < 2 ? baseline : canary).add(new Observation("kafka-" + i, p));
            }
        }
        row("Kafka slices 0,1 vs 2,3", baseline, canary);
    }

    private static void row(String name, List<Observation> baseline, List<Observation> canary) throws Exception {
        JudgeConfig config = JudgeConfig.defaults();
        var verdict = new Judge().judge(baseline, canary, config).withId("size");
        AnalysisContext context = AnalysisContext.files(List.of(), List.of());
        long[] nanos = new long[RUNS];
        Report report = null;
        for (int r = 0; r < RUNS; r++) {
            long start = System.nanoTime();
            report = new ReportBuilder().build(verdict, baseline, canary, config, context);
            nanos[r] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        byte[] json = new ReportJson().write(report).getBytes(StandardCharsets.UTF_8);
        int html = new ReportPage().render(report, ReportAssets.inline()).getBytes(StandardCharsets.UTF_8).length;
        String nodes = report.flames().stream().map(f -> f.profileType().id() + " " + f.nodes().size())
                .collect(Collectors.joining(", "));
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.0f ms |%n", name, verdict.result(), nodes,
                kb(json.length), kb(ReportJsonTest.gzip(json).length), kb(html), nanos[RUNS / 2] / 1e6);
    }

    private static String kb(int bytes) {
        return String.format(Locale.ROOT, "%.1f KB", bytes / 1000.0);
    }
}
