package io.canaryjudge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The service as the request-mix tests over a real Prometheus ({@link ServiceOnPrometheus}; qa81, qa89) run it:
 * profiles from a local directory that applies windows, 10 s slices with no warm-up left out and no history, a 60 s
 * deadline, Prometheus' request counters selected by their {@code app} label and given 20 s a query, and the metric
 * gates off (the tests back no error or latency series). A class adds its own keys with
 * {@code @TestPropertySource(properties = …)}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.local.match-windows=true", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.slice=10s", "canary-judge.analysis.deadline=60s",
                "canary-judge.analysis.history-windows=0", "canary-judge.prometheus.application-label=app",
                "canary-judge.prometheus.timeout=20s", "canary-judge.prometheus.gates.error-ratio.enabled=false",
                "canary-judge.prometheus.gates.latency-p99.enabled=false"})
public @interface RequestMixServiceTest {
}
