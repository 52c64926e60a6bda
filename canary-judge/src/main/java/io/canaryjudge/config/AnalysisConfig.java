package io.canaryjudge.config;

import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.profile.ProfileType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import io.canaryjudge.metricgate.MetricGate;
import io.canaryjudge.metrics.HeapQueries;
import io.canaryjudge.metrics.MetricQueries;

/**
 * Everything one analysis is configured with: the judge's thresholds and rules plus what to fetch, resolved
 * from a named config over the service-wide defaults.
 *
 * @param name           the config's name, or null for the defaults
 * @param judge          thresholds, rules, ignore list, judged and fail-on types
 * @param profileTypes   profile types fetched (a request may narrow or replace them)
 * @param lookback       window when a request gives none
 * @param warmup         left out after each young canary pod's first profile
 * @param historyWindows earlier baseline windows fetched to learn noise
 * @param baselineLabels Flagger: label name → value template of the primary pods
 * @param canaryLabels   Flagger: label name → value template of the canary pods
 * @param application    Flagger: the application template when the webhook's metadata gives none
 * @param queries        request-metric queries (Prometheus)
 * @param gates          metric gates compared beside the profiles (when Prometheus is configured)
 * @param memoryGrowth   the memory-growth check (the judge configuration's {@code memoryGrowth})
 * @param heapQueries    each pod's heap after GC and JVM start (Prometheus), for the memory-growth check
 */
public record AnalysisConfig(String name, JudgeConfig judge, List<ProfileType> profileTypes, Duration lookback,
                             Duration warmup, int historyWindows, Map<String, String> baselineLabels,
                             Map<String, String> canaryLabels, String application, MetricQueries queries,
                             List<MetricGate> gates, MemoryGrowthConfig memoryGrowth, HeapQueries heapQueries) {
    public AnalysisConfig {
        Objects.requireNonNull(judge, "judge");
        profileTypes = List.copyOf(profileTypes);
        Objects.requireNonNull(lookback, "lookback");
        Objects.requireNonNull(warmup, "warmup");
        baselineLabels = Map.copyOf(baselineLabels);
        canaryLabels = Map.copyOf(canaryLabels);
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(queries, "queries");
        gates = List.copyOf(gates);
        Objects.requireNonNull(memoryGrowth, "memoryGrowth");
        Objects.requireNonNull(heapQueries, "heapQueries");
    }

    public AnalysisConfig withJudge(JudgeConfig newJudge) {
        return new AnalysisConfig(name, newJudge, profileTypes, lookback, warmup, historyWindows, baselineLabels,
                canaryLabels, application, queries, gates, memoryGrowth, heapQueries);
    }

    public AnalysisConfig named(String newName) {
        return new AnalysisConfig(newName, judge, profileTypes, lookback, warmup, historyWindows, baselineLabels,
                canaryLabels, application, queries, gates, memoryGrowth, heapQueries);
    }

    public AnalysisConfig withWarmup(Duration newWarmup) {
        return new AnalysisConfig(name, judge, profileTypes, lookback, newWarmup, historyWindows, baselineLabels,
                canaryLabels, application, queries, gates, memoryGrowth, heapQueries);
    }

    public AnalysisConfig withMemoryGrowth(MemoryGrowthConfig newMemoryGrowth) {
        return new AnalysisConfig(name, judge, profileTypes, lookback, warmup, historyWindows, baselineLabels,
                canaryLabels, application, queries, gates, newMemoryGrowth, heapQueries);
    }

    /** The service-wide defaults without any named config or judge configuration file. */
    public static AnalysisConfig defaults(AnalysisProperties analysis, FlaggerProperties flagger,
                                          PrometheusProperties prometheus) {
        return new AnalysisConfig(null, JudgeConfig.defaults(), analysis.profileTypes(), analysis.lookback(),
                analysis.warmup(), analysis.historyWindows(), flagger.baselineLabels(), flagger.canaryLabels(),
                flagger.application(), prometheus.metricQueries(), prometheus.metricGates(),
                MemoryGrowthConfig.DEFAULTS, prometheus.heapQueries());
    }
}
