package io.canaryjudge.heldout3;

import io.canaryjudge.heldout.JudgeAdapter;
import io.canaryjudge.heldout.JudgeOutcome;
import io.canaryjudge.judge.Observation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Third held-out evaluation: A/A false-FAIL rates of the judge on {@link RemitService} under noise structures
 * ({@link Noise}), plus a small power check. Runs only with {@code -Dheldout3=true}; writes
 * {@code target/heldout3/results.md} and {@code target/heldout3/fails.md}. Options: {@code -Dheldout3.cases}
 * (A/A cases per row, 200), {@code -Dheldout3.powerCases} (100), {@code -Dheldout3.threads} (2),
 * {@code -Dheldout3.only} (run only rows whose cell id starts with this).
 */
@EnabledIfSystemProperty(named = "heldout3", matches = "true")
class Heldout3EvaluationTest {

    record Layout(int canaries, int baselines) {
        String label() {
            return canaries + "v" + baselines;
        }
    }

    record Row(String cell, String description, Noise noise, Layout layout, int history, int cases, boolean power) {
        String id() {
            return cell + "/" + layout.label() + "/h" + history;
        }
    }

    record Run(Row row, int index, long seed, JudgeOutcome outcome, long millis) {
    }

    static final List<Layout> LAYOUTS = List.of(new Layout(1, 3), new Layout(2, 2), new Layout(3, 3), new Layout(1, 1),
            new Layout(4, 2));

