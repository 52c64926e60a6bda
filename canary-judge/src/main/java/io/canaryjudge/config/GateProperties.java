package io.canaryjudge.config;

import io.canaryjudge.metricgate.MetricGate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Settings of one metric gate; unset fields keep the gate's defaults (docs/METRICS.md).
 *
 * @param enabled           false = the metric is not queried nor compared
 * @param relativeTolerance allowed worsening as a fraction of the baseline (0.25 = 25 %)
 * @param absoluteTolerance allowed worsening in the metric's unit
 * @param failsVerdict      whether a FAIL of this gate fails the verdict (else it is reported only)
 * @param alpha             one-sided significance of the noise check and of the request floor, in (0, 1]; 1 judges
 *                          on the tolerance alone (a low-traffic service whose canary can never serve the requests
 *                          a PASS at 0.05 rests on)
 */
public record GateProperties(Boolean enabled, Double relativeTolerance, Double absoluteTolerance,
                             Boolean failsVerdict, Double alpha) {

    /** {@code base} with these settings, or null when disabled; errors name {@code property}. */
    MetricGate applyTo(MetricGate base, String property) {
        if (base == null || Boolean.FALSE.equals(enabled)) {
            return null;
        }
        try {
            MetricGate gate = base.withTolerances(relativeTolerance != null ? relativeTolerance : base.relativeTolerance(),
                    absoluteTolerance != null ? absoluteTolerance : base.absoluteTolerance());
            gate = alpha != null ? gate.withAlpha(alpha) : gate;
            return failsVerdict != null ? gate.withFailsVerdict(failsVerdict) : gate;
        } catch (IllegalArgumentException e) {
            // name the key refused (….error-ratio.absolute-tolerance), so a command-line argument is found by its name
            String key = Stream.of("relativeTolerance", "absoluteTolerance", "alpha")
                    .filter(field -> e.getMessage() != null && e.getMessage().contains(field + " must"))
                    .map(field -> "." + field.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT))
                    .findFirst().orElse("");
            throw new IllegalArgumentException(property + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * The two gates' settings.
     *
     * @param errorRatio the error-ratio gate
     * @param latencyP99 the p99-latency gate
     */
    public record Gates(GateProperties errorRatio, GateProperties latencyP99) {
        /** The gates over {@code errorRatio} and {@code latencyP99} (null = disabled), checked. */
        List<MetricGate> applyTo(MetricGate errorRatioBase, MetricGate latencyBase, String property) {
            List<MetricGate> gates = new ArrayList<>();
            MetricGate error = errorRatio == null ? errorRatioBase : errorRatio.applyTo(errorRatioBase, property + ".error-ratio");
            MetricGate latency = latencyP99 == null ? latencyBase : latencyP99.applyTo(latencyBase, property + ".latency-p99");
            if (error != null) {
                gates.add(error);
            }
            if (latency != null) {
                gates.add(latency);
            }
            return gates;
        }
    }
}
