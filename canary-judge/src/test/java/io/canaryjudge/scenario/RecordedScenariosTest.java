package io.canaryjudge.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.eval.NoiseFit;
import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The judge on every recorded multi-JVM scenario (real async-profiler recordings of separate
 * JVMs; docs/EVALUATION.md "Recorded shop scenarios"): no A/A, traffic-shift or improvement scenario may
 * FAIL; every regression the data can resolve must FAIL with the injected function (or its caller
 * on the call path that reaches it) first. The
 * table is written to {@code target/evaluation/recorded-scenarios.md}.
 *
 * <p>"The data can resolve it" is decided without the judge, by an oracle-style z on the injected
 * function's pod-level inclusive shares: {@code z = (c̄ − b̄) / sqrt(κ² (b̄² + c̄²) / P + sampling)}
 * with κ fitted on the session's baseline pods ({@link NoiseFit}, functions ≥ 0.2 %) and
 * resolvable when {@code z ≥ 4.2} (a lone true finding among ~350 tests needs p ≤ 0.01 / 350) and
 * the change clears twice the relative materiality floor; a new hot path is resolvable when every
 * canary pod spends at least the new-hot-path share in it.
 *
 * <p>Scenarios where the judge currently misses are listed in {@link #KNOWN_GAPS} with the reason:
 * their expectation is skipped (reported as skipped, with the reason), not deleted, so fixing the
 * judge shows up as a test to re-enable.
 */
class RecordedScenariosTest {
    private static final double RESOLVABLE_Z = 4.2;

    /** Current judge misses, measured in docs/EVALUATION.md "Recorded shop scenarios"; remove an entry once fixed. */
    static final Map<String, String> KNOWN_GAPS = Map.of("cpu-regression-30",
            "+29 % at 21 % of CPU, 3 + 3 pods, no history: z 4.4 with the session's one pod CV, but 2 degrees of "
                    + "freedom per group cannot show that this function's own noise is typical; INCONCLUSIVE naming it "
                    + "(aRiseOnlyTypicalNoiseWouldFailIsInconclusiveAndNamed), FAIL with learned noise");

    record Row(Scenario scenario, double z, boolean resolvable, double baselineShare, double canaryShare,
               double podCv, Verdict verdict) {

        Finding firstFailing() {
            return verdict.findings().stream().filter(Finding::failing).findFirst().orElse(null);
        }

        String firstFailingText() {
            Finding f = firstFailing();
            return f == null ? "–" : "`" + f.function() + "` (" + f.kind() + ", " + f.measure() + ")";
        }

        /** The lead incident, when it fails. */
        Incident leadIncident() {
            return verdict.incidents().isEmpty() || !verdict.incidents().get(0).failing() ? null
                    : verdict.incidents().get(0);
        }

        String leadIncidentText() {
            Incident i = leadIncident();
            return i == null ? "–" : "`" + i.entryFrame() + "` (" + i.profileType().id() + ", " + i.kind() + ")";
        }

        /**
         * The first failing finding names the injected function, or a caller of it on the call path
         * of a failing finding that reaches it (the code that changed, e.g. {@code OrderValidator.validate}
         * for a pattern compiled per request, whose cost lands in {@code java.util.regex.*}).
         */
        boolean firstFailingIsInjected() {
            Finding f = firstFailing();
            if (f == null) {
                return false;
            }
            if (f.function().equals(scenario.function())) {
                return true;
            }
            return verdict.findings().stream().filter(Finding::failing).map(Finding::callPath).anyMatch(path -> {
                int caller = path.indexOf(f.function());
                int injected = path.indexOf(scenario.function());
                return caller >= 0 && injected > caller;
            });
        }

        boolean asExpected() {
            if (scenario.expectedResult().equals("PASS")) {
                return verdict.result() != Result.FAIL;
            }
            return !resolvable || (verdict.result() == Result.FAIL && firstFailingIsInjected());
        }
    }

    private static final Map<String, Row> ROWS = new LinkedHashMap<>();
    private static String noiseLine = "";

    @BeforeAll
    static void judgeEveryScenario() throws IOException {
        JudgeConfig config = JudgeConfig.defaults();
        Path root = ScenarioFolders.scenarios();
        for (Scenario scenario : Scenario.all()) {
            Path baselineFolder = root.resolve(Scenario.baselineFolder(scenario.session()));
            ScenarioSummary.Side baseline = ScenarioSummary.Side.read(baselineFolder);
            ScenarioSummary.Side canary = ScenarioSummary.Side.read(root.resolve(scenario.name()).resolve("canary"));
            Verdict verdict = new Judge().judge(observations("baseline", baseline), observations("canary", canary), config);
            double nanosPerSample = cpuIntervalNanos(root.resolve(scenario.name()).resolve("scenario.json"));
            NoiseFit fit = NoiseFit.of(byPod(baseline), ProfileType.CPU, nanosPerSample);
            double kappa = Math.sqrt(Math.max(fit.podCv2(), 0));
            double z = Double.NaN;
            double b = Double.NaN;
            double c = Double.NaN;
            boolean resolvable = false;
            if (scenario.function() != null) {
                ProfileType type = ProfileType.fromId(scenario.profileType());
                double[] bPods = podShares(baseline, type, scenario.function());
                double[] cPods = podShares(canary, type, scenario.function());
                b = Arrays.stream(bPods).average().orElse(0);
                c = Arrays.stream(cPods).average().orElse(0);
                if (b == 0) {
                    resolvable = Arrays.stream(cPods).min().orElse(0) >= config.thresholds().newHotPathShare();
                } else {
                    int pods = Math.min(bPods.length, cPods.length);
                    double samples = fit.meanSamplesPerSlice() * 5 * pods; // per group: slices × pods
                    double sampling = Math.max(fit.dispersion(), 1) * (b * (1 - b) + c * (1 - c)) / samples;
                    z = (c - b) / Math.sqrt(kappa * kappa * (b * b + c * c) / pods + sampling);
                    resolvable = z >= RESOLVABLE_Z && c / b - 1 >= 2 * config.thresholds().minRelativeChange();
                }
            }
            ROWS.put(scenario.name(), new Row(scenario, z, resolvable, b, c, kappa, verdict));
        }
        noiseLine = aaNoise(root);
        String table = table(ROWS.values());
        Path out = Path.of("target", "evaluation", "recorded-scenarios.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table + "\n" + noiseLine);
        System.out.println(table + "\n" + noiseLine);
    }

    static List<String> scenarioNames() {
        return Scenario.all().stream().map(Scenario::name).toList();
    }

    @ParameterizedTest
    @MethodSource("scenarioNames")
    void judgeGivesTheExpectedVerdict(String name) {
        Row row = ROWS.get(name);
        Assumptions.assumeFalse(KNOWN_GAPS.containsKey(name), () -> "known judge gap: " + KNOWN_GAPS.get(name));
        Scenario s = row.scenario();
        String context = s.name() + ": " + row.verdict().summary();
        if (s.expectedResult().equals("PASS")) {
            assertThat(row.verdict().result()).as(context).isNotEqualTo(Result.FAIL);
        } else if (row.resolvable()) {
            assertThat(row.verdict().result()).as(context).isEqualTo(Result.FAIL);
            assertThat(row.firstFailingIsInjected()).as(s.name() + ": first failing finding " + row.firstFailingText())
                    .isTrue();
        }
    }

    /**
     * The recorded A/A (session 1: three baseline and three canary JVMs of the same code, paired in time)
     * in every layout its pods make — 3 + 3, each 2 + 2, each 3 + 1, each 1 + 1 — with and without
     * history (the other sessions' twelve baseline JVMs of the same code, earlier windows): no FAIL.
     */
    @Test
    void recordedAaNeverFailsInAnyLayout() throws IOException {
        Path root = ScenarioFolders.scenarios();
        Scenario aa = Scenario.named("aa");
        List<List<Observation>> baselinePods = pods("baseline",
                ScenarioSummary.Side.read(root.resolve(Scenario.baselineFolder(aa.session()))));
        List<List<Observation>> canaryPods = pods("canary", ScenarioSummary.Side.read(root.resolve("aa").resolve("canary")));
        List<Observation> history = new ArrayList<>();
        for (int session = 2; session <= 5; session++) {
            pods("session-" + session, ScenarioSummary.Side.read(root.resolve(Scenario.baselineFolder(session))))
                    .forEach(history::addAll);
        }
        List<int[][]> layouts = new ArrayList<>();
        layouts.add(new int[][] {{0, 1, 2}, {0, 1, 2}});
        for (int[] b : new int[][] {{0, 1}, {0, 2}, {1, 2}}) {
            for (int[] c : new int[][] {{0, 1}, {0, 2}, {1, 2}}) {
                layouts.add(new int[][] {b, c});
            }
        }
        for (int c = 0; c < 3; c++) {
            layouts.add(new int[][] {{0, 1, 2}, {c}});
            for (int b = 0; b < 3; b++) {
                layouts.add(new int[][] {{b}, {c}});
            }
        }
        JudgeConfig config = JudgeConfig.defaults();
        int judged = 0;
        for (int[][] layout : layouts) {
            for (List<Observation> withHistory : List.of(List.<Observation>of(), history)) {
                Verdict verdict = new Judge().judge(pick(baselinePods, layout[0]), pick(canaryPods, layout[1]),
                        withHistory, config);
                String context = java.util.Arrays.toString(layout[0]) + " vs " + java.util.Arrays.toString(layout[1])
                        + (withHistory.isEmpty() ? "" : " with history") + ": " + verdict.summary();
                System.out.println("recorded A/A " + context);
                assertThat(verdict.result()).as(context).isNotEqualTo(Result.FAIL);
                judged++;
            }
        }
        assertThat(judged).isEqualTo(2 * (1 + 9 + 3 + 9));
    }

    /**
     * Each function's noise learned from the baselines of earlier analyses ({@link LearnedNoise}): every
     * recorded session other than {@code except} taught as one earlier verdict (its three baseline JVMs, judged
     * against the next session's), in session order.
     */
    private static LearnedNoise learnedFromOtherSessions(int except) throws IOException {
        Path root = ScenarioFolders.scenarios();
        List<Integer> sessions = new ArrayList<>();
        for (int session = 1; session <= SESSIONS; session++) {
            if (session != except) {
                sessions.add(session);
            }
        }
        LearnedNoise learned = LearnedNoise.empty();
        for (int i = 0; i < sessions.size(); i++) {
            int session = sessions.get(i);
            int other = sessions.get((i + 1) % sessions.size());
            List<Observation> baseline = observations("session-" + session,
                    ScenarioSummary.Side.read(root.resolve(Scenario.baselineFolder(session))));
            List<Observation> canary = observations("session-" + other,
                    ScenarioSummary.Side.read(root.resolve(Scenario.baselineFolder(other))));
            learned = learned.plus(new Judge().judge(baseline, canary, List.of(), learned, JudgeConfig.defaults()).taught());
        }
        return learned;
    }

    private static final int SESSIONS = 6;

    /**
     * The recorded A/A in every layout its pods make, with each function's noise learned from the five other
     * sessions' baselines (15 JVMs of the same code, as five earlier verdicts would teach it): no FAIL, and the
     * verdict says where the noise came from.
     */
    @Test
    void recordedAaNeverFailsWithLearnedNoise() throws IOException {
        Path root = ScenarioFolders.scenarios();
        Scenario aa = Scenario.named("aa");
        LearnedNoise learned = learnedFromOtherSessions(aa.session());
        assertThat(learned.verdicts()).isEqualTo(SESSIONS - 1);
        assertThat(learned.entries()).hasSizeGreaterThan(50);
        List<List<Observation>> baselinePods = pods("baseline",
                ScenarioSummary.Side.read(root.resolve(Scenario.baselineFolder(aa.session()))));
        List<List<Observation>> canaryPods = pods("canary", ScenarioSummary.Side.read(root.resolve("aa").resolve("canary")));
        int judged = 0;
        for (int[] b : new int[][] {{0, 1, 2}, {0, 1}, {0, 2}, {1, 2}, {0}, {1}, {2}}) {
            for (int[] c : new int[][] {{0, 1, 2}, {0, 1}, {0, 2}, {1, 2}, {0}, {1}, {2}}) {
                Verdict verdict = new Judge().judge(pick(baselinePods, b), pick(canaryPods, c), List.of(), learned,
                        JudgeConfig.defaults()).verdict();
                String context = java.util.Arrays.toString(b) + " vs " + java.util.Arrays.toString(c)
                        + " with learned noise: " + verdict.summary();
                assertThat(verdict.result()).as(context).isNotEqualTo(Result.FAIL);
                assertThat(verdict.dataQuality().types().stream().filter(t -> t.profileType() == ProfileType.CPU)
                        .findFirst().orElseThrow().noiseSource()).as(context)
                        .contains("also learned from the baselines of 5 earlier verdict(s)");
                judged++;
            }
        }
        assertThat(judged).isEqualTo(49);
    }

    /**
     * Every recorded scenario with each function's noise learned from the sessions other than its baseline's:
     * learned noise must neither hide a regression the data resolve nor make an unchanged canary FAIL, and the
     * lead incident stays at the changed method.
     */
    @ParameterizedTest
    @MethodSource("scenarioNames")
    void learnedNoiseKeepsEveryScenarioAsExpected(String name) throws IOException {
        Row row = ROWS.get(name);
        Scenario s = row.scenario();
        Path root = ScenarioFolders.scenarios();
        ScenarioSummary.Side baseline = ScenarioSummary.Side.read(root.resolve(Scenario.baselineFolder(s.session())));
        ScenarioSummary.Side canary = ScenarioSummary.Side.read(root.resolve(s.name()).resolve("canary"));
        Verdict verdict = new Judge().judge(observations("baseline", baseline), observations("canary", canary), List.of(),
                learnedFromOtherSessions(s.session()), JudgeConfig.defaults()).verdict();
        String context = name + " with learned noise: " + verdict.summary();
        if (s.expectedResult().equals("PASS")) {
            assertThat(verdict.result()).as(context).isNotEqualTo(Result.FAIL);
        } else if (row.resolvable()) {
            assertThat(verdict.result()).as(context).isEqualTo(Result.FAIL);
            assertThat(verdict.incidents().stream().filter(Incident::failing).findFirst().orElseThrow().entryFrame())
                    .as(context).isEqualTo(s.entryFrame());
        }
    }

    private static List<List<Observation>> pods(String side, ScenarioSummary.Side data) {
        List<List<Observation>> pods = new ArrayList<>();
        List<Observation> all = observations(side, data);
        for (PodFolder folder : data.folders()) {
            String name = side + "-" + folder.folder().getFileName();
            pods.add(all.stream().filter(o -> o.instance().equals(name)).toList());
        }
        return pods;
    }

    private static List<Observation> pick(List<List<Observation>> pods, int[] indexes) {
        List<Observation> picked = new ArrayList<>();
        for (int i : indexes) {
            picked.addAll(pods.get(i));
        }
        return picked;
    }

    /**
     * Whenever a regression scenario FAILs, its lead incident is named at the application method the change
     * was made in — also when the cost shows in JDK or library frames (regex-per-request: java.util.regex
     * under OrderValidator.validate; audit-jackson: Jackson under AuditTrail.serializeSnapshot;
     * thread-local-lookups: java.lang.ThreadLocal.get under PriceCalculator.quote) — and the first
     * failing finding names the same frame.
     */
    @ParameterizedTest
    @MethodSource("scenarioNames")
    void leadIncidentIsNamedAtTheChangedApplicationMethod(String name) {
        Row row = ROWS.get(name);
        Scenario s = row.scenario();
        Assumptions.assumeTrue(s.expectedResult().equals("FAIL") && row.verdict().result() == Result.FAIL,
                () -> name + " did not FAIL: no incident to name");
        Incident lead = row.leadIncident();
        assertThat(lead).as(row.verdict().summary()).isNotNull();
        assertThat(lead.entryFrame()).as(name + ": " + row.verdict().summary()).isEqualTo(s.entryFrame());
        assertThat(row.firstFailing().function()).isEqualTo(s.entryFrame());
        assertThat(row.verdict().summary()).startsWith("FAIL: ").contains("`" + s.entryFrame() + "`");
    }

    /**
     * cpu-regression-30 without history or learned noise: the rise would FAIL if the function's pod noise were
     * the typical function's, which 3 + 3 pods cannot show ({@code PriorWidth}): INCONCLUSIVE, not PASS, and the
     * summary names the function and what would decide; with the other sessions' lessons it FAILs
     * ({@link #learnedNoiseKeepsEveryScenarioAsExpected}).
     */
    @Test
    void aRiseOnlyTypicalNoiseWouldFailIsInconclusiveAndNamed() {
        Verdict verdict = ROWS.get("cpu-regression-30").verdict();
        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(verdict.summary()).startsWith("INCONCLUSIVE: `io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts`")
                .contains("would FAIL if the function(s) varied between JVMs no more than a typical function")
                .contains("3 baseline and 3 canary pod(s)")
                .contains("earlier windows of the baseline pods (history)");
        assertThat(verdict.pass()).isFalse();
        assertThat(verdict.score()).isEqualTo(50);
        // The rise is listed (not failing, saying why), and its incident leads, not failing either.
        String changed = "io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts";
        assertThat(verdict.findings()).noneMatch(Finding::failing);
        assertThat(verdict.findings()).anySatisfy(f -> {
            assertThat(f.function()).isEqualTo(changed);
            assertThat(f.explanation()).contains("Not failed: significant only if this function varies between JVMs "
                    + "like a typical one");
        });
        assertThat(verdict.incidents()).isNotEmpty().noneMatch(Incident::failing);
        assertThat(verdict.incidents().get(0).entryFrame()).isEqualTo(changed);
        // The A/A of the same recordings never becomes INCONCLUSIVE this way: nothing there would FAIL.
        assertThat(ROWS.get("aa").verdict().summary()).doesNotContain("would FAIL");
    }

    /** A known gap that the judge no longer has must be removed from the list (so the expectation runs again). */
    @Test
    void knownGapsAreStillGaps() {
        for (String name : KNOWN_GAPS.keySet()) {
            assertThat(ROWS).containsKey(name);
            assertThat(ROWS.get(name).asExpected()).as(name + " now behaves as expected: remove it from KNOWN_GAPS").isFalse();
        }
    }

    static List<Observation> observations(String side, ScenarioSummary.Side data) {
        List<Observation> observations = new ArrayList<>();
        for (int pod = 0; pod < data.pods().size(); pod++) {
            PodFolder folder = data.folders().get(pod);
            List<Profile> slices = data.pods().get(pod);
            for (int s = 0; s < slices.size(); s++) {
                Long requests = folder.requests().get(folder.slices().get(s).getFileName().toString());
                observations.add(new Observation(side + "-" + folder.folder().getFileName(), slices.get(s), requests));
            }
        }
        return observations;
    }

    private static Map<String, List<Profile>> byPod(ScenarioSummary.Side side) {
        Map<String, List<Profile>> pods = new LinkedHashMap<>();
        for (int i = 0; i < side.pods().size(); i++) {
            pods.put(side.folders().get(i).folder().toString(), side.pods().get(i));
        }
        return pods;
    }

    /** The manifest's {@code recording.cpuIntervalNanos}: the pprof slices carry CPU time, not sample counts. */
    private static double cpuIntervalNanos(Path manifest) throws IOException {
        Matcher m = Pattern.compile("\"cpuIntervalNanos\":\\s*(\\d+)").matcher(Files.readString(manifest, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IOException(manifest + ": no recording.cpuIntervalNanos");
        }
        return Double.parseDouble(m.group(1));
    }

    private static double[] podShares(ScenarioSummary.Side side, ProfileType type, String function) {
        return side.pods().stream().mapToDouble(pod -> ScenarioSummary.pooledShare(pod, type, function)).toArray();
    }

    private static String table(Iterable<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| scenario | expected | baseline → canary share | κ (session fit) | oracle-style z | resolvable "
                + "| verdict | first failing finding | lead incident | MDC at 5 % (cpu) | as expected |\n"
                + "|---|---|---:|---:|---:|---|---|---|---|---:|---|\n");
        for (Row row : rows) {
            Scenario s = row.scenario();
            Double mdc = row.verdict().dataQuality().types().stream()
                    .filter(t -> t.profileType() == ProfileType.CPU && t.minimumDetectableChange5pct() != null)
                    .map(io.canaryjudge.verdict.TypeQuality::minimumDetectableChange5pct).findFirst().orElse(null);
            out.append(String.format(Locale.ROOT, "| %s | %s%s | %s | %.3f | %s | %s | %s | %s | %s | %s | %s |%n", s.name(),
                    s.expectedResult(), s.expectedKind() == null ? "" : " (" + s.expectedKind() + ")",
                    Double.isNaN(row.baselineShare()) ? "–"
                            : percent(row.baselineShare()) + " → " + percent(row.canaryShare()),
                    row.podCv(), Double.isNaN(row.z()) ? "–" : String.format(Locale.ROOT, "%.1f", row.z()),
                    s.function() == null ? "–" : row.resolvable() ? "yes" : "no", row.verdict().result(),
                    row.firstFailingText(), row.leadIncidentText(),
                    mdc == null ? "–" : String.format(Locale.ROOT, "%.0f %%", mdc * 100),
                    row.asExpected() ? "yes" : "**no**"));
        }
        return out.toString();
    }

    /** Slice dispersion, slice rate CV and between-pod CV of the A/A scenario's six JVMs (CPU, self). */
    private static String aaNoise(Path root) throws IOException {
        Scenario aa = Scenario.named("aa");
        Map<String, List<Profile>> pods = new LinkedHashMap<>();
        pods.putAll(byPod(ScenarioSummary.Side.read(root.resolve(Scenario.baselineFolder(aa.session())))));
        pods.putAll(byPod(ScenarioSummary.Side.read(root.resolve(aa.name()).resolve("canary"))));
        NoiseFit fit = NoiseFit.of(pods, ProfileType.CPU, cpuIntervalNanos(root.resolve("aa").resolve("scenario.json")));
        return String.format(Locale.ROOT, "A/A scenario noise (CPU self time, %d functions ≥ %.1f %%, %d JVMs × 5 slices, "
                        + "%.0f samples per slice): d = %.2f, c² = %.4f (c = %.3f), κ² = %.4f (κ = %.3f)%n",
                fit.functions(), NoiseFit.MIN_SHARE * 100, pods.size(), fit.meanSamplesPerSlice(), fit.dispersion(),
                fit.sliceCv2(), Math.sqrt(Math.max(fit.sliceCv2(), 0)), fit.podCv2(),
                Math.sqrt(Math.max(fit.podCv2(), 0)));
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f %%", share * 100);
    }
}
