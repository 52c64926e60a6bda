package io.canaryjudge.config;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses {@code canary-judge.*} properties that nothing binds. Spring ignores a property no class reads, so a
 * misspelt {@code canary-judge.analysis.deadlin=5s} (command line, environment variable, configuration file or
 * ConfigMap) would leave the default in force without a word; with this handler binding fails and start-up stops
 * with Spring's "Binding to target … failed" naming the property, its value and where it came from.
 *
 * <p>Spring's own {@code @ConfigurationProperties(ignoreUnknownFields = false)} does not fit here: it checks every
 * name under the bound prefix, while the service's properties are split over classes with nested prefixes
 * ({@code canary-judge} binds {@code public-url} and {@code configs}, {@code canary-judge.analysis} its own keys),
 * and it skips environment variables and system properties, where {@code CANARY_JUDGE_…} settings usually come
 * from. Here a name is known when the binder looked it up (a component of a bound record, or an entry of a map it
 * binds); names under {@code otherPrefixes} are left to the class bound there. An environment variable is known
 * when it is one of Spring's two spellings of such a name ({@code CANARY_JUDGE_ANALYSIS_MAX_DEADLINE},
 * {@code CANARYJUDGE_ANALYSIS_MAXDEADLINE}).
 */
public final class UnknownPropertiesBindHandler extends AbstractBindHandler {
    /** The namespace checked; binding anything else passes through untouched. */
    static final ConfigurationPropertyName NAMESPACE = ConfigurationPropertyName.of("canary-judge");

    private final List<ConfigurationPropertyName> prefixes;
    private final Set<ConfigurationPropertyName> attempted = new HashSet<>();

    /**
     * @param prefixes the prefixes of every class bound under {@code canary-judge} (each checks its own names)
     */
    public UnknownPropertiesBindHandler(BindHandler parent, Collection<String> prefixes) {
        super(parent);
        this.prefixes = prefixes.stream().map(ConfigurationPropertyName::of).toList();
    }

    @Override
    public <T> Bindable<T> onStart(ConfigurationPropertyName name, Bindable<T> target, BindContext context) {
        attempted.add(name);
        return super.onStart(name, target, context);
    }

    @Override
    public Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Exception error)
            throws Exception {
        if (error instanceof UnboundConfigurationPropertiesException) {
            throw error; // never swallowed by a handler that ignores conversion errors
        }
        return super.onFailure(name, target, context, error);
    }

    @Override
    public void onFinish(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result)
            throws Exception {
        if (context.getDepth() == 0 && (NAMESPACE.equals(name) || NAMESPACE.isAncestorOf(name))) {
            Set<ConfigurationProperty> unknown = new TreeSet<>();
            for (ConfigurationPropertySource source : context.getSources()) {
                if (source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource environment) {
                    unknownVariables(name, environment, unknown);
                } else if (source instanceof IterableConfigurationPropertySource iterable) {
                    boolean jvmWide = source.getUnderlyingSource() instanceof PropertySource<?> properties
                            && StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(properties.getName());
                    for (ConfigurationPropertyName candidate : iterable.filter(name::isAncestorOf)) {
                        ConfigurationProperty property = iterable.getConfigurationProperty(candidate);
                        if (!known(candidate) && !boundElsewhere(name, candidate)
                                && (!jvmWide || spelledAsTheService(property))) {
                            unknown.add(property);
                        }
                    }
                }
            }
            if (!unknown.isEmpty()) {
                throw new UnboundConfigurationPropertiesException(unknown);
            }
        }
        super.onFinish(name, target, context, result);
    }

    /**
     * Whether a system property is written {@code canary-judge.…}: the JVM's properties serve every library in the
     * process (and test harnesses), and Spring's relaxed names would take {@code canaryjudge.shared.dir} for ours.
     */
    private static boolean spelledAsTheService(ConfigurationProperty property) {
        return property != null && property.getOrigin() instanceof PropertySourceOrigin origin
                && origin.getPropertyName().startsWith(NAMESPACE + ".");
    }

    private boolean known(ConfigurationPropertyName candidate) {
        if (attempted.contains(candidate)) {
            return true;
        }
        // An element of a list that another source set whole: the binder read the list there, not here.
        for (int i = 1; i < candidate.getNumberOfElements(); i++) {
            if (candidate.isNumericIndex(i) && attempted.contains(candidate.chop(i))) {
                return true;
            }
        }
        return false;
    }

    private boolean boundElsewhere(ConfigurationPropertyName root, ConfigurationPropertyName candidate) {
        for (ConfigurationPropertyName prefix : prefixes) {
            if (root.isAncestorOf(prefix) && (prefix.equals(candidate) || prefix.isAncestorOf(candidate))) {
                return true;
            }
        }
        return false;
    }

    /** Environment variables under {@code root} (in either spelling) that are no spelling of a name looked up. */
    private void unknownVariables(ConfigurationPropertyName root, EnumerablePropertySource<?> environment,
                                  Set<ConfigurationProperty> unknown) {
        Set<String> spellings = new HashSet<>();
        for (ConfigurationPropertyName name : attempted) {
            spellings.addAll(variables(name));
        }
        for (String variable : environment.getPropertyNames()) {
            String upper = variable.toUpperCase(Locale.ROOT);
            if (!under(upper, root) || spellings.contains(upper)) {
                continue;
            }
            boolean elsewhere = prefixes.stream().anyMatch(p -> root.isAncestorOf(p) && under(upper, p));
            if (!elsewhere) {
                Object value = environment.getProperty(variable);
                unknown.add(new ConfigurationProperty(ConfigurationPropertyName.adapt(
                        variable.toLowerCase(Locale.ROOT).replace('_', '.'), '.'),
                        value == null ? "" : value, PropertySourceOrigin.get(environment, variable)));
            }
        }
    }

    private static boolean under(String variable, ConfigurationPropertyName prefix) {
        return variables(prefix).stream().anyMatch(p -> variable.startsWith(p + "_"));
    }

    /** Spring's two environment-variable spellings of a name: dashes as underscores, or dropped. */
    private static List<String> variables(ConfigurationPropertyName name) {
        StringBuilder legacy = new StringBuilder();
        StringBuilder uniform = new StringBuilder();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            if (i > 0) {
                legacy.append('_');
                uniform.append('_');
            }
            legacy.append(name.getElement(i, ConfigurationPropertyName.Form.DASHED).replace('-', '_'));
            uniform.append(name.getElement(i, ConfigurationPropertyName.Form.UNIFORM));
        }
        return List.of(legacy.toString().toUpperCase(Locale.ROOT), uniform.toString().toUpperCase(Locale.ROOT));
    }
}
