package io.canaryjudge.scenario;

import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints what the committed recordings hold, as Markdown: samples and requests per slice, and
 * how the injected function's share moved between the baseline and the canary pods. The figures
 * in {@code scenarios/README.md} come from this. Run from the repository root:
 * <pre>
 * java -cp canary-judge/target/test-classes:profile-client/target/classes:$HOME/.m2/repository/tools/profiler/jfr-converter/4.2/jfr-converter-4.2.jar \
 *   io.canaryjudge.scenario.ScenarioSummary [SCENARIOS_DIR | --example examples/profiles]
 * </pre>
 */
public final class ScenarioSummary {
    private static final String SHOP = "io.canaryjudge.scenario.shop.";
    /** Functions whose spread the A/A section reports: the shop's own. */
    private static final List<String> WATCHED = List.of(
            SHOP + "PriceCalculator.applyDiscounts", SHOP + "OrderHasher.fingerprint", SHOP + "OrderSerializer.toJson",
            SHOP + "ProductCatalog.lookup", SHOP + "OrderValidator.validate", SHOP + "OrderFeed.next",
            SHOP + "LatencyReporter.publish");

    private ScenarioSummary() {
    }

    /** One side (baseline or canary) of a scenario: slices grouped by pod. */
    record Side(List<List<Profile>> pods, List<PodFolder> folders) {

        static Side read(Path side) throws IOException {
            return read(PodFolder.pods(side));
        }

        static Side read(List<Path> podFolders) throws IOException {
            List<List<Profile>> pods = new ArrayList<>();
            List<PodFolder> folders = new ArrayList<>();
            for (Path pod : podFolders) {
                PodFolder folder = PodFolder.read(pod);
                List<Profile> slices = new ArrayList<>();
                for (Path slice : folder.slices()) {
                    try {
                        slices.addAll(ProfileFiles.read(slice, ReadOptions.defaults()));
                    } catch (io.canaryjudge.profile.NotAProfileException
                             | io.canaryjudge.profile.InvalidProfileException e) {
                        throw new IOException(slice + ": " + e.getMessage(), e);
                    }
                }
                pods.add(slices);
                folders.add(folder);
            }
            return new Side(pods, folders);
        }

        List<Profile> all() {
            return pods.stream().flatMap(List::stream).toList();
        }
    }

    /** Inclusive value of {@code function} over the total, pooled over {@code profiles}; 0..1. */
    static double pooledShare(List<Profile> profiles, ProfileType type, String function) {
        long value = 0;
        long total = 0;
        for (Profile profile : profiles) {
            FunctionTotals totals = profile.functionTotals(type);
            if (totals == null) {
                continue;
            }
            total += totals.total();
            value += inclusive(totals, function);
        }
        return total == 0 ? 0 : (double) value / total;
    }

