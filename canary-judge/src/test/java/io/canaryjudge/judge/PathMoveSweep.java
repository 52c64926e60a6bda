package io.canaryjudge.judge;

import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.util.List;
import java.util.Random;

/**
 * qa55 (bench/qa55-sweep.sh): the model of {@link ReactorPathMoveTest} (its paths and pods) over seeds and layouts. Pods
 * run the handler's work 85-95 % on the read path ({@code moved=false}: every pod) or the canary's and history's 5-15 %
 * ({@code moved=true}: the rest on the subscription path); {@code loop}: the canary's {@code PromotionRules.apply} own
 * loop factor. Prints per cell the verdicts, runs with a failing Reactor row, and runs with a failing incident at the
 * loop.
 */
public class PathMoveSweep {
    public static void main(String[] a) throws Exception {
        String[] paths = ReactorPathMoveTest.paths();
        String app = ReactorPathMoveTest.APP;
        int seeds = Integer.parseInt(a[0]);
        String[] layouts = {"2v2", "3v3", "2v2+h2", "1v3+h2"};
        for (String layout : layouts) {
            for (double loop : new double[] {1.0, 1.8}) {
                for (boolean moved : new boolean[] {false, true}) {
                    int fail = 0, inc = 0, pass = 0, reactorFail = 0, promo = 0;
                    for (int seed = 1; seed <= seeds; seed++) {
                        SyntheticService s = new SyntheticService(120, 1000 + seed);
                        int nb = layout.startsWith("1") ? 3 : layout.startsWith("2") ? 2 : 3;
                        int nc = layout.startsWith("1") ? 1 : nb;
                        int nh = layout.contains("+h2") ? 2 : 0;
                        Random r = new Random(seed);
                        List<Observation> b = ReactorPathMoveTest.pods(s, "b", paths, readShares(nb, 0.9, r), 1.0);
                        List<Observation> c = ReactorPathMoveTest.pods(s, "c", paths,
                                readShares(nc, moved ? 0.1 : 0.9, r), loop);
                        List<Observation> h = ReactorPathMoveTest.pods(s, "h", paths,
                                readShares(nh, moved ? 0.1 : 0.9, r), 1.0);
                        Verdict v = new Judge().judge(b, c, h, JudgeConfig.defaults());
                        if (v.result() == Result.FAIL) fail++; else if (v.result() == Result.PASS) pass++; else inc++;
                        if (v.findings().stream().anyMatch(f -> f.failing() && f.function().startsWith("reactor."))) reactorFail++;
                        if (v.incidents().stream().anyMatch(i -> i.failing() && i.entryFrame().equals(app + "PromotionRules.apply"))) promo++;
                    }
                    System.out.printf("%-8s loop x%.1f moved=%-5s n=%d FAIL %d INCONCLUSIVE %d PASS %d reactor-row-failing %d PromotionRules-incident-failing %d%n",
                            layout, loop, moved, seeds, fail, inc, pass, reactorFail, promo);
                }
            }
        }
    }

    /** Each of {@code n} pods' share of the handler's work on the read path: {@code mean} ± 5 points. */
    static double[] readShares(int n, double mean, Random r) {
        double[] shares = new double[n];
        for (int p = 0; p < n; p++) {
            shares[p] = Math.min(1, Math.max(0, mean + (r.nextDouble() - 0.5) * 0.1));
        }
        return shares;
    }
}
