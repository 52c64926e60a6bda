package io.canaryjudge.analysis;

import io.canaryjudge.metricgate.GateOutcome;
import io.canaryjudge.metricgate.MetricGate;
import io.canaryjudge.metricgate.MetricGateResult;
import io.canaryjudge.metrics.MetricQueries;
import io.canaryjudge.metrics.QueryTemplate;
import io.canaryjudge.metrics.TimeSeries;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.source.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The metric gates of an analysis (error ratio, p99 latency): both groups' series from Prometheus, fetched
 * beside the profiles and within the same time, then judged ({@link MetricGate}). A gate whose series did not
 * arrive is a gap, said out loud; it can only have added a FAIL, so it never turns a verdict into a PASS.
 */
final class MetricGateChecks {
    private final RequestMetrics metrics;
    private final Duration step;

    /** @param step one point per step (the slice length) */
    MetricGateChecks(RequestMetrics metrics, Duration step) {
        this.metrics = metrics;
        this.step = step;
    }

    /**
     * What the gates found.
     *
     * @param results one per gate that had both groups' series
     * @param gaps     gates whose series are missing, and why: one line each
     * @param warnings gates that answered NO_DATA, and why: one line each
     */
    record Checked(List<MetricGateResult> results, List<String> gaps, List<String> warnings) {
        static final Checked NONE = new Checked(List.of(), List.of(), List.of());

        /** The results whose gate fails the verdict. */
        List<MetricGateResult> failing() {
            return results.stream().filter(MetricGateResult::failsVerdict).toList();
        }

        /**
         * A gate that can fail the verdict but could not judge though Prometheus has its metric for the
         * service: one group without enough usable points (a canary serving no requests answers 0/0 = NaN, a
         * canary whose series lack its labels answers nothing) or too few independent points to tell a worse
         * canary from noise. It could have failed, so a PASS must not stand on it. A metric neither group has
         * any point of (the service does not export it) is only a warning.
         */
        Optional<MetricGateResult> undecidedVerdictGate(List<MetricGate> gates) {
            return results.stream()
                    .filter(result -> result.outcome() == GateOutcome.NO_DATA && !noSeries(result)
                            && gates.stream().anyMatch(gate -> gate.failsVerdict()
                            && gate.name().equals(result.comparison().name())))
                    .findFirst();
        }

        /** Whether a gate that could fail the verdict is missing. */
        boolean missingVerdictGate(List<MetricGate> gates) {
            return gaps.stream().anyMatch(gap -> gates.stream()
                    .anyMatch(gate -> gate.failsVerdict() && gap.startsWith(gate.name() + ":")));
        }
    }

    private record Series(MetricGate gate, String group, List<TimeSeries> series, List<String> warnings,
                          Throwable failure) {
    }

    /** @param canaryRequests the canary pods' requests per slice, as cost per request reads them */
    Mono<Checked> check(AnalysisRequest request, Instant by, Mono<Map<String, Map<Instant, Long>>> canaryRequests) {
        List<MetricGate> gates = request.config().gates();
        if (gates.isEmpty()) {
            return Mono.just(Checked.NONE);
        }
        Deadline deadline = request.deadline();
        List<Mono<Series>> calls = new ArrayList<>();
        for (MetricGate gate : gates) {
            QueryTemplate template = template(gate, request.config().queries());
            if (template == null) {
                continue;
            }
            calls.add(query(gate, "baseline", template, request.baseline(), request));
            calls.add(query(gate, "canary", template, request.canary(), request));
        }
        Duration budget = Duration.between(deadline.clock().instant(), by);
        Duration allowed = budget.isNegative() ? Duration.ZERO : budget;
        Mono<Optional<Long>> served = gates.stream().anyMatch(MetricGate::countsRequests)
                ? total(canaryRequests).take(allowed).map(Optional::of).defaultIfEmpty(Optional.empty())
                : Mono.just(Optional.empty());
        return Mono.zip(Flux.merge(calls).take(allowed).collectList(), served)
                .contextWrite(context -> context.put(Deadline.class, deadline))
                .map(both -> judge(gates, request, both.getT1(), both.getT2().orElse(null), deadline));
    }

