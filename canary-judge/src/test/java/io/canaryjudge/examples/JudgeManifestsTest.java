package io.canaryjudge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.Cli;
import io.canaryjudge.config.JudgeConfigFile;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The judge's own manifests (examples/kubernetes) and its container recipe (Dockerfile), checked for
 * what they promise, since no schema of the core kinds is at hand: a non-root, read-only container
 * running {@code serve}, probes on the app's health groups, Secret references rather than Secrets,
 * RBAC that lets Spring Cloud Kubernetes read ConfigMaps and nothing more, configs the judge parses.
 * That the probe paths answer is checked over real HTTP in {@link ExampleRequestsTest}.
 */
class JudgeManifestsTest {
    private final Manifest deployment = ExampleWiring.judgeDeployment();
    private final JsonNode pod = deployment.spec().path("template");
    private final JsonNode container = pod.path("spec").path("containers").get(0);

    @Test
    void deploymentRunsTwoReplicasOfTheService() {
        assertThat(deployment.spec().path("replicas").asInt()).isEqualTo(2);
        assertThat(container.path("image").asString()).isNotBlank();
        assertThat(container.path("args").toString()).isEqualTo("[\"" + Cli.SERVE + "\"]");
        assertThat(deployment.spec().path("selector").path("matchLabels").properties())
                .as("selector matches the pod's labels")
                .allSatisfy(label -> assertThat(pod.path("metadata").path("labels").path(label.getKey()))
                        .isEqualTo(label.getValue()));
    }

