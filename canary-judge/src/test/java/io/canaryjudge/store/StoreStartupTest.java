package io.canaryjudge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.SharedFixtures;
import io.canaryjudge.config.PropertiesConfiguration;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Which store the service starts with, and why it refuses to start: memory without setup; postgres only with a
 * database it can reach and migrate — otherwise start-up fails with a message naming the property to fix.
 */
@ExtendWith(OutputCaptureExtension.class)
class StoreStartupTest {
    static PostgresServer server;

    @BeforeAll
    static void startPostgres() throws IOException {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * A start with everything in order logs nothing at WARN: an operator alerting on the service's warnings must not
     * be paged by every restart (SpringDoc warned that /v3/api-docs "is enabled by default", which it is by design).
     */
    @Test
    void aCleanStartWithTheDatabaseLogsNoWarningAndServesItsApiDescription(CapturedOutput output) throws Exception {
        try (JudgeInstance judge = JudgeInstance.start(server.createDatabase("clean_start"))) {
            assertThat(judge.get("/v3/api-docs").statusCode()).isEqualTo(200);
        }
        assertThat(output.getOut().lines().filter(line -> line.contains(" WARN ")).toList()).isEmpty();
    }

    @Test
    void withoutSettingsTheStoreIsInMemoryAndNoDatabaseIsTouched() {
        try (ConfigurableApplicationContext context = start(List.of())) {
            assertThat(context.getBean(VerdictStore.class)).isInstanceOf(InMemoryVerdictStore.class);
            assertThat(context.getBeanNamesForType(javax.sql.DataSource.class)).isEmpty();
        }
    }

    @Test
    void memoryAskedForIsMemoryEvenWithADatabaseUrl(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start(List.of("--canary-judge.store.type=memory",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/never-used"))) {
            assertThat(context.getBean(VerdictStore.class)).isInstanceOf(InMemoryVerdictStore.class);
            assertThat(context.getBeanNamesForType(javax.sql.DataSource.class)).isEmpty();
            assertThat(output.getAll()).contains("spring.datasource.url is set but canary-judge.store.type is memory");
        }
    }

    @Test
    void postgresStartsOnAReachableDatabaseWithTheCredentialsGiven() {
        try (ConfigurableApplicationContext context = start(postgres(server.createDatabase("startup"),
                PostgresServer.PASSWORD))) {
            assertThat(context.getBean(VerdictStore.class)).isInstanceOf(PostgresVerdictStore.class);
            assertThat(((PostgresVerdictStore) context.getBean(VerdictStore.class)).check().block())
                    .startsWith("PostgreSQL ");
        }
    }

    /** As the Kubernetes example configures it: the database's URL and credentials from a Secret, no type. */
    @Test
    void aDatabaseUrlWithoutATypeIsTheDatabase() {
        List<String> args = new ArrayList<>(postgres(server.createDatabase("implicit"), PostgresServer.PASSWORD));
        args.remove("--canary-judge.store.type=postgres");
        try (ConfigurableApplicationContext context = start(args)) {
            assertThat(context.getBean(VerdictStore.class)).isInstanceOf(PostgresVerdictStore.class);
        }
    }

    static Stream<Arguments> refusals() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        return Stream.of(
                Arguments.of(List.of("--canary-judge.store.type=postgres"),
                        "canary-judge.store.type=postgres needs spring.datasource.url"),
                Arguments.of(List.of("--spring.datasource.url=jdbc:mysql://127.0.0.1/judge"),
                        "needs a PostgreSQL JDBC URL there, was \"jdbc:mysql://127.0.0.1/judge\""),
                Arguments.of(postgres("jdbc:postgresql://127.0.0.1:" + closed + "/judge", "x"),
                        "the verdict store's database at jdbc:postgresql://127.0.0.1:" + closed + "/judge"
                                + " (spring.datasource.url) cannot be used: Connection to 127.0.0.1:" + closed
                                + " refused"),
                Arguments.of(List.of("--canary-judge.store.type=postgress"), "canary-judge.store.type"),
                Arguments.of(List.of("--canary-judge.store.retention.max-rows=0"),
                        "canary-judge.store.retention.max-rows must be >= 1"),
                Arguments.of(List.of("--canary-judge.store.timeout=0s"), "canary-judge.store.timeout"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void aStoreThatCannotWorkStopsStartUpNamingTheProperty(List<String> args, String message) {
        assertThatThrownBy(() -> start(args).close()).satisfies(e -> assertThat(messages(e)).contains(message));
    }

    @Test
    void aWrongPasswordStopsStartUpNamingTheCredentials() {
        String url = server.createDatabase("password");
        assertThatThrownBy(() -> start(postgres(url, "not-the-password")).close())
                .satisfies(e -> assertThat(messages(e)).contains("password authentication failed for user \"canary\"")
                        .contains("spring.datasource.password"));
    }

    @Test
    void theFailureIsPrintedAsADescriptionAndAnActionNotAStackOfBeanErrors(CapturedOutput output) {
        assertThatThrownBy(() -> start(List.of("--canary-judge.store.type=postgres")).close());

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("Description:\n\ncanary-judge.store.type=postgres needs spring.datasource.url")
                .contains("Action:\n\nSet spring.datasource.url (e.g. jdbc:postgresql://");
    }

    @Test
    void theTypeIsReadWhateverItsCase() {
        new ApplicationContextRunner().withUserConfiguration(PropertiesConfiguration.class)
                .withPropertyValues("canary-judge.store.type=Postgres")
                .run(context -> assertThat(context.getBean(io.canaryjudge.config.StoreProperties.class).type())
                        .isEqualTo(io.canaryjudge.config.StoreProperties.StoreType.POSTGRES));
    }

    private static List<String> postgres(String url, String password) {
        return List.of("--canary-judge.store.type=postgres", "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + PostgresServer.USER, "--spring.datasource.password=" + password);
    }

    private static ConfigurableApplicationContext start(List<String> more) {
        List<String> args = new ArrayList<>(List.of(
                "--canary-judge.local.directory=" + SharedFixtures.projectRoot().resolve("examples/profiles")));
        args.addAll(more);
        return new SpringApplicationBuilder(CanaryJudgeApplication.class).web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
