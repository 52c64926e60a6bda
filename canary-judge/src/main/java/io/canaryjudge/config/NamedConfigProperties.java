package io.canaryjudge.config;

import io.canaryjudge.metrics.MetricsExporter;
import io.canaryjudge.profile.ProfileType;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a named config sets besides the judge's keys (which come from the judge configuration's
 * {@code services.NAME} section): {@code canary-judge.configs.NAME.*}. Unset fields take the service-wide
 * defaults ({@code canary-judge.analysis.*}, {@code canary-judge.flagger.*}). Checked, with the property
 * named, by {@link CanaryJudgeProperties}.
 *
 * @param profileTypes   profile types fetched and judged
 * @param lookback       window when a request gives none
 * @param warmup         canary warm-up left out
 * @param historyWindows earlier baseline windows fetched to learn noise
 * @param baselineLabels Flagger: label name → value template of the primary pods
 * @param canaryLabels   Flagger: label name → value template of the canary pods
 * @param application    Flagger: the application when the webhook's metadata gives none
 * @param exporter       whose metrics this config's pods expose (as {@code canary-judge.prometheus.exporter}): its
 *                       request and heap queries replace the service's, this config's {@code queries} and {@code heap}
 *                       replace them in turn; unset keeps the service's
 * @param managementPath this config's pods' management base path (as {@code canary-judge.prometheus.management-path},
 *                       checked the same way): the default request queries (its exporter's, else the service's) leave
 *                       out the requests under it instead of under the service's; unset keeps the service's
 * @param queries        replacements for the service's request-metric queries (the exporter's, when it is set)
 * @param gates          settings of the metric gates over the service's
 * @param heap           the memory-growth check's heap queries (an exporter or replacements) instead of the
 *                       service's ({@code step} is refused: it is the service's, {@code canary-judge.prometheus.heap.step})
 */
public record NamedConfigProperties(List<ProfileType> profileTypes, Duration lookback, Duration warmup,
                                    Integer historyWindows, Map<String, String> baselineLabels,
                                    Map<String, String> canaryLabels, String application,
                                    MetricsExporter exporter, String managementPath, MetricQueryProperties queries,
                                    GateProperties.Gates gates,
                                    HeapQueryProperties heap) {
}
