package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Incidents in framework-driven code, where no application frame is above the cost: a WebFlux service's handler
 * code runs as lambdas inside Reactor operators on Netty event-loop threads. Modelled on recorded Reactor Netty pods
 * ({@code io.canaryjudge.qa25.QuotePod}, 3 + 3): a new fraud check in a {@code flatMap} lambda (+6.8 % of CPU)
 * also made {@code publishOn} wake its worker more often (the kernel's {@code pthread_cond_signal}, a
 * noisy +3 points that is no finding of its own), so {@code FluxFlatMap$FlatMapMain.onNext}, the library frame
 * above both, rose by more than the new path alone carries and was a second failing incident named at Reactor.
 */
class FrameworkRootedIncidentsTest {
    private static final String LOOP = "io.netty.util.concurrent.FastThreadLocalRunnable.run"
            + ";io.netty.channel.nio.NioEventLoop.run;reactor.netty.channel.ChannelOperations.onInboundNext"
            + ";reactor.core.publisher.FluxFlatMap$FlatMapMain.onNext";
    private static final String RESERVE = LOOP + ";reactor.core.publisher.MonoCallable.call"
            + ";com.shop.Orders.lambda$quote$2;com.shop.Orders.reserve";
    private static final String FRAUD = RESERVE + ";com.shop.Orders.fraudScore";
    private static final String SIGNAL = LOOP + ";java.util.concurrent.locks.LockSupport.unpark"
            + ";libc.so.6.___pthread_cond_signal";
    private static final String WORKER_SIGNAL = "java.lang.Thread.run;reactor.core.scheduler.WorkerTask.call"
            + ";reactor.core.publisher.FluxPublishOn$PublishOnSubscriber.run;java.util.concurrent.locks.LockSupport.unpark"
            + ";libc.so.6.___pthread_cond_signal";

    private final Judge judge = new Judge();

    @Test
    void libraryFrameAboveTheNewPathIsNoIncidentOfItsOwn() {
        SyntheticService service = new SyntheticService(120, 41);
        // The kernel's wake-ups are mostly elsewhere (the workers' side), where they vary a lot from pod to pod: as
        // recorded, pthread_cond_signal as a whole is no finding (7.6 % -> 10.9 % of CPU, q = 0.15).
        double[] elsewhere = {0.05, 0.09, 0.07, 0.085, 0.055, 0.075};
        List<Observation> baseline = new ArrayList<>();
        List<Observation> canary = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            baseline.addAll(service.pod("b-" + p, service.shares, Collections.nCopies(3,
                    Map.of(RESERVE, 0.012, SIGNAL, 0.015, WORKER_SIGNAL, elsewhere[p])), 10_000, 0.05, 2));
            canary.addAll(service.pod("c-" + p, service.shares, Collections.nCopies(3,
                    Map.of(RESERVE, 0.012, FRAUD, 0.07, SIGNAL, 0.04, WORKER_SIGNAL, elsewhere[3 + p])), 10_000, 0.05, 2));
        }

        Verdict verdict = judge.judge(baseline, canary, JudgeConfig.defaults());

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        List<Incident> failing = verdict.incidents().stream().filter(Incident::failing).toList();
        assertThat(failing).as(verdict.summary()).hasSize(1);
        assertThat(failing.get(0).entryFrame()).isEqualTo("com.shop.Orders.fraudScore");
        assertThat(verdict.incidents()).as(verdict.summary())
                .noneMatch(i -> i.failing() && i.entryFrame().startsWith("reactor."));
        // The library frame's row stays, in the application incident.
        assertThat(failing.get(0).functions()).contains("reactor.core.publisher.FluxFlatMap$FlatMapMain.onNext");
    }

    /**
     * WebFlux code is mostly lambdas: pricing written inline in a {@code map} lambda doubled (recorded: 8.8 % to
     * 17.5 % of CPU in {@code ReactiveOrders.lambda$quote$1}). javac's name says neither where the lambda is written
     * nor which of the method's lambdas it is in the source, so the incident says the method it is written in.
     */
    @Test
    void lambdaIncidentSaysTheMethodItIsWrittenIn() {
        String map = LOOP + ";reactor.core.publisher.FluxMapFuseable$MapFuseableSubscriber.onNext"
                + ";com.shop.Orders$$Lambda.apply;com.shop.Orders.lambda$quote$1";
        SyntheticService service = new SyntheticService(120, 43);
        List<Observation> baseline = service.group("b", service.shares, 3, 3, 10_000, 0.05, 2, Map.of(map, 0.08));
        List<Observation> canary = service.group("c", service.shares, 3, 3, 10_000, 0.05, 2, Map.of(map, 0.16));

        Verdict verdict = judge.judge(baseline, canary, JudgeConfig.defaults());

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        Incident lead = verdict.incidents().get(0);
        assertThat(lead.entryFrame()).isEqualTo("com.shop.Orders.lambda$quote$1");
        assertThat(lead.summary()).startsWith("`com.shop.Orders.lambda$quote$1` (a lambda in `com.shop.Orders.quote`) +");
        assertThat(verdict.summary()).startsWith("FAIL: `com.shop.Orders.lambda$quote$1` (a lambda in `com.shop.Orders.quote`) +");
        assertThat(Summaries.enclosing("com.shop.Orders.lambda$new$0")).isEqualTo(" (a lambda in a constructor of `com.shop.Orders`)");
        assertThat(Summaries.enclosing("com.shop.Orders.lambda$static$2"))
                .isEqualTo(" (a lambda in the static initialiser of `com.shop.Orders`)");
        assertThat(Summaries.enclosing("com.shop.Orders$$Lambda.apply")).isEmpty();
        assertThat(Summaries.enclosing("com.shop.Orders.quote")).isEmpty();
    }
}
