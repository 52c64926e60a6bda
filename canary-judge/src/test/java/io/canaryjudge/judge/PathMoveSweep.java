package io.canaryjudge.judge;

import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.nio.file.*;
import java.util.*;

/**
 * qa55 (bench/qa55-sweep.sh): the model of {@link ReactorPathMoveTest} over seeds and layouts. Pods run the handler's
 * work 85-95 % on the read path ({@code moved=false}: every pod) or the canary's and history's 5-15 % ({@code
 * moved=true}: the rest on the subscription path); {@code loop}: the canary's {@code PromotionRules.apply} own loop
 * factor. Prints per cell the verdicts, runs with a failing Reactor row, and runs with a failing incident at the loop.
 */
public class PathMoveSweep {
    static final String APP = "io.canaryjudge.qa53.PricingPod$";
    public static void main(String[] a) throws Exception {
        List<String> lines = Files.readAllLines(io.canaryjudge.SharedFixtures.projectRoot()
                .resolve("canary-judge/src/test/resources/qa55/reactor-paths.txt"));
        List<String> stacks = lines.stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        String read = stacks.get(0), sub = stacks.get(1);
        String chain = read.substring(read.indexOf(";reactor.core.publisher.MonoFlatMap$FlatMapMain.onNext;reactor.core.publisher.InternalMonoOperator.subscribe"));
        String route = sub.substring(0, sub.indexOf(";reactor.core.publisher.MonoFlatMap$FlatMapMain.onNext;org.springframework.web.reactive.function.server.RouterFunctions"));
        String[] paths = {read, route + chain};
        Map<String, Double> work = new LinkedHashMap<>();
        work.put(APP + "Quotes$$Lambda.apply;" + APP + "Quotes.lambda$quote$1;" + APP + "PromotionRules.apply", 0.05);
        work.put(APP + "Quotes$$Lambda.apply;" + APP + "Quotes.lambda$quote$1;" + APP + "PromotionRules.apply;java.lang.Math.floorMod", 0.02);
        work.put(APP + "Quotes$$Lambda.apply;" + APP + "Quotes.lambda$quote$0", 0.03);
        work.put(APP + "Quotes$$Lambda.apply;" + APP + "Quotes.lambda$quote$1;" + APP + "AuditLog.record;tools.jackson.databind.ObjectMapper.writeValueAsBytes", 0.03);
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
                        List<Observation> b = pods(s, "b", paths, work, nb, 0.9, 1.0, r);
                        List<Observation> c = pods(s, "c", paths, work, nc, moved ? 0.1 : 0.9, loop, r);
                        List<Observation> h = pods(s, "h", paths, work, nh, moved ? 0.1 : 0.9, 1.0, r);
                        Verdict v = new Judge().judge(b, c, h, JudgeConfig.defaults());
                        if (v.result() == Result.FAIL) fail++; else if (v.result() == Result.PASS) pass++; else inc++;
                        if (v.findings().stream().anyMatch(f -> f.failing() && f.function().startsWith("reactor."))) reactorFail++;
                        if (v.incidents().stream().anyMatch(i -> i.failing() && i.entryFrame().equals(APP + "PromotionRules.apply"))) promo++;
                    }
                    System.out.printf("%-8s loop x%.1f moved=%-5s n=%d FAIL %d INCONCLUSIVE %d PASS %d reactor-row-failing %d PromotionRules-incident-failing %d%n",
                            layout, loop, moved, seeds, fail, inc, pass, reactorFail, promo);
                }
            }
        }
    }
    static List<Observation> pods(SyntheticService s, String prefix, String[] paths, Map<String, Double> work, int n,
                                  double readMean, double loop, Random r) {
        List<Observation> out = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            double read = Math.min(1, Math.max(0, readMean + (r.nextDouble() - 0.5) * 0.1)); // ±5 points a pod
            Map<String, Double> extra = new LinkedHashMap<>();
            for (Map.Entry<String, Double> w : work.entrySet()) {
                double share = w.getValue() * (w.getKey().endsWith("PromotionRules.apply") ? loop : 1);
                extra.put(paths[0] + ";" + w.getKey(), share * read);
                extra.put(paths[1] + ";" + w.getKey(), share * (1 - read));
            }
            out.addAll(s.pod(prefix + "-" + p, s.shares, Collections.nCopies(4, extra), 3_000, 0.05, 2));
        }
        return out;
    }
}
