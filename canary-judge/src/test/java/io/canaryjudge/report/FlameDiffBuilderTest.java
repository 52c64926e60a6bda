package io.canaryjudge.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.report.flame.FlameDiff;
import io.canaryjudge.report.flame.FlameDiffBuilder;
import io.canaryjudge.report.flame.FlameNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The merged call tree, built from real recorded profiles (canary-judge/src/test/resources/scenarios). */
class FlameDiffBuilderTest {
    private static final String AUDIT = "io.canaryjudge.scenario.shop.AuditTrail.serializeSnapshot";

    @Test
    void newHotPathIsANewNodeWithTheCanaryPodsMeanShare() throws Exception {
        ReportFixtures.Groups groups = ReportFixtures.scenario("new-hot-path");
        FlameDiff cpu = new FlameDiffBuilder().build(ProfileType.CPU, groups.baseline(), groups.canary()).orElseThrow();

        double[] audit = outermost(cpu, AUDIT);
        // computed independently: each canary pod's inclusive share over its slices, averaged over pods
        double expected = meanOfPods(groups.canary(), AUDIT);
        assertThat(expected).as("README: 15.3 % of the canary's CPU").isBetween(0.13, 0.18);
        assertThat(audit[1]).as("canary share in the tree").isCloseTo(expected, within(0.002));
        assertThat(audit[0]).as("baseline share in the tree").isZero();
    }

    @Test
    void sharesAddUpInEveryNode() throws Exception {
        for (String scenario : List.of("aa", "new-hot-path")) {
            ReportFixtures.Groups groups = ReportFixtures.scenario(scenario);
            for (ProfileType type : List.of(ProfileType.CPU, ProfileType.ALLOC_BYTES)) {
                FlameDiff flame = new FlameDiffBuilder().build(type, groups.baseline(), groups.canary()).orElseThrow();
                List<FlameNode> nodes = flame.nodes();
                assertThat(nodes.get(0).name()).isEqualTo(FlameDiff.ROOT);
                assertThat(nodes.get(0).baselineTotal()).isCloseTo(1.0, within(1e-6));
                assertThat(nodes.get(0).canaryTotal()).isCloseTo(1.0, within(1e-6));
                double[][] childSums = new double[2][nodes.size()];
                for (int i = 1; i < nodes.size(); i++) {
                    childSums[0][nodes.get(i).parent()] += nodes.get(i).baselineTotal();
                    childSums[1][nodes.get(i).parent()] += nodes.get(i).canaryTotal();
                }
                for (int i = 0; i < nodes.size(); i++) {
                    FlameNode n = nodes.get(i);
                    assertThat(n.baselineSelf() + childSums[0][i]).as(scenario + " " + type + " node " + i)
                            .isLessThanOrEqualTo(n.baselineTotal() + 1e-5);
                    assertThat(n.canarySelf() + childSums[1][i]).as(scenario + " " + type + " node " + i)
                            .isLessThanOrEqualTo(n.canaryTotal() + 1e-5);
                }
            }
        }
    }

    /**
     * A/A (same code in separate JVMs): the two trees are close — half the summed absolute difference
     * of self shares (total variation) is 6 % here, against 17 % for the new hot path — and no frame at
     * 5 % or more of either group moves by a quarter.
     */
    @Test
    void aaShowsSmallChangesWhereTheNewHotPathShowsALargeOne() throws Exception {
        FlameDiff aa = cpu("aa");
        FlameDiff hotPath = cpu("new-hot-path");
        assertThat(totalVariation(aa)).isLessThan(0.10);
        assertThat(totalVariation(hotPath)).isGreaterThan(0.14);
        for (FlameNode n : aa.nodes()) {
            if (Math.max(n.baselineTotal(), n.canaryTotal()) >= 0.05) {
                assertThat(n.canaryTotal() / n.baselineTotal()).as(n.name()).isBetween(0.75, 1.25);
            }
        }
    }

    @Test
    void pruningKeepsTheHeaviestNodesAsOneTree() throws Exception {
        ReportFixtures.Groups groups = ReportFixtures.scenario("new-hot-path");
        FlameDiff full = new FlameDiffBuilder(0, Integer.MAX_VALUE).build(ProfileType.CPU, groups.baseline(), groups.canary())
                .orElseThrow();
        FlameDiff capped = new FlameDiffBuilder(0, 100).build(ProfileType.CPU, groups.baseline(), groups.canary())
                .orElseThrow();
        FlameDiff floor = new FlameDiffBuilder().build(ProfileType.CPU, groups.baseline(), groups.canary()).orElseThrow();

        assertThat(full.droppedNodes()).isZero();
        assertThat(full.nodes().size()).isGreaterThan(1000);
        assertThat(capped.nodes()).hasSize(100);
        assertThat(capped.droppedNodes()).isEqualTo(full.nodes().size() - 100);
        Map<String, Double> fullWeights = weightsByPath(full);
        Map<String, Double> keptWeights = weightsByPath(capped);
        double lightestKept = keptWeights.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        fullWeights.forEach((path, weight) -> {
            if (!keptWeights.containsKey(path)) {
                assertThat(weight).as("dropped " + path).isLessThanOrEqualTo(lightestKept);
            }
        });
        // the default floor: every node of at least 0.05 % of either group, and nothing smaller
        long expected = 1 + fullWeights.values().stream().filter(w -> w >= FlameDiffBuilder.MIN_SHARE).count();
        assertThat(floor.nodes()).hasSize((int) expected);
        assertThat(floor.nodes().subList(1, floor.nodes().size()))
                .allMatch(n -> Math.max(n.baselineTotal(), n.canaryTotal()) >= FlameDiffBuilder.MIN_SHARE);
    }

