package io.canaryjudge.config;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Service-wide settings ({@code canary-judge.*}) that belong to no source.
 *
 * @param publicUrl where callers reach the service, e.g. {@code https://canary-judge.example.com}: report links
 *                  in verdicts start with it. Unset = the scheme, host and port the request came in on
 * @param configs   named configs ({@code canary-judge.configs.NAME.*}) beside the judge configuration's services
 */
@ConfigurationProperties("canary-judge")
public record CanaryJudgeProperties(URI publicUrl, Map<String, NamedConfigProperties> configs) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public CanaryJudgeProperties {
        if (publicUrl != null) {
            PropertyCheck.httpUrl(publicUrl, "canary-judge.public-url");
        }
        configs = configs == null ? Map.of() : new TreeMap<>(configs);
        for (Map.Entry<String, NamedConfigProperties> entry : configs.entrySet()) {
            check(entry.getKey(), entry.getValue());
        }
        configs = Map.copyOf(configs);
    }

    private static void check(String name, NamedConfigProperties config) {
        String p = "canary-judge.configs." + name + ".";
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("canary-judge.configs." + name + ": a config name must match "
                    + NAME.pattern());
        }
        if (config.profileTypes() != null && config.profileTypes().isEmpty()) {
            throw new IllegalArgumentException(p + "profile-types must name at least one profile type");
        }
        if (config.profileTypes() != null) {
            AnalysisProperties.judgedOnItsOwn(config.profileTypes(), p + "profile-types");
        }
        if (config.lookback() != null) {
            PropertyCheck.positive(config.lookback(), p + "lookback");
        }
        if (config.warmup() != null) {
            PropertyCheck.notNegative(config.warmup(), p + "warmup");
        }
        if (config.historyWindows() != null) {
            PropertyCheck.atLeast(config.historyWindows(), 0, p + "history-windows");
        }
        if (config.baselineLabels() != null) {
            PropertyCheck.labelTemplates(config.baselineLabels(), p + "baseline-labels");
        }
        if (config.canaryLabels() != null) {
            PropertyCheck.labelTemplates(config.canaryLabels(), p + "canary-labels");
        }
        if (config.application() != null) {
            SelectorTemplate.check(config.application(), p + "application");
        }
        if (config.managementPath() != null) {
            PropertyCheck.managementPath(config.managementPath(), p + "management-path");
        }
        if (config.queries() != null) {
            config.queries().applyTo(io.canaryjudge.metrics.MetricQueries.defaults(), p + "queries");
        }
        if (config.heap() != null) {
            config.heap().queries(p + "heap", io.canaryjudge.metrics.HeapQueries.Exporter.MICROMETER);
            if (config.heap().step() != null) {
                // bound by the shared record, but the heap queries' step is one for the whole service
                throw new IllegalArgumentException(p + "heap.step: the heap queries' step is service-wide; set"
                        + " canary-judge.prometheus.heap.step");
            }
        }
        if (config.gates() != null) {
            config.gates().applyTo(io.canaryjudge.metricgate.MetricGate.errorRatio(),
                    io.canaryjudge.metricgate.MetricGate.latencyP99(), p + "gates");
        }
    }
}