    /**
     * Requests the canary served in the window, its pods' slices summed; empty when Prometheus has no such series or
     * could not be asked: the gates then judge their series alone, as before request counts were known.
     */
    private static Mono<Long> total(Mono<Map<String, Map<Instant, Long>>> canaryRequests) {
        return canaryRequests
                .flatMap(counts -> {
                    long sum = 0;
                    boolean any = false;
                    for (Map<Instant, Long> pod : counts.values()) {
                        for (long served : pod.values()) {
                            sum += served;
                            any = true;
                        }
                    }
                    return any ? Mono.just(sum) : Mono.<Long>empty();
                })
                .onErrorResume(e -> Mono.empty());
    }

    private Mono<Series> query(MetricGate gate, String group, QueryTemplate template, ProfileSelector selector,
                               AnalysisRequest request) {
        return metrics.seriesWithWarnings(template, selector, request.window(), step)
                .map(result -> new Series(gate, group, result.series(), result.warnings(), null))
                .onErrorResume(e -> Mono.just(new Series(gate, group, List.of(), List.of(), e)));
    }

    private Checked judge(List<MetricGate> gates, AnalysisRequest request, List<Series> arrived, Long canaryRequests,
                          Deadline deadline) {
        MetricQueries queries = request.config().queries();
        Map<String, Series> byKey = new HashMap<>();
        for (Series series : arrived) {
            byKey.put(series.gate().name() + "|" + series.group(), series);
        }
        List<MetricGateResult> results = new ArrayList<>();
        List<String> gaps = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> unasked = new ArrayList<>();
        for (MetricGate gate : gates) {
            if (template(gate, queries) == null) {
                unasked.add(gate.name());
                continue;
            }
            Series baseline = byKey.get(gate.name() + "|baseline");
            Series canary = byKey.get(gate.name() + "|canary");
            String missing = missing(baseline, "baseline", deadline);
            missing = missing != null ? missing : missing(canary, "canary", deadline);
            if (missing != null) {
                gaps.add(gate.name() + ": " + missing);
                continue;
            }
            MetricGateResult result = gate.judge(baseline.series(), canary.series(), canaryRequests);
            results.add(result);
            for (Series group : List.of(baseline, canary)) {
                for (String warning : group.warnings()) {
                    // E.g. Thanos' "partial response": the series may lack some pods or time.
                    warnings.add("metric " + gate.name() + ": Prometheus warned about the " + group.group()
                            + "'s query: " + warning);
                }
            }
            if (noData(result)) {
                warnings.add(describe(result) + (noSeries(result) ? "; Prometheus has no series for either group: does"
                        + " the service export this metric, with these labels? The baseline's query: "
                        + metrics.render(template(gate, queries), request.baseline(), step) + " (the application label"
                        + " is canary-judge.prometheus.application-label; queries for other exporters: docs/METRICS.md)"
                        : ""));
            }
        }
        if (!unasked.isEmpty() && queries.absent() != null) {
            // Said, not failed: like a service exporting no request metrics, but without a query that finds nothing.
            warnings.add("metric " + String.join(", ", unasked) + " not judged: " + queries.absent() + "; give the"
                    + " server's request metrics as queries (canary-judge.prometheus.queries.*, or the named config's;"
                    + " docs/METRICS.md)");
        }
        return new Checked(results, gaps, warnings);
    }

    private static String missing(Series series, String group, Deadline deadline) {
        if (series == null) {
            return "the " + group + "'s series had not arrived from Prometheus when the " + deadline.allowedText() + " deadline came";
        }
        if (series.failure() != null) {
            return "the " + group + "'s series could not be read: " + FetchLog.oneLine(series.failure());
        }
        return null;
    }

    /** The query of a gate: by its name; a gate without a query of its own is not run. */
    private static QueryTemplate template(MetricGate gate, MetricQueries queries) {
        if (gate.name().equals(MetricGate.errorRatio().name())) {
            return queries.errorRatio();
        }
        if (gate.name().equals(MetricGate.latencyP99().name())) {
            return queries.latencyP99();
        }
        return null;
    }

    /** A one-line account of a gate's outcome for warnings: NO_DATA results say why. */
    static String describe(MetricGateResult result) {
        return "metric " + result.comparison().name() + ": " + result.outcome().name().toLowerCase(Locale.ROOT)
                .replace('_', ' ') + " — " + result.comparison().note();
    }

    static boolean noData(MetricGateResult result) {
        return result.outcome() == GateOutcome.NO_DATA;
    }

    /** Not a single point, not even NaN, in either group: no series matched. */
    static boolean noSeries(MetricGateResult result) {
        return result.baselinePoints() + result.canaryPoints() + result.skippedPoints() == 0;
    }
}
