package io.canaryjudge.qa91;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.qa87.Http2HeapThroughPyroscope;
import java.time.Duration;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The service qa91's tests judge Go pods with: client_golang's heap ({@code heap.exporter=client-golang}), no request
 * metrics ({@code jmx-exporter}), the Pyroscope stand-in speaking Go ({@code producer=go}), one history window, and a
 * 120 s analysis deadline so that a heap-window fetch on a loaded machine answers rather than turning into a warning.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.warmup=0s", "canary-judge.analysis.deadline=120s",
                "canary-judge.analysis.max-deadline=120s",
                "canary-judge.analysis.history-windows=1", "canary-judge.prometheus.application-label=app",
                "canary-judge.prometheus.timeout=20s", "canary-judge.prometheus.exporter=jmx-exporter",
                "canary-judge.prometheus.heap.exporter=client-golang", "canary-judge.pyroscope.producer=go"})
abstract class LiveHeapThroughPyroscope extends Http2HeapThroughPyroscope {

    /** Waits out the 120 s deadline, so the service's answer is seen, with its warnings. */
    @Override
    protected Duration responseTimeout() {
        return Duration.ofSeconds(150);
    }
}
