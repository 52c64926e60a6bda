package io.canaryjudge.config.kubernetes;

import io.canaryjudge.config.AnalysisConfig;
import io.canaryjudge.config.AnalysisConfigs;
import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.config.CanaryJudgeProperties;
import io.canaryjudge.config.ConfiguredAnalysisConfigs;
import io.canaryjudge.config.FlaggerProperties;
import io.canaryjudge.config.InvalidConfigException;
import io.canaryjudge.config.JudgeConfigProperties;
import io.canaryjudge.config.PrometheusProperties;
import io.canaryjudge.config.PropertiesConfiguration;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.core.env.Environment;

/**
 * Named configs that follow the environment: {@link #refresh()} binds {@code canary-judge.configs.*} and
 * {@code canary-judge.judge-config.*} again from the {@link Environment} as it is now (in Kubernetes, after Spring
 * Cloud Kubernetes read a changed ConfigMap into it), checks them the way start-up does, resolves every name, and
 * only then swaps them in as a whole. Until a valid set arrives the previous one stays in use: an analysis reads
 * one immutable {@link ConfiguredAnalysisConfigs}, never a mix of old and new.
 *
 * <p>The service-wide settings the configs fall back to ({@code canary-judge.analysis.*}, {@code .flagger.*},
 * {@code .prometheus.*}) are those of start-up: the sources and clients built from them are not rebuilt.
 */
public final class ReloadableAnalysisConfigs implements AnalysisConfigs {
    private static final String SOURCE = "changed configuration";

    private final Environment environment;
    private final AnalysisProperties analysis;
    private final FlaggerProperties flagger;
    private final PrometheusProperties prometheus;
    private final Clock clock;
    private volatile State state;

    /**
     * @param initial     the configs bound at start-up (generation 1)
     * @param environment where changed properties appear
     */
    public ReloadableAnalysisConfigs(ConfiguredAnalysisConfigs initial, Environment environment,
                                     AnalysisProperties analysis, FlaggerProperties flagger,
                                     PrometheusProperties prometheus, Clock clock) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.analysis = analysis;
        this.flagger = flagger;
        this.prometheus = prometheus;
        this.clock = clock;
        this.state = new State(Objects.requireNonNull(initial, "initial"), 1, clock.instant(), null);
    }

    @Override
    public AnalysisConfig resolve(String requested, String application) throws UnknownConfigException {
        return state.configs().resolve(requested, application);
    }

    @Override
    public SortedSet<String> names() {
        return state.configs().names();
    }

    /**
     * Binds the configs from the environment again and uses them from the next analysis on.
     *
     * @throws InvalidConfigException the new configs are invalid (the message names the property and value);
     *                                the ones in use stay, and {@link #status()} says why until a valid set comes
     */
    @Override
    public synchronized void refresh() throws InvalidConfigException {
        State before = state;
        ConfiguredAnalysisConfigs next;
        try {
            next = bind();
        } catch (InvalidConfigException e) {
            state = new State(before.configs(), before.generation(), before.appliedAt(),
                    new Rejection(clock.instant(), e.getMessage()));
            throw e;
        }
        state = new State(next, before.generation() + 1, clock.instant(), null);
    }

    /** What is in use and whether the latest change was refused. */
    public Status status() {
        State now = state;
        return new Status(now.generation(), now.appliedAt(), new TreeSet<>(now.configs().names()), now.rejection());
    }

    private ConfiguredAnalysisConfigs bind() throws InvalidConfigException {
        // as at start-up: the same conversions (an enum value's refusal names the accepted ones) and checks
        Binder binder = PropertiesConfiguration.binder(environment);
        ConfiguredAnalysisConfigs next;
        try {
            // An unknown key is refused as at start-up: accepted now, it would stop the next pod from starting.
            CanaryJudgeProperties service = binder.bindOrCreate("canary-judge",
                    Bindable.of(CanaryJudgeProperties.class), unknownProperties());
            JudgeConfigProperties judgeConfig = binder.bindOrCreate("canary-judge.judge-config",
                    Bindable.of(JudgeConfigProperties.class), unknownProperties());
            next = new ConfiguredAnalysisConfigs(analysis, flagger, prometheus, service, judgeConfig);
        } catch (BindException e) {
            throw new InvalidConfigException(SOURCE, "", reason(e));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(SOURCE, "", e.getMessage());
        }
        // Each name must resolve against the service's settings too (e.g. a named config's queries over the
        // service's Prometheus queries) before an analysis depends on it.
        for (String name : next.names()) {
            try {
                next.resolve(name, null);
            } catch (UnknownConfigException | RuntimeException e) {
                throw new InvalidConfigException(SOURCE, "canary-judge.configs." + name, e.getMessage());
            }
        }
        return next;
    }

    private BindHandler unknownProperties() {
        return PropertiesConfiguration.checks(BindHandler.DEFAULT, environment);
    }

    /**
     * The message that names the property: the record's own check (which names it) or, for a value that could
     * not be converted, the property, its value and what was expected.
     */
    static String reason(BindException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof UnboundConfigurationPropertiesException unbound) {
                return unbound.getUnboundProperties().stream()
                        .map(p -> p.getName() + " (from " + p.getOrigin() + ")")
                        .collect(Collectors.joining(", ", "unknown property: ", ""));
            }
            if (cause instanceof IllegalArgumentException && cause.getMessage() != null
                    && cause.getMessage().startsWith("canary-judge.")) {
                return cause.getMessage();
            }
        }
        ConfigurationProperty property = e.getProperty();
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String problem = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        if (property != null) {
            return property.getName() + ": cannot use \"" + property.getValue() + "\": " + problem;
        }
        return e.getName() + ": " + problem;
    }

    private record State(ConfiguredAnalysisConfigs configs, long generation, Instant appliedAt, Rejection rejection) {
    }

    /**
     * A change that was refused.
     *
     * @param at     when
     * @param reason what is wrong, naming the property
     */
    public record Rejection(Instant at, String reason) {
    }

    /**
     * @param generation 1 for the configs of start-up, +1 for each change applied
     * @param appliedAt  when the configs in use were applied
     * @param names      the named configs in use
     * @param rejection  the latest change, when it was refused after the configs in use were applied; else null
     */
    public record Status(long generation, Instant appliedAt, SortedSet<String> names, Rejection rejection) {
    }
}
