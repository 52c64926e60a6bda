package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The executable jar as users run it ({@code java -jar canary-judge/target/canary-judge.jar}),
 * after {@code package}: an ordinary Spring Boot jar whose {@code compare} and {@code collapse}
 * behave exactly as the same commands in-process, {@code serve} starts the service, and anything
 * else exits 64 at once. Run by the {@code integration-test} phase ({@code mvn verify}).
 */
class ExecutableJarIT {
    private static final Path ROOT = SharedFixtures.projectRoot();
    private static final Path JAR = ROOT.resolve("canary-judge/target/canary-judge.jar");
    private static final Path SHOP = ROOT.resolve("examples/profiles/shop");

    @Test
    void collapsePrintsWhatTheInProcessCommandPrints() throws Exception {
        for (String[] fixture : new String[][] {
                {"cortex-dev-01__kafka-0__cpu__0.jfr.gz", "cpu"},
                {"async-profiler.jfr.gz", "alloc_bytes"},
                {"dd-trace-java.jfr.gz", "lock_delay"}}) {
            String file = SharedFixtures.folder("jfr-parser").resolve(fixture[0]).toString();
            CliRun jar = java("collapse", file, "--profile-type", fixture[1]);
            CliRun inProcess = CliRun.of("collapse", file, "--profile-type", fixture[1]);
            assertThat(jar.status()).as(jar.err()).isZero();
            assertThat(jar.out()).as(fixture[0]).isNotEmpty().isEqualTo(inProcess.out());
        }
    }

    @Test
    void compareRunsEveryFormatAndTheConfigFromTheJar() throws Exception {
        List<String> pods = List.of(
                "--baseline", SHOP.resolve("shop-6d4f8c7b9-k2x7p").toString(),
                "--baseline", SHOP.resolve("shop-6d4f8c7b9-w5n3j").toString(),
                "--canary", SHOP.resolve("shop-7f9b6c5d4-m4q8z").toString(),
                "--canary", SHOP.resolve("shop-7f9b6c5d4-r9t2w").toString(),
                "--config", ROOT.resolve("examples/judge-config.yaml").toString());
        for (String format : new String[] {"json", "text", "markdown", "html"}) {
            List<String> args = new ArrayList<>(List.of("compare", "--format", format));
            args.addAll(pods);
            CliRun jar = java(args.toArray(String[]::new));
            CliRun inProcess = CliRun.of(args.toArray(String[]::new));
            assertThat(jar.status()).as(format + ": " + jar.err()).isEqualTo(inProcess.status()).isBetween(0, 2);
            assertThat(jar.err()).as(format).doesNotContain("Exception", "Error");
            // Verdict ids are random per run; everything else is the same.
            assertThat(withoutIds(jar.out())).as(format).isEqualTo(withoutIds(inProcess.out()));
        }
    }

    @Test
    void compareNeedsNoWritableTemporaryDirectory() throws Exception {
        // Kubernetes' readOnlyRootFilesystem: true leaves no writable java.io.tmpdir.
        Path missing = ROOT.resolve("canary-judge/target/no-such-tmp-dir");
        CliRun run = javaWith(List.of("-Djava.io.tmpdir=" + missing), "compare",
                "--baseline", SHOP.resolve("shop-6d4f8c7b9-k2x7p").toString(),
                "--canary", SHOP.resolve("shop-7f9b6c5d4-m4q8z").toString());
        assertThat(run.status()).as(run.err()).isBetween(0, 2);
        assertThat(missing).doesNotExist();
    }

    @Test
    void anythingButACommandPrintsUsageAndExits64WithoutStartingAServer() throws Exception {
        for (String[] args : new String[][] {{}, {"--help"}, {"help"}, {"compre"}, {"--server.port=0"},
                {"serve", "--port", "18081"}, {"serve", "--sever.port=18081"}, {"serve", "extra"}}) {
            CliRun run = java(args);
            assertThat(run.status()).as(String.join(" ", args)).isEqualTo(64);
            assertThat(run.out() + run.err()).as(String.join(" ", args)).contains("usage:").doesNotContain("Netty");
        }
        assertThat(java("compre").err()).contains("unknown command \"compre\"");
        assertThat(java("serve", "--sever.port=18081").err()).contains("unknown option --sever.port;");
    }

    @Test
    void usageErrorsAndBadInputKeepTheirExitCodes() throws Exception {
        assertThat(java("compare", "--baseline").status()).isEqualTo(64);
        Path notAProfile = Files.createTempFile("corrupt", ".jfr");
        try {
            Files.write(notAProfile, "FLR\0garbage that is not a recording".getBytes(StandardCharsets.ISO_8859_1));
            CliRun run = java("collapse", notAProfile.toString());
            assertThat(run.status()).as(run.err()).isEqualTo(65);
            assertThat(run.err()).contains(notAProfile.getFileName().toString());
        } finally {
            Files.delete(notAProfile);
        }
    }

    /**
     * The README's first command and its curl: {@code java -jar canary-judge/target/canary-judge.jar serve} from the
     * repository root serves the shipped examples (the embedded default), and the README's request gets a verdict.
     */
    @Test
    void serveFromTheRepositoryRootJudgesTheShippedExample() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process service = new ProcessBuilder(javaBinary(), "-jar", JAR.toString(), "serve",
                "--server.port=" + port, "--server.address=127.0.0.1")
                .directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + port;
            Instant deadline = Instant.now().plusSeconds(120);
            String body = null;
            while (body == null && service.isAlive() && Instant.now().isBefore(deadline)) {
                try {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                    URI.create(base + "/actuator/health/readiness"))
                            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    body = response.statusCode() == 200 ? response.body() : null;
                } catch (IOException notYetListening) {
                    Thread.sleep(250);
                }
            }
            assertThat(body).as("readiness of the service started by java -jar").contains("\"status\":\"UP\"");

            // The README's curl, verbatim in content.
            HttpResponse<String> verdict = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/analyses"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"application": "shop",
                             "baseline": {"labels": {"rollouts_pod_template_hash": "6d4f8c7b9"}},
                             "canary": {"labels": {"rollouts_pod_template_hash": "7f9b6c5d4"}},
                             "lookback": "10m", "deadline": "30s"}""")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(verdict.statusCode()).as(verdict.body()).isEqualTo(200);
            assertThat(verdict.body()).contains("\"result\":\"FAIL\"").contains("PriceCalculator.applyDiscounts")
                    .contains("\"reportUrl\":\"" + base + "/reports/");
        } finally {
            service.destroy();
            if (!service.waitFor(20, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    private static String withoutIds(String text) {
        return text.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>");
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static CliRun java(String... args) throws Exception {
        return javaWith(List.of(), args);
    }

    private static CliRun javaWith(List<String> jvmOptions, String... args) throws Exception {
        assertThat(JAR).as("the executable jar (built by package, before this integration test)").exists();
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("jar-out", ".txt");
        Path err = Files.createTempFile("jar-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new CliRun(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
