package io.canaryjudge.config;

import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.metricgate.MetricGate;
import io.canaryjudge.metrics.HeapQueries;
import io.canaryjudge.metrics.ManagementPath;
import io.canaryjudge.metrics.MetricQueries;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Named configs from Spring properties ({@code canary-judge.configs.NAME.*}) and the judge configuration
 * ({@code canary-judge.judge-config.*}, whose {@code services.NAME} hold the judge's keys): a name known to
 * either is a config. Each resolves to its own keys, then the file's top level, then the service defaults.
 */
public final class ConfiguredAnalysisConfigs implements AnalysisConfigs {
    private final AnalysisProperties analysis;
    private final FlaggerProperties flagger;
    private final PrometheusProperties prometheus;
    private final Map<String, NamedConfigProperties> named;
    private final JudgeConfigProperties judgeConfigSource;
    private volatile JudgeConfigFile judgeConfig;

    public ConfiguredAnalysisConfigs(AnalysisProperties analysis, FlaggerProperties flagger,
                                     PrometheusProperties prometheus, CanaryJudgeProperties service,
                                     JudgeConfigProperties judgeConfigSource) {
        this.analysis = analysis;
        this.flagger = flagger;
        this.prometheus = prometheus;
        this.named = service.configs();
        this.judgeConfigSource = judgeConfigSource;
        this.judgeConfig = judgeConfigSource.load();
    }

    @Override
    public AnalysisConfig resolve(String requested, String application) throws UnknownConfigException {
        JudgeConfigFile file = judgeConfig;
        String name = requested;
        if (name == null) {
            name = application != null && known(file, application) ? application : null;
        } else if (!known(file, name)) {
            throw new UnknownConfigException(name, names());
        }
        AnalysisConfig defaults = AnalysisConfig.defaults(analysis, flagger, prometheus);
        if (name == null) {
            return withJudgeWarmup(defaults.withJudge(file.judgeConfig()).withMemoryGrowth(file.memoryGrowth()));
        }
        JudgeConfig judge;
        MemoryGrowthConfig memory;
        try {
            judge = file.services().contains(name) ? file.judgeConfig(name) : file.judgeConfig();
            memory = file.services().contains(name) ? file.memoryGrowth(name) : file.memoryGrowth();
        } catch (InvalidConfigException e) {
            throw new IllegalStateException(e.getMessage(), e); // the name was just found among the services
        }
        NamedConfigProperties own = named.get(name);
        if (own == null) {
            return withJudgeWarmup(defaults.withJudge(judge).withMemoryGrowth(memory).named(name));
        }
        return withJudgeWarmup(new AnalysisConfig(name, judge,
                own.profileTypes() != null ? own.profileTypes() : defaults.profileTypes(),
                own.lookback() != null ? own.lookback() : defaults.lookback(),
                own.warmup() != null ? own.warmup() : defaults.warmup(),
                own.historyWindows() != null ? own.historyWindows() : defaults.historyWindows(),
                own.baselineLabels() != null ? own.baselineLabels() : defaults.baselineLabels(),
                own.canaryLabels() != null ? own.canaryLabels() : defaults.canaryLabels(),
                own.application() != null ? own.application() : defaults.application(),
                queries(own, name, defaults.queries()),
                own.gates() != null ? gates(own.gates(), name) : defaults.gates(), memory,
                heapQueries(own, name, defaults.heapQueries())));
    }

    /**
     * The named config's exporter's request queries (else the service's), with its own replacements; the default
     * queries leave out its own management path when it sets one, else the service's.
     */
    private MetricQueries queries(NamedConfigProperties own, String name, MetricQueries service) {
        MetricQueries base;
        if (own.managementPath() == null) {
            base = own.exporter() != null ? prometheus.presetQueries(own.exporter()) : service;
        } else {
            ManagementPath management = PropertyCheck.managementPath(own.managementPath(),
                    "canary-judge.configs." + name + ".management-path");
            base = own.exporter() != null ? prometheus.presetQueries(own.exporter(), management)
                    : prometheus.metricQueries(management);
        }
        return own.queries() != null ? own.queries().applyTo(base, "canary-judge.configs." + name + ".queries") : base;
    }

    /**
     * The named config's heap queries: its own {@code heap.*} over the heap exporter it names, else its
     * {@code exporter}'s, else the service's; none of these set, the service's queries as they are.
     */
    private HeapQueries heapQueries(NamedConfigProperties own, String name, HeapQueries service) {
        HeapQueries.Exporter exporter = own.exporter() != null ? own.exporter().heap() : null;
        if (own.heap() != null) {
            return own.heap().queries("canary-judge.configs." + name + ".heap",
                    exporter != null ? exporter : prometheus.heapExporter());
        }
        return exporter != null ? HeapQueries.of(exporter) : service;
    }

    /** The named config's gate settings over the service's gates (a gate the service disabled stays off). */
    private List<MetricGate> gates(GateProperties.Gates own, String name) {
        MetricGate error = null;
        MetricGate latency = null;
        for (MetricGate gate : prometheus.metricGates()) {
            if (gate.name().equals(MetricGate.errorRatio().name())) {
                error = gate;
            } else if (gate.name().equals(MetricGate.latencyP99().name())) {
                latency = gate;
            }
        }
        return own.applyTo(error, latency, "canary-judge.configs." + name + ".gates");
    }

    /**
     * The judge configuration's {@code warmup} key (the command line's warm-up) may ask for more than the
     * service's: the larger one is left out of each young canary pod.
     */
    private static AnalysisConfig withJudgeWarmup(AnalysisConfig config) {
        if (config.judge().warmup().compareTo(config.warmup()) <= 0) {
            return config;
        }
        return config.withWarmup(config.judge().warmup());
    }

    private boolean known(JudgeConfigFile file, String name) {
        return named.containsKey(name) || file.services().contains(name);
    }

    @Override
    public SortedSet<String> names() {
        SortedSet<String> names = new TreeSet<>(named.keySet());
        names.addAll(judgeConfig.services());
        return names;
    }

    @Override
    public void refresh() throws InvalidConfigException {
        try {
            judgeConfig = judgeConfigSource.load();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(null, "", e.getMessage());
        }
    }
}
