package io.canaryjudge.memory;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.memory.LoadEstimate;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * qa64: the load estimate without request counts ({@link LoadEstimate}: the median over allocation sites) against the
 * request ratio and against all allocated bytes, for every pod of the qa59 recording (minutes 5-35) and of qa64's
 * (memoising cache, minutes 1-15), each against the baseline pods b1-b3 (a baseline pod against the other two).
 *
 * <pre>
 * nice mvn -B -q -o -pl canary-judge -am test -Dtest=LoadEstimateEvaluation -Dqa64.eval=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "qa64.eval", matches = "true")
class LoadEstimateEvaluation {
    @Test
    void evaluate() {
        StringBuilder table = new StringBuilder("| recording | pod | requests | all allocated bytes | median over sites (sites) |\n"
                + "|---|---|---|---|---|\n");
        for (String dir : List.of("qa59/load", "qa64/memo")) {
            LightCanaryWithoutCounts rec = new LightCanaryWithoutCounts(dir);
            int from = dir.equals("qa59/load") ? 5 : 1;
            int to = dir.equals("qa59/load") ? 35 : 15;
            for (String pod : rec.pods.keySet().stream().sorted().toList()) {
                List<String> canary = List.of(pod);
                List<String> baseline = LightCanaryWithoutCounts.BASELINE.stream().filter(p -> !p.equals(pod)).toList();
                List<Observation> b = rec.profiles(baseline, from, to);
                List<Observation> c = rec.profiles(canary, from, to);
                LoadEstimate estimate = LoadEstimate.fromAllocation(b, c);
                table.append(String.format(Locale.ROOT, "| %s | %s | %.0f %% | %.0f %% | %.0f %% (%d) |%n", dir, pod,
                        100 * rec.requestRatio(canary, baseline, from, to), 100 * estimate.canary() / estimate.baseline(),
                        100 * estimate.ratio(), estimate.sites()));
            }
        }
        // every 15-minute window one minute apart of the qa59 recording: the worst estimate over request ratio per pod
        LightCanaryWithoutCounts rec = new LightCanaryWithoutCounts("qa59/load");
        table.append("\n| pod (qa59, 15-min windows) | windows | estimated | lowest / highest estimate over requests |\n|---|---|---|---|\n");
        for (String pod : rec.pods.keySet().stream().sorted().toList()) {
            List<String> canary = List.of(pod);
            List<String> baseline = LightCanaryWithoutCounts.BASELINE.stream().filter(p -> !p.equals(pod)).toList();
            double low = Double.POSITIVE_INFINITY;
            double high = 0;
            int windows = 0;
            int estimated = 0;
            for (int from = 5; from + 15 <= 35; from++) {
                windows++;
                double ratio = LoadEstimate.fromAllocation(rec.profiles(baseline, from, from + 15),
                        rec.profiles(canary, from, from + 15)).ratio() / rec.requestRatio(canary, baseline, from, from + 15);
                if (!Double.isNaN(ratio)) {
                    estimated++;
                    low = Math.min(low, ratio);
                    high = Math.max(high, ratio);
                }
            }
            table.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f / %.2f |%n", pod, windows, estimated, low, high));
        }
        System.out.println(table);
    }
}