    @Test
    void containerRunsAsNonRootOnAReadOnlyRootFilesystem() {
        JsonNode podSecurity = pod.path("spec").path("securityContext");
        JsonNode security = container.path("securityContext");
        assertThat(podSecurity.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(podSecurity.path("runAsUser").asInt()).as("a non-root UID").isPositive();
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(security.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");

        // The one writable place is an emptyDir at java.io.tmpdir's default.
        Map<String, JsonNode> volumes = new java.util.HashMap<>();
        pod.path("spec").path("volumes").forEach(v -> volumes.put(v.path("name").asString(), v));
        List<String> writable = new ArrayList<>();
        for (JsonNode mount : container.path("volumeMounts")) {
            JsonNode volume = volumes.get(mount.path("name").asString());
            assertThat(volume).as("volume of mount " + mount).isNotNull();
            if (volume.has("emptyDir") && !mount.path("readOnly").asBoolean(false)) {
                writable.add(mount.path("mountPath").asString());
            }
        }
        assertThat(writable).containsExactly("/tmp");
    }

    @Test
    void probesUseTheActuatorHealthGroupsOnTheServedPort() {
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asString())
                .isEqualTo("/actuator/health/liveness");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asString())
                .isEqualTo("/actuator/health/readiness");
        Set<String> portNames = new HashSet<>();
        container.path("ports").forEach(p -> portNames.add(p.path("name").asString()));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(portNames).as(probe + " port").contains(container.path(probe).path("httpGet").path("port").asString());
        }
    }

    @Test
    void resourcesAreRequestedAndMemoryIsLimited() {
        JsonNode resources = container.path("resources");
        assertThat(resources.path("requests").has("cpu")).isTrue();
        assertThat(resources.path("requests").has("memory")).isTrue();
        assertThat(resources.path("limits").path("memory")).isEqualTo(resources.path("requests").path("memory"));
    }

    @Test
    void credentialsAreSecretReferencesAndTheSettingsConfigMapExists() {
        assertThat(ExampleManifests.all()).as("no Secret is shipped: users create their own")
                .noneMatch(m -> m.kind().equals("Secret"));
        List<JsonNode> secretRefs = new ArrayList<>();
        container.path("env").forEach(v -> {
            if (v.path("valueFrom").has("secretKeyRef")) {
                secretRefs.add(v.path("valueFrom").path("secretKeyRef"));
            }
        });
        assertThat(secretRefs).as("Pyroscope and PostgreSQL credentials").hasSizeGreaterThanOrEqualTo(2);
        assertThat(secretRefs).as("optional: the judge starts before the Secrets exist")
                .allMatch(ref -> ref.path("optional").asBoolean(false));

        Set<String> configMaps = new HashSet<>();
        ExampleManifests.load(java.nio.file.Path.of("examples/kubernetes/configmap.yaml"))
                .forEach(m -> configMaps.add(m.name()));
        for (JsonNode source : container.path("envFrom")) {
            assertThat(configMaps).contains(source.path("configMapRef").path("name").asString());
        }
    }

    @Test
    void serviceSelectsTheJudgePodsOnTheirHttpPort() {
        Manifest service = ExampleWiring.judgeService();
        assertThat(service.namespace()).isEqualTo(deployment.namespace());
        service.spec().path("selector").properties().forEach(label ->
                assertThat(pod.path("metadata").path("labels").path(label.getKey())).isEqualTo(label.getValue()));
        JsonNode port = service.spec().path("ports").get(0);
        JsonNode containerPort = null;
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asString().equals(port.path("targetPort").asString())) {
                containerPort = p;
            }
        }
        assertThat(containerPort).as("targetPort names a container port").isNotNull();
        assertThat(containerPort.path("containerPort").asInt()).as("Spring Boot's default server.port").isEqualTo(8080);
    }

    @Test
    void roleLetsTheServiceAccountReadConfigMapsAndNothingElse() {
        Manifest account = ExampleManifests.one("kubernetes/rbac.yaml", "ServiceAccount");
        Manifest role = ExampleManifests.one("kubernetes/rbac.yaml", "Role");
        Manifest binding = ExampleManifests.one("kubernetes/rbac.yaml", "RoleBinding");
        assertThat(pod.path("spec").path("serviceAccountName").asString()).isEqualTo(account.name());
        assertThat(List.of(account.namespace(), role.namespace(), binding.namespace())).containsOnly(deployment.namespace());

        JsonNode rules = role.content().path("rules");
        assertThat(rules.size()).isEqualTo(1);
        assertThat(rules.get(0).path("apiGroups").toString()).isEqualTo("[\"\"]");
        assertThat(rules.get(0).path("resources").toString()).isEqualTo("[\"configmaps\"]");
        // Reads by name and polls (application.yaml: read-type single, reload mode polling): get on the one
        // ConfigMap it reads, which Spring Cloud Kubernetes names after spring.application.name.
        assertThat(rules.get(0).path("resourceNames").toString()).isEqualTo("[\"canary-judge\"]");
        assertThat(rules.get(0).path("verbs").toString()).isEqualTo("[\"get\"]");

        assertThat(binding.content().path("roleRef").path("kind").asString()).isEqualTo("Role");
        assertThat(binding.content().path("roleRef").path("name").asString()).isEqualTo(role.name());
        JsonNode subject = binding.content().path("subjects").get(0);
        assertThat(subject.path("kind").asString()).isEqualTo("ServiceAccount");
        assertThat(subject.path("name").asString()).isEqualTo(account.name());
        assertThat(subject.path("namespace").asString()).isEqualTo(account.namespace());
    }

    @Test
    void perApplicationConfigsAreNamedAfterTheAppAndParseAsJudgeConfigs() throws Exception {
        JsonNode appConfig = ExampleManifests.parseYaml(
                Files.readString(SharedFixtures.projectRoot().resolve("canary-judge/src/main/resources/application.yaml")));
        String applicationName = appConfig.path("spring").path("application").path("name").asString();
        List<Manifest> named = ExampleManifests.load(java.nio.file.Path.of("examples/kubernetes/configmap.yaml"))
                .stream().filter(m -> m.name().equals(applicationName)).toList();
        assertThat(named).as("Spring Cloud Kubernetes reads the ConfigMap named after spring.application.name")
                .hasSize(1);
        assertThat(named.get(0).namespace()).isEqualTo(deployment.namespace());

        JsonNode properties = ExampleManifests.parseYaml(named.get(0).content().path("data").path("canary-judge.yaml").asString());
        String inline = properties.path("canary-judge").path("judge-config").path("inline").asString();
        // Throws InvalidConfigException naming the key and the value on a bad entry.
        JudgeConfigFile judgeConfig = JudgeConfigFile.parse(inline, "configmap.yaml: canary-judge.judge-config.inline");
        for (String service : judgeConfig.services()) {
            assertThat(judgeConfig.judgeConfig(service)).as(service).isNotNull();
        }
        // The application of the examples has its own config, used when a request names none.
        assertThat(judgeConfig.services()).contains("checkout");
        assertThat(properties.path("canary-judge").path("configs").propertyNames()).containsOnly("checkout");
    }

    @Test
    void dockerfileBuildsTheJarAndRunsServeAsTheDeploymentsUser() throws IOException {
        String dockerfile = Files.readString(SharedFixtures.projectRoot().resolve("Dockerfile"));
        String copied = group(dockerfile, "COPY --from=build /src/(\\S+) (\\S+)", 1);
        String installed = group(dockerfile, "COPY --from=build /src/(\\S+) (\\S+)", 2);
        assertThat(copied).as("the build output (canary-judge/pom.xml finalName)").isEqualTo("canary-judge/target/canary-judge.jar");
        assertThat(group(dockerfile, "(?m)^ENTRYPOINT (.+)$", 1)).isEqualTo("[\"java\", \"-jar\", \"" + installed + "\"]");
        assertThat(group(dockerfile, "(?m)^CMD (.+)$", 1)).isEqualTo("[\"" + Cli.SERVE + "\"]");
        assertThat(group(dockerfile, "(?m)^USER (\\d+):(\\d+)$", 1))
                .isEqualTo(pod.path("spec").path("securityContext").path("runAsUser").asString());
        assertThat(group(dockerfile, "(?m)^USER (\\d+):(\\d+)$", 2))
                .isEqualTo(pod.path("spec").path("securityContext").path("runAsGroup").asString());
        assertThat(group(dockerfile, "(?m)^EXPOSE (\\d+)$", 1))
                .isEqualTo(container.path("ports").get(0).path("containerPort").asString());
    }

    private static String group(String text, String regex, int group) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("Dockerfile has " + regex).isTrue();
        return matcher.group(group);
    }
}
