package io.canaryjudge.memory;

import io.canaryjudge.CanaryJudgeApplication;
import java.time.Duration;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The service as the tests of recorded Go pods whose profiles a Pyroscope stand-in serves run it (qa87, qa88, qa91
 * through {@code qa87.Http2HeapThroughPyroscope}; fxf): client_golang's heap ({@code heap.exporter=client-golang}), no
 * request metrics ({@code jmx-exporter}), the stand-in speaking Go ({@code producer=go}), one history window, no
 * warm-up, and a 120 s analysis deadline, so that a heap-window fetch on a loaded machine answers rather than turning
 * into a warning (60 s timed out under load), with a client that waits 150 s to see that answer.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.warmup=0s", "canary-judge.analysis.deadline=120s",
                "canary-judge.analysis.max-deadline=120s",
                "canary-judge.analysis.history-windows=1", "canary-judge.prometheus.application-label=app",
                "canary-judge.prometheus.timeout=20s", "canary-judge.prometheus.exporter=jmx-exporter",
                "canary-judge.prometheus.heap.exporter=client-golang", "canary-judge.pyroscope.producer=go"})
public abstract class ScrapedGoPodsOnPyroscope extends ScrapedPodsService {

    /** Waits out the 120 s deadline, so the service's answer is seen, with its warnings. */
    @Override
    protected Duration responseTimeout() {
        return Duration.ofSeconds(150);
    }
}
