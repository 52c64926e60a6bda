package io.canaryjudge.config.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * The ConfigMap's data keys that Spring Cloud Kubernetes reads as nothing. With more than one key, a key named like a
 * file ({@code .yaml}, {@code .yml}, {@code .properties}) is read only when it is named after the application
 * ({@code canary-judge.yaml}); any other — {@code application.yaml}, {@code config.yaml} — is skipped with one log
 * line of Spring Cloud Kubernetes' own, so an operator's whole configuration could be ignored while the service ran on its defaults. Checked once the
 * service is ready and after every change the poll applied; each key not read is logged at WARN and shown in the
 * readiness component {@code analysisConfigs} ({@code configMapKeysNotRead}).
 */
public final class ConfigMapKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigMapKeys.class);

    private final ObjectProvider<KubernetesClient> clients;
    private final Environment environment;
    private volatile List<String> notRead = List.of();

    ConfigMapKeys(ObjectProvider<KubernetesClient> clients, Environment environment) {
        this.clients = clients;
        this.environment = environment;
    }

    /** The keys of the latest check that were not read; empty when all were (or the check could not look). */
    public List<String> notRead() {
        return notRead;
    }

    @EventListener({ApplicationReadyEvent.class, EnvironmentChangeEvent.class})
    void check() {
        KubernetesClient client = clients.getIfAvailable();
        if (client == null) {
            return; // Spring Cloud Kubernetes switched off (spring.cloud.kubernetes.enabled=false): no ConfigMap read
        }
        String name = environment.getProperty("spring.cloud.kubernetes.config.name",
                environment.getProperty("spring.application.name", "canary-judge"));
        // Spring Cloud Kubernetes matches file keys against the application's name, not the ConfigMap's
        String application = environment.getProperty("spring.application.name", "application");
        String namespace = environment.getProperty("spring.cloud.kubernetes.config.namespace", client.getNamespace());
        ConfigMap configMap;
        try {
            configMap = client.configMaps().inNamespace(namespace).withName(name).get();
        } catch (RuntimeException e) {
            // reading the ConfigMap itself is the poll's business (ConfigMapReads); this check only adds a warning
            LOG.debug("ConfigMap {}/{} not read for its keys: {}", namespace, name, e.toString());
            return;
        }
        List<String> skipped = configMap == null || configMap.getData() == null ? List.of()
                : notRead(configMap.getData(), application, List.of(environment.getActiveProfiles()));
        if (!skipped.isEmpty() && !skipped.equals(notRead)) {
            LOG.warn("ConfigMap {}/{}: {} not read: with more than one key, only a file key named {}.yaml (or .yml,"
                    + " .properties) is read; rename it to {}.yaml or move its settings there", namespace, name,
                    skipped.size() == 1 ? "key " + skipped.get(0) + " is" : "keys " + String.join(", ", skipped)
                            + " are", application, application);
        }
        notRead = skipped;
    }

    /**
     * The keys of {@code data} read as nothing, as Spring Cloud Kubernetes 5 decides it: with one key, that key is read
     * whatever its name; with more, a key named like a file is read only when its name up to the first dot is
     * {@code application} (the application's name) or {@code application-PROFILE} for an active profile.
     */
    static List<String> notRead(Map<String, String> data, String application, List<String> activeProfiles) {
        if (data.size() <= 1) {
            return List.of();
        }
        List<String> skipped = new ArrayList<>();
        for (String key : new TreeMap<>(data).keySet()) {
            String lower = key.toLowerCase(Locale.ROOT);
            boolean file = lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".properties");
            String stem = key.split("\\.", 2)[0];
            boolean read = stem.equals(application)
                    || activeProfiles.stream().anyMatch(profile -> stem.equals(application + "-" + profile));
            if (file && !read) {
                skipped.add(key);
            }
        }
        return List.copyOf(skipped);
    }
}