    static List<Row> rows(int cases, int powerCases) {
        Map<String, Object[]> cells = new java.util.LinkedHashMap<>();
        cells.put("1-mix", new Object[]{"traffic-mix skew per pod (Dirichlet c=1000)", Noise.base().withMix(1000)});
        cells.put("2a-gc-jit", new Object[]{"GC share x heap headroom (log-sd 0.35) + 35 % young JVMs, either group",
                Noise.base().withGc(0.35, 0.35, false)});
        cells.put("2b-gc-jit-young-canary", new Object[]{"GC share x heap headroom + every canary JVM young, baselines old",
                Noise.base().withGc(0.35, 0, true)});
        cells.put("3-slow-node", new Object[]{"one pod (either group) on a 20 % slower CPU", Noise.base().withSlowPod()});
        cells.put("4-drift", new Object[]{"history from 03:00 and yesterday 09:00 (other mix and load); h0 = base noise only",
                Noise.base().withDrift()});
        cells.put("5-bursts", new Object[]{"lock / I/O stall bursts (p=0.06 per pod, slice, resource)", Noise.base().withBursts(0.06)});
        cells.put("A1-alloc-mix", new Object[]{"alloc_bytes: traffic-mix skew (c=1000)", Noise.base().withMix(1000).withAlloc(0)});
        cells.put("A2-alloc-young-tlab", new Object[]{"alloc_bytes: 35 % young JVMs (escape analysis not yet applied) + TLAB size log-sd 0.4",
                Noise.base().withGc(0, 0.35, false).withAlloc(0.4)});
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Object[]> cell : cells.entrySet()) {
            for (Layout layout : LAYOUTS) {
                for (int h : new int[]{0, 2}) {
                    rows.add(new Row(cell.getKey(), (String) cell.getValue()[0], (Noise) cell.getValue()[1], layout, h, cases, false));
                }
            }
        }
        Noise mix = Noise.base().withMix(1000);
        for (Layout layout : List.of(new Layout(3, 3), new Layout(1, 3))) {
            for (int h : new int[]{0, 2}) {
                rows.add(new Row("P1-new-path", "power: new hot path at 1 % of canary CPU under " + RemitService.NEW_PATH_PARENT
                        + " (on 1-mix noise)", mix.withPower(Noise.Power.NEW_PATH), layout, h, powerCases, true));
                rows.add(new Row("P2-self-rise", "power: +50 % self cost of " + RemitService.MARKUP + " (5 % of CPU; on 1-mix noise)",
                        mix.withPower(Noise.Power.SELF_RISE), layout, h, powerCases, true));
            }
        }
        return rows;
    }

    static long seed(String id, int index) {
        long h = 1125899906842597L;
        for (char ch : id.toCharArray()) {
            h = 31 * h + ch;
        }
        long z = h + index * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Test
    void evaluate() throws Exception {
        int cases = Integer.getInteger("heldout3.cases", 200);
        int powerCases = Integer.getInteger("heldout3.powerCases", 100);
        int threads = Integer.getInteger("heldout3.threads", 2);
        String only = System.getProperty("heldout3.only", "");
        List<Row> rows = rows(cases, powerCases).stream().filter(r -> r.id().startsWith(only)).toList();
        long started = System.currentTimeMillis();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<List<Future<Run>>> futures = new ArrayList<>();
        for (Row row : rows) {
            List<Future<Run>> list = new ArrayList<>();
            for (int i = 0; i < row.cases(); i++) {
                int index = i;
                long seed = seed(row.id(), i);
                list.add(pool.submit(() -> {
                    CaseGenerator.Case c = new CaseGenerator(row.noise(), seed)
                            .generate(row.layout().canaries(), row.layout().baselines(), row.history(), index);
                    long t = System.nanoTime();
                    JudgeOutcome outcome = JudgeAdapter.judge(c.baseline(), c.canary(), c.history());
                    return new Run(row, index, seed, outcome, (System.nanoTime() - t) / 1_000_000);
                }));
            }
            futures.add(list);
        }
        pool.shutdown();
        List<List<Run>> results = new ArrayList<>();
        long judgeMillis = 0;
        int done = 0;
        for (List<Future<Run>> list : futures) {
            List<Run> runs = new ArrayList<>();
            for (Future<Run> f : list) {
                Run run = f.get();
                runs.add(run);
                judgeMillis += run.millis();
                done++;
            }
            results.add(runs);
            Run last = runs.get(runs.size() - 1);
            System.out.printf(Locale.ROOT, "heldout3 %-40s %s  (%d cases done, %.0f s)%n", last.row().id(), summary(runs), done,
                    (System.currentTimeMillis() - started) / 1000.0);
        }
        long elapsed = System.currentTimeMillis() - started;
        write(results, elapsed, judgeMillis, done, threads);
    }

    private static String summary(List<Run> runs) {
        long fail = runs.stream().filter(r -> r.outcome().failed()).count();
        long inc = runs.stream().filter(r -> r.outcome().result() == JudgeOutcome.Result.INCONCLUSIVE).count();
        return "FAIL " + fail + "/" + runs.size() + ", INCONCLUSIVE " + inc;
    }

    static double[] wilson(long k, long n) {
        if (n == 0) {
            return new double[]{0, 1};
        }
        double z = 1.96;
        double p = (double) k / n;
        double denom = 1 + z * z / n;
        double center = (p + z * z / (2.0 * n)) / denom;
        double half = z / denom * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
        return new double[]{Math.max(0, center - half), Math.min(1, center + half)};
    }

    private static String pct(double x) {
        return String.format(Locale.ROOT, "%.1f", 100 * x);
    }

    private static void write(List<List<Run>> results, long elapsed, long judgeMillis, int done, int threads) throws IOException {
        RemitService svc = CaseGenerator.service();
        StringBuilder md = new StringBuilder();
        md.append("# heldout3 results\n\n");
        md.append("Judge commit: ").append(JudgeAdapter.judgeCommit()).append(". Simulated service: remit-gateway, ")
                .append(svc.functionCount).append(" functions, ").append(svc.sites.size()).append(" stacks, ")
                .append(String.format(Locale.ROOT, "%.0f", svc.requestsPerSecond)).append(" req/s and ~14,000 CPU samples per pod per ")
                .append("10-minute window (8 slices of 75 s).\n\n");
        md.append(String.format(Locale.ROOT, "%d comparisons, %d threads, %.0f s wall, mean judge time %.0f ms.%n%n", done, threads,
                elapsed / 1000.0, (double) judgeMillis / Math.max(1, done)));
        md.append("Layout = canary pods v baseline pods; h = history windows per baseline pod (8 slices each).\n\n");
        md.append("| cell | layout | h | cases | FAIL % | FAIL 95 % (Wilson) | INCONCLUSIVE % | ERROR | failing culprit (first failing incident / finding) x count |\n");
        md.append("|---|---|---|---:|---:|---|---:|---:|---|\n");
        StringBuilder fails = new StringBuilder("# heldout3: every FAIL (and ERROR)\n\n| row | case | seed | culprit | type | summary |\n|---|---:|---|---|---|---|\n");
        List<String> descriptions = new ArrayList<>();
        for (List<Run> runs : results) {
            Row row = runs.get(0).row();
            String description = "- **" + row.cell() + "**: " + row.description();
            if (!descriptions.contains(description)) {
                descriptions.add(description);
            }
            long n = runs.size();
            long fail = runs.stream().filter(r -> r.outcome().failed()).count();
            long inc = runs.stream().filter(r -> r.outcome().result() == JudgeOutcome.Result.INCONCLUSIVE).count();
            long err = runs.stream().filter(r -> r.outcome().result() == JudgeOutcome.Result.ERROR).count();
            Map<String, Integer> culprits = new TreeMap<>();
            for (Run r : runs) {
                JudgeOutcome o = r.outcome();
                if (o.failed()) {
                    culprits.merge(short_(o.culprit()) + " [" + o.culpritType() + "]", 1, Integer::sum);
                }
                if (o.failed() || o.result() == JudgeOutcome.Result.ERROR) {
                    String summary = o.summary() == null ? "" : o.summary().replace('\n', ' ').replace('|', '/');
                    if (summary.length() > 400) {
                        summary = summary.substring(0, 400) + "...";
                    }
                    fails.append("| ").append(row.id()).append(" | ").append(r.index()).append(" | ").append(Long.toHexString(r.seed()))
                            .append(" | ").append(o.culprit()).append(" | ").append(o.culpritType()).append(" | ").append(summary).append(" |\n");
                }
            }
            StringBuilder c = new StringBuilder();
            culprits.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                    .forEach(e -> c.append(c.length() == 0 ? "" : "; ").append(e.getKey()).append(" x").append(e.getValue()));
            double[] ci = wilson(fail, n);
            md.append("| ").append(row.cell()).append(" | ").append(row.layout().label()).append(" | ").append(row.history())
                    .append(" | ").append(n).append(" | ").append(pct((double) fail / n)).append(" | ").append(pct(ci[0])).append("–")
                    .append(pct(ci[1])).append(" | ").append(pct((double) inc / n)).append(" | ").append(err).append(" | ")
                    .append(c).append(" |\n");
        }
        md.append("\nCells (P rows are power checks: there FAIL % is the detection rate):\n\n");
        descriptions.forEach(d -> md.append(d).append('\n'));
        Path dir = Path.of("target", "heldout3");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.md"), md.toString(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("fails.md"), fails.toString(), StandardCharsets.UTF_8);
        System.out.println(md);
    }

    /** The culprit without the application package prefix, for the table. */
    private static String short_(String culprit) {
        if (culprit == null) {
            return "(none named)";
        }
        return culprit.replace(RemitService.APP, "~");
    }

    @Test
    void describeCases() throws IOException {
        // a look at what cases hold, for the docs: samples, requests and the share of a few subtrees per pod
        StringBuilder sb = new StringBuilder("# heldout3: what one case of each cell holds (1v3, h2, seed 1)\n\n");
        String[] marks = {"CompileBroker::", "G1", "StatementController", "QuoteController", "applyMarkup", "fillInStackTrace"};
        for (Row row : rows(1, 1)) {
            if (!row.layout().label().equals("1v3") || row.history() != 2) {
                continue;
            }
            CaseGenerator.Case c = new CaseGenerator(row.noise(), 1).generate(1, 3, 2, 0);
            sb.append("## ").append(row.cell()).append("\n\n| pod | window | samples | requests | value/request |");
            for (String m : marks) {
                sb.append(' ').append(m).append(" % |");
            }
            sb.append("\n|---|---|---:|---:|---:|").append("---:|".repeat(marks.length)).append('\n');
            for (List<Observation> group : List.of(c.baseline(), c.canary(), c.history())) {
                Map<String, double[]> perPod = new TreeMap<>();
                for (Observation o : group) {
                    double[] a = perPod.computeIfAbsent(o.instance(), k -> new double[3 + marks.length]);
                    a[0] += o.profile().sampleCount(0);
                    a[1] += o.requests();
                    for (int st = 0; st < o.profile().stackCount(); st++) {
                        long v = o.profile().value(st, 0);
                        a[2] += v;
                        for (int m = 0; m < marks.length; m++) {
                            for (int fn : o.profile().stack(st)) {
                                if (o.profile().functionName(fn).contains(marks[m])) {
                                    a[3 + m] += v;
                                    break;
                                }
                            }
                        }
                    }
                }
                String window = group == c.history() ? "history" : "current";
                perPod.forEach((k, v) -> {
                    sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.3g |", k, window, v[0], v[1], v[2] / v[1]));
                    for (int m = 0; m < marks.length; m++) {
                        sb.append(String.format(Locale.ROOT, " %.2f |", 100 * v[3 + m] / v[2]));
                    }
                    sb.append('\n');
                });
            }
            sb.append('\n');
        }
        Files.createDirectories(Path.of("target", "heldout3"));
        Files.writeString(Path.of("target", "heldout3", "cases.md"), sb.toString(), StandardCharsets.UTF_8);
    }
}