    /**
     * Real production profiles with many call paths (a Kafka broker, four consecutive 10 s slices as
     * Pyroscope stores them: two pods a side) stay under the node cap; tighter caps hold exactly.
     */
    @Test
    void largeRealProfilesStayWithinTheBounds() throws Exception {
        List<Observation> baseline = new ArrayList<>();
        List<Observation> canary = new ArrayList<>();
        List<java.nio.file.Path> slices = SharedFixtures.kafkaPprofSlices();
        for (int i = 0; i < slices.size(); i++) {
            for (Profile p : ProfileFiles.read(slices.get(i), ReadOptions.defaults())) {
                (i < 2 ? baseline : canary).add(new Observation("kafka-" + i, p));
            }
        }
        FlameDiff full = new FlameDiffBuilder(0, Integer.MAX_VALUE).build(ProfileType.CPU, baseline, canary).orElseThrow();
        assertThat(full.nodes().size()).isGreaterThan(3_000);
        FlameDiff tight = new FlameDiffBuilder(0, 1_000).build(ProfileType.CPU, baseline, canary).orElseThrow();
        assertThat(tight.nodes()).hasSize(1_000);
        assertThat(tight.droppedNodes()).isEqualTo(full.nodes().size() - 1_000);
        FlameDiff flame = new FlameDiffBuilder().build(ProfileType.CPU, baseline, canary).orElseThrow();
        assertThat(flame.nodes().size()).isLessThanOrEqualTo(FlameDiffBuilder.MAX_NODES);
        assertThat(flame.nodes()).allMatch(n -> n.name().length() <= FlameDiffBuilder.MAX_NAME_LENGTH);
    }

    @Test
    void aTypeMissingFromAGroupHasNoDiff() throws Exception {
        ReportFixtures.Groups groups = ReportFixtures.scenario("aa");
        assertThat(new FlameDiffBuilder().build(ProfileType.LOCK_DELAY, groups.baseline(), groups.canary())).isEmpty();
        assertThat(new FlameDiffBuilder().build(ProfileType.CPU, groups.baseline(), List.of())).isEmpty();
    }

    @Test
    void hostileNamesAreKeptVerbatimButBounded() throws Exception {
        ReportFixtures.Groups groups = ReportFixtures.hostile();
        FlameDiff flame = new FlameDiffBuilder().build(ProfileType.CPU, groups.baseline(), groups.canary()).orElseThrow();
        Set<String> names = new HashSet<>();
        flame.nodes().forEach(n -> names.add(n.name()));
        assertThat(names).contains(ReportFixtures.RTL, ReportFixtures.STYLE_BREAK, ReportFixtures.SEPARATORS, "<script>alert");
        String longName = names.stream().filter(n -> n.startsWith("com.evil.Longxxx")).findFirst().orElseThrow();
        assertThat(longName).hasSize(FlameDiffBuilder.MAX_NAME_LENGTH).endsWith("…");
    }

    private static FlameDiff cpu(String scenario) throws Exception {
        ReportFixtures.Groups groups = ReportFixtures.scenario(scenario);
        return new FlameDiffBuilder().build(ProfileType.CPU, groups.baseline(), groups.canary()).orElseThrow();
    }

    private static double totalVariation(FlameDiff flame) {
        double sum = 0;
        for (FlameNode n : flame.nodes()) {
            sum += Math.abs(n.canarySelf() - n.baselineSelf());
        }
        return sum / 2;
    }

    /** Baseline and canary total of the nodes named {@code name} that have no such ancestor. */
    private static double[] outermost(FlameDiff flame, String name) {
        List<FlameNode> nodes = flame.nodes();
        boolean[] inside = new boolean[nodes.size()];
        double[] sums = new double[2];
        for (int i = 1; i < nodes.size(); i++) {
            boolean hit = nodes.get(i).name().equals(name);
            boolean above = inside[nodes.get(i).parent()];
            inside[i] = hit || above;
            if (hit && !above) {
                sums[0] += nodes.get(i).baselineTotal();
                sums[1] += nodes.get(i).canaryTotal();
            }
        }
        return sums;
    }

    private static double meanOfPods(List<Observation> observations, String function) {
        Map<String, double[]> pods = new LinkedHashMap<>();
        for (Observation o : observations) {
            FunctionTotals totals = o.profile().functionTotals(ProfileType.CPU);
            double value = 0;
            for (int f = 0; f < totals.functionCount(); f++) {
                if (totals.functionName(f).equals(function)) {
                    value += totals.inclusive(f);
                }
            }
            double[] pod = pods.computeIfAbsent(o.instance(), k -> new double[2]);
            pod[0] += value;
            pod[1] += totals.total();
        }
        return pods.values().stream().mapToDouble(p -> p[0] / p[1]).average().orElseThrow();
    }

    /** Each node's weight (larger group share) keyed by its path of names from the root. */
    private static Map<String, Double> weightsByPath(FlameDiff flame) {
        Map<String, Double> weights = new HashMap<>();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < flame.nodes().size(); i++) {
            FlameNode n = flame.nodes().get(i);
            String path = n.parent() < 0 ? n.name() : paths.get(n.parent()) + ";" + n.name();
            paths.add(path);
            if (i > 0) {
                weights.put(path, Math.max(n.baselineTotal(), n.canaryTotal()));
            }
        }
        return weights;
    }
}
