package io.canaryjudge.config.kubernetes;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.kubernetes.commons.config.ConfigMapPropertySourceLocator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * What happens when Spring Cloud Kubernetes' poll finds a changed ConfigMap: the ConfigMaps are read again with
 * the Kubernetes client the service started with, the new property source takes the old one's place, and the
 * keys that changed are announced as an {@link EnvironmentChangeEvent}, as Spring Cloud's refresh announces them
 * ({@link ConfigChangeListener} re-binds the named configs; Spring Cloud re-applies logging levels).
 *
 * <p>Spring Cloud Kubernetes' own "refresh" strategy re-runs all config data instead, which builds a new
 * Kubernetes client on every reload and never closes it: with fabric8's Vert.x client each one keeps a Vert.x
 * instance and its threads for good (ConfigMapReloadTest counts them). The service needs none of what else a
 * full refresh does (it has no {@code @RefreshScope} beans).
 */
final class ConfigMapSourceRefresh implements Runnable {
    private final ConfigurableApplicationContext context;
    private final ObjectProvider<ConfigMapPropertySourceLocator> locator;

    ConfigMapSourceRefresh(ConfigurableApplicationContext context,
                           ObjectProvider<ConfigMapPropertySourceLocator> locator) {
        this.context = context;
        this.locator = locator;
    }

    @Override
    public void run() {
        ConfigurableEnvironment environment = context.getEnvironment();
        PropertySource<?> fresh = locator.getObject().locate(environment);
        MutablePropertySources sources = environment.getPropertySources();
        PropertySource<?> old = sources.get(fresh.getName());
        if (old == null) {
            throw new IllegalStateException("the ConfigMaps' property source \"" + fresh.getName()
                    + "\" is not in the environment; nothing to replace");
        }
        Set<String> changed = changedKeys(old, fresh);
        sources.replace(fresh.getName(), fresh);
        context.publishEvent(new EnvironmentChangeEvent(context, changed));
    }

    /** Keys added, removed or given another value. */
    static Set<String> changedKeys(PropertySource<?> before, PropertySource<?> after) {
        Set<String> keys = new TreeSet<>(names(before));
        keys.addAll(names(after));
        keys.removeIf(key -> Objects.equals(before.getProperty(key), after.getProperty(key)));
        return keys;
    }

    private static Set<String> names(PropertySource<?> source) {
        if (source instanceof EnumerablePropertySource<?> enumerable) {
            return Set.of(enumerable.getPropertyNames());
        }
        throw new IllegalStateException("property source \"" + source.getName() + "\" cannot list its keys");
    }
}