    /** Inclusive value of {@code function} in one profile, 0 when absent. */
    static long inclusive(FunctionTotals totals, String function) {
        for (int f = 0; f < totals.functionCount(); f++) {
            if (totals.functionName(f).equals(function)) {
                return totals.inclusive(f);
            }
        }
        return 0;
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--example")) {
            printExample(Path.of(args[1]));
            return;
        }
        Path root = args.length > 0 ? Path.of(args[0]) : ScenarioFolders.scenarios();
        StringBuilder out = new StringBuilder();
        out.append("| scenario | CPU samples/slice, baseline (min–max) | canary | requests/s, baseline (median) | canary "
                + "| injected function (type) | baseline share | canary share | change | per canary pod |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Scenario scenario : Scenario.all()) {
            Side baseline = Side.read(root.resolve(Scenario.baselineFolder(scenario.session())));
            Side canary = Side.read(root.resolve(scenario.name()).resolve("canary"));
            out.append("| ").append(scenario.name()).append(" | ").append(samples(baseline)).append(" | ")
                    .append(samples(canary)).append(" | ").append(rate(baseline)).append(" | ").append(rate(canary))
                    .append(" | ");
            if (scenario.function() == null) {
                out.append("— | | | | |\n");
                continue;
            }
            ProfileType type = ProfileType.fromId(scenario.profileType());
            double b = pooledShare(baseline.all(), type, scenario.function());
            double c = pooledShare(canary.all(), type, scenario.function());
            List<String> perPod = new ArrayList<>();
            for (List<Profile> pod : canary.pods()) {
                perPod.add(percent(pooledShare(pod, type, scenario.function())));
            }
            out.append(scenario.function().replace(SHOP, "")).append(" (").append(type).append(") | ")
                    .append(percent(b)).append(" | ").append(percent(c)).append(" | ")
                    .append(b == 0 ? "new" : String.format(Locale.ROOT, "%+.0f %%", (c / b - 1) * 100)).append(" | ")
                    .append(String.join(", ", perPod)).append(" |\n");
        }
        out.append("\nCPU share (inclusive) of the shop's functions per pod, baseline pods then canary pods:\n\n");
        for (Scenario scenario : Scenario.all()) {
            if (!List.of("aa", "improvement", "low-rate", "alloc-regression").contains(scenario.name())) {
                continue;
            }
            Side baseline = Side.read(root.resolve(Scenario.baselineFolder(scenario.session())));
            Side canary = Side.read(root.resolve(scenario.name()).resolve("canary"));
            out.append("* ").append(scenario.name()).append(":\n");
            for (String function : WATCHED) {
                List<String> shares = new ArrayList<>();
                double min = Double.MAX_VALUE;
                double max = 0;
                for (List<Profile> pod : baseline.pods()) {
                    double share = pooledShare(pod, ProfileType.CPU, function);
                    shares.add(percent(share));
                }
                for (List<Profile> pod : canary.pods()) {
                    shares.add(percent(pooledShare(pod, ProfileType.CPU, function)));
                }
                for (List<Profile> pod : concat(baseline.pods(), canary.pods())) {
                    double share = pooledShare(pod, ProfileType.CPU, function);
                    min = Math.min(min, share);
                    max = Math.max(max, share);
                }
                double bAll = pooledShare(baseline.all(), ProfileType.CPU, function);
                double cAll = pooledShare(canary.all(), ProfileType.CPU, function);
                out.append(String.format(Locale.ROOT, "  * %s: %s | canary/baseline %+.0f %% | max/min pod %.2f%n",
                        function.replace(SHOP, ""), String.join(" ", shares), (cAll / bAll - 1) * 100,
                        min == 0 ? Double.NaN : max / min));
            }
        }
        System.out.print(out);
    }

    /** The shipped example: {@code DIR/shop/shop-HASH-*} pods, the cpu-regression-100 change. */
    private static void printExample(Path folder) throws IOException {
        Scenario scenario = Scenario.named("cpu-regression-100");
        Side baseline = Side.read(ScenarioFolders.examplePods(folder, ScenarioFolders.EXAMPLE_BASELINE_HASH));
        Side canary = Side.read(ScenarioFolders.examplePods(folder, ScenarioFolders.EXAMPLE_CANARY_HASH));
        double b = pooledShare(baseline.all(), ProfileType.CPU, scenario.function());
        double c = pooledShare(canary.all(), ProfileType.CPU, scenario.function());
        System.out.printf(Locale.ROOT, "CPU samples/slice baseline %s, canary %s; requests/s baseline %s, canary %s; "
                        + "%s CPU share baseline %s, canary %s (%+.0f %%)%n", samples(baseline), samples(canary),
                rate(baseline), rate(canary), scenario.function(), percent(b), percent(c), (c / b - 1) * 100);
    }

    private static List<List<Profile>> concat(List<List<Profile>> a, List<List<Profile>> b) {
        List<List<Profile>> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String samples(Side side) {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (Profile profile : side.all()) {
            long samples = profile.sampleCount(profile.sampleTypeIndex(ProfileType.CPU));
            min = Math.min(min, samples);
            max = Math.max(max, samples);
        }
        return min + "–" + max;
    }

    private static String rate(Side side) {
        List<Double> rates = new ArrayList<>();
        for (int p = 0; p < side.pods().size(); p++) {
            PodFolder folder = side.folders().get(p);
            for (int s = 0; s < folder.slices().size(); s++) {
                Profile profile = side.pods().get(p).get(s);
                Long requests = folder.requests().get(folder.slices().get(s).getFileName().toString());
                rates.add(requests * 1e9 / profile.durationNanos());
            }
        }
        rates.sort(null);
        return String.format(Locale.ROOT, "%.0f", rates.get(rates.size() / 2));
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }
}
