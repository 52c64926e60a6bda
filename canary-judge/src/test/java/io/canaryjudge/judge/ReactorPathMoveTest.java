package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same handler work on two call paths of one framework (qa53, qa55): Spring WebFlux over Reactor Netty runs a
 * request's handler either on the event loop's read of the last content or on the subscription path, under {@code
 * MonoNext$NextSubscriber.onNext} and a chain of subscription frames in which {@code InternalMonoOperator.subscribe}
 * recurs; how many requests took each path differed between unchanged JVMs (qa53: the frame with its callees 3-5 %
 * of CPU in two, 11-15 % in four), and 2 of 10 A/A 2v2 draws with history FAILed at a Reactor frame, the work that
 * moved under it counted as grown. The two paths' frames are the recorded ones ({@code
 * src/test/resources/qa55/reactor-paths.txt}, from qa55's pods {@code b2} and {@code b1}); the handler's work below
 * them and the rest of the profile are modelled ({@link SyntheticService}), as the re-recorded pods of qa55 all ran
 * the read path.
 */
class ReactorPathMoveTest {
    static final String APP = "io.canaryjudge.qa53.PricingPod$";
    /** The handler's work below the path (root first), its share of the samples. */
    private static final Map<String, Double> WORK = new LinkedHashMap<>(); // in order: the draws are seeded

    static {
        WORK.put(APP + "Quotes$$Lambda.apply;" + APP + "Quotes.lambda$quote$1;" + APP + "PromotionRules.apply", 0.05);
        WORK.put(APP + "Quotes$$Lambda.apply;" + APP + "Quotes.lambda$quote$1;" + APP + "PromotionRules.apply"
                + ";java.lang.Math.floorMod", 0.02);
        WORK.put(APP + "Quotes$$Lambda.apply;" + APP + "Quotes.lambda$quote$0", 0.03);
        WORK.put(APP + "Quotes$$Lambda.apply;" + APP + "Quotes.lambda$quote$1;" + APP + "AuditLog.record"
                + ";tools.jackson.databind.ObjectMapper.writeValueAsBytes", 0.03);
    }
    private static final String ROUTING = "org.springframework.web.reactive.function.server.RouterFunctions"
            + "$RouterFunctionWebHandler.lambda$handle$2;io.canaryjudge.qa53.PricingPod$$Lambda.handle";

    private final Judge judge = new Judge();

    /**
     * A/A, 3 + 3 pods: the baseline's JVMs ran 85-90 % of the handler's work on the read path, the canary's 85-90 % on
     * the subscription path (qa53's JVMs split so). Before, the subscription frames above the work FAILed as grown
     * ("`FluxSwitchIfEmpty$SwitchIfEmptySubscriber.onNext` +633 % … q = 0.002 for
     * `MonoNext$NextSubscriber.onSubscribe`"; in qa53 "`MonoNext$NextSubscriber.onNext` +262 % … mostly Reactor and
     * Spring").
     */
    @Test
    void theSameHandlerWorkOnTheOtherReactorPathDoesNotFail() throws IOException {
        String[] paths = paths();
        SyntheticService service = new SyntheticService(120, 55);
        List<Observation> baseline = pods(service, "b", paths, new double[] {0.9, 0.85, 0.9}, 1.0);
        List<Observation> canary = pods(service, "c", paths, new double[] {0.1, 0.15, 0.1}, 1.0);

        Verdict verdict = judge.judge(baseline, canary, JudgeConfig.defaults());

        assertThat(verdict.result()).as(verdict.summary()).isNotEqualTo(Result.FAIL);
        // The row that failed before: the subscription frame above the work, quoted by the incident at
        // `FluxSwitchIfEmpty$SwitchIfEmptySubscriber.onNext` ("+633 % (1.4 % → 10.2 % of CPU …)").
        Finding subscribe = verdict.findings().stream()
                .filter(f -> f.function().equals("reactor.core.publisher.MonoNext$NextSubscriber.onSubscribe")
                        && f.measure() == Measure.INCLUSIVE)
                .findFirst().orElseThrow();
        assertThat(subscribe.canary()).as("the work does move under it").isGreaterThan(3 * subscribe.baseline());
        assertThat(subscribe.failing()).isFalse();
        assertThat(subscribe.explanation()).contains("moved there, it did not grow");
        assertThat(verdict.findings()).noneMatch(f -> f.failing() && f.function().startsWith("reactor."));
    }

