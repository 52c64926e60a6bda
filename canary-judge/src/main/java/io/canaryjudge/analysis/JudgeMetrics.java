package io.canaryjudge.analysis;

import io.canaryjudge.verdict.Result;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The judge's own metrics: verdicts by result and application ({@code canary_judge_verdicts_total}) and
 * analysis duration by result and source ({@code canary_judge_analysis_duration_seconds}). Application names
 * come from requests, so only the first {@value #MAX_APPLICATIONS} distinct ones become tag values (the rest
 * count as {@code other}): a caller cannot grow the metrics without bound.
 */
public final class JudgeMetrics {
    static final int MAX_APPLICATIONS = 200;
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Set<String> applications = new HashSet<>();

    public JudgeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void verdict(String application, Result result, String source, Duration elapsed) {
        Counter.builder("canary.judge.verdicts")
                .description("Verdicts given, by result and application")
                .tag("result", result.name()).tag("application", applicationTag(application))
                .register(registry).increment();
        Timer.builder("canary.judge.analysis.duration")
                .description("Time from receiving an analysis request to its verdict")
                .tag("result", result.name()).tag("source", source)
                .register(registry).record(elapsed);
    }

    private String applicationTag(String application) {
        synchronized (applications) {
            if (applications.contains(application)) {
                return application;
            }
            if (applications.size() < MAX_APPLICATIONS) {
                applications.add(application);
                return application;
            }
            return OTHER;
        }
    }
}