    /**
     * The same move with the handler's own loop 1.8 times as dear in the canary: it FAILs at the loop, and the frames
     * above it on the path the work moved to are not excused (said first, as the largest change: the moved work and
     * the rise are one rise there).
     */
    @Test
    void aRealRiseOnTheOtherPathStillFails() throws IOException {
        String[] paths = paths();
        SyntheticService service = new SyntheticService(120, 55);
        List<Observation> baseline = pods(service, "b", paths, new double[] {0.9, 0.85, 0.9}, 1.0);
        List<Observation> canary = pods(service, "c", paths, new double[] {0.1, 0.15, 0.1}, 1.8);

        Verdict verdict = judge.judge(baseline, canary, JudgeConfig.defaults());

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        assertThat(verdict.incidents()).as(verdict.summary())
                .anyMatch(i -> i.failing() && i.entryFrame().equals(APP + "PromotionRules.apply"));
        // The Reactor frame above both the moved work and the rise is not excused: its code got dearer on that path.
        assertThat(verdict.findings()).as(verdict.summary()).anyMatch(f -> f.failing()
                && f.function().equals("reactor.core.publisher.MonoNext$NextSubscriber.onSubscribe"));
    }

    /** {read path, subscription path}: the recorded frames down to where the handler's work begins. */
    static String[] paths() throws IOException {
        List<String> lines = Files.readAllLines(SharedFixtures.projectRoot()
                .resolve("canary-judge/src/test/resources/qa55/reactor-paths.txt"));
        List<String> stacks = lines.stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        String read = stacks.get(0);
        String subscribe = stacks.get(1);
        // The handler returns its pipeline; WebFlux subscribes to it below the route's `MonoFlatMap$FlatMapMain.onNext`,
        // and with the body already read the pipeline runs there, synchronously: the chain the read path runs below
        // `MonoFlatMap$FlatMapMain.onNext` (with `InternalMonoOperator.subscribe`, which the subscription path already
        // holds above, again), with no application frame above it.
        String chain = read.substring(read.indexOf(";reactor.core.publisher.MonoFlatMap$FlatMapMain.onNext;"
                + "reactor.core.publisher.InternalMonoOperator.subscribe"));
        assertThat(subscribe).endsWith(ROUTING);
        String route = subscribe.substring(0, subscribe.indexOf(";reactor.core.publisher.MonoFlatMap$FlatMapMain.onNext;"
                + "org.springframework.web.reactive.function.server.RouterFunctions"));
        return new String[] {read, route + chain};
    }

    /** Pods whose handler work runs on the read path for {@code readShare} of it, its promotion loop × {@code loop}. */
    static List<Observation> pods(SyntheticService service, String prefix, String[] paths, double[] readShare,
                                  double loop) {
        List<Observation> observations = new ArrayList<>();
        for (int p = 0; p < readShare.length; p++) {
            Map<String, Double> extra = new LinkedHashMap<>();
            for (Map.Entry<String, Double> w : WORK.entrySet()) {
                double share = w.getValue() * (w.getKey().endsWith("PromotionRules.apply") ? loop : 1);
                extra.put(paths[0] + ";" + w.getKey(), share * readShare[p]);
                extra.put(paths[1] + ";" + w.getKey(), share * (1 - readShare[p]));
            }
            observations.addAll(service.pod(prefix + "-" + p, service.shares, Collections.nCopies(4, extra), 3_000,
                    0.05, 2));
        }
        return observations;
    }
}
