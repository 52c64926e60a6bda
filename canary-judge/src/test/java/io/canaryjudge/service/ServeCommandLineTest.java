package io.canaryjudge.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code canary-judge serve ARGS} through the real entry point ({@code CanaryJudgeApplication.main}, in a JVM of its
 * own, on this module's classes): a typo after {@code serve} is usage and exit 64, never a running server, while
 * correct properties still start it. {@code SERVER_PORT} is set as in a container, so a server that ignored the
 * typo would start on it.
 */
class ServeCommandLineTest {
    @TempDir
    Path dir;

    @Test
    void anArgumentThatIsNotASpringPropertyIsUsageBeforeSpringStarts() throws Exception {
        for (List<String> args : List.of(
                List.of("serve", "--port", "18081"),
                List.of("serve", "extra"),
                List.of("serve", "--server.port=0", "--sever.port=18081"),
                List.of("serve", "--canaryjudge-analysis-deadline=5s"))) {
            Run run = main(Map.of(), args);
            assertThat(run.status()).as(args + ": " + run.output()).isEqualTo(64);
            assertThat(run.output()).as(args.toString()).contains("usage:").doesNotContain("Netty started");
        }
        assertThat(main(Map.of(), List.of("serve", "--port", "18081")).output())
                .contains("option --port has no value; serve takes Spring properties as --name=value");
        assertThat(main(Map.of(), List.of("serve", "extra")).output()).contains("unexpected argument \"extra\"");
        assertThat(main(Map.of(), List.of("serve", "--sever.port=18081")).output())
                .contains("unknown option --sever.port;");
    }

    /** Spring's own failure exited 1, which compare answers for FAIL; like a database that cannot be used: 69. */
    @Test
    void aPortAlreadyInUseStopsStartUpWithOneLineAndSixtyNine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Run run = main(Map.of(), List.of("serve", "--server.port=" + taken.getLocalPort()));

            assertThat(run.status()).as(run.output()).isEqualTo(69);
            assertThat(run.errors()).contains("canary-judge: serve: port " + taken.getLocalPort()
                    + " is already in use (server.port)").doesNotContain("usage:");
        }
    }

    /** As compare --help and collapse --help: it was "option --help has no value", exit 64. */
    @Test
    void serveHelpPrintsUsageAndExitsZero() throws Exception {
        for (String help : List.of("--help", "-h")) {
            Run run = main(Map.of(), List.of("serve", help));

            assertThat(run.status()).as(run.output()).isZero();
            assertThat(run.output()).startsWith("usage:").contains("canary-judge serve [--server.port=8080]")
                    .doesNotContain("Netty started");
            assertThat(run.errors()).isEmpty();
        }
    }

    /**
     * Spring joins a repeated property with commas ("6s,7s"), so the second value was lost or blamed on the first
     * argument ("--canary-judge.analysis.deadline=6s: the value does not fit the setting").
     */
    @Test
    void aPropertyGivenTwiceIsUsageNamingBoth() throws Exception {
        Run run = main(Map.of(), List.of("serve", "--server.port=0", "--canary-judge.analysis.deadline=6s",
                "--canary-judge.analysis.deadline=7s"));

        assertThat(run.status()).as(run.output()).isEqualTo(64);
        assertThat(run.output()).contains("serve: --canary-judge.analysis.deadline given twice"
                        + " (--canary-judge.analysis.deadline=6s, --canary-judge.analysis.deadline=7s)")
                .contains("usage:").doesNotContain("Netty started");
    }

    @Test
    void aJudgeSettingTheServiceDoesNotHaveIsUsageOnTheCommandLine() throws Exception {
        Run run = main(Map.of(), List.of("serve", "--server.port=0", "--canary-judge.analysis.deadlin=5s"));

        assertThat(run.status()).as(run.output()).isEqualTo(64);
        assertThat(run.output()).contains("unknown property --canary-judge.analysis.deadlin").contains("usage:")
                .doesNotContain("Netty started");
    }

    /** Spring's own failure exited 1, which compare answers for FAIL; a bad value given on the command line is usage. */
    @Test
    void aValueThatDoesNotFitItsSettingOnTheCommandLineIsUsage() throws Exception {
        Run port = main(Map.of(), List.of("serve", "--server.port=abc"));
        assertThat(port.status()).as(port.output()).isEqualTo(64);
        assertThat(port.output()).contains("serve: --server.port=abc: the value does not fit the setting")
                .contains("usage:").doesNotContain("Netty started");

        Run deadline = main(Map.of(), List.of("serve", "--server.port=0", "--canary-judge.analysis.deadline=soon"));
        assertThat(deadline.status()).as(deadline.output()).isEqualTo(64);
        assertThat(deadline.output()).contains("--canary-judge.analysis.deadline=soon").doesNotContain("Netty started");
    }

    /**
     * A value that converts but that its setting refuses (a zero deadline, no retry attempt) exited 1 without usage:
     * Spring names only the settings' prefix, not the argument.
     */
    @Test
    void aValueItsSettingRefusesOnTheCommandLineIsUsageToo() throws Exception {
        Run deadline = main(Map.of(), List.of("serve", "--server.port=0", "--canary-judge.analysis.deadline=0s"));
        assertThat(deadline.status()).as(deadline.output()).isEqualTo(64);
        assertThat(deadline.output()).contains("canary-judge.analysis.deadline must be a positive duration")
                .contains("serve: --canary-judge.analysis.deadline=0s: the value does not fit the setting")
                .contains("usage:").doesNotContain("Netty started");

        Run named = main(Map.of(), List.of("serve", "--server.port=0", "--canary-judge.configs.checkout.lookback=0s"));
        assertThat(named.status()).as(named.output()).isEqualTo(64);
        assertThat(named.output()).contains("serve: --canary-judge.configs.checkout.lookback=0s: the value does not fit");

        Path judgeConfig = Files.writeString(dir.resolve("judge.yaml"), "thresholds:\n  maxQValue: 7\n");
        Run file = main(Map.of(), List.of("serve", "--server.port=0", "--canary-judge.judge-config.file=" + judgeConfig));
        assertThat(file.status()).as(file.output()).isEqualTo(64);
        assertThat(file.output()).contains("maxQValue must be in [0.0, 1.0], was 7.0")
                .contains("serve: --canary-judge.judge-config.file=" + judgeConfig + ": the value does not fit");

        // from the environment it is no usage error: Spring's explanation names it, the status stays Spring's
        Run environment = main(Map.of("CANARY_JUDGE_RESILIENCE_ATTEMPTS", "0"), List.of("serve", "--server.port=0"));
        assertThat(environment.status()).as(environment.output()).isNotIn(0, 64);
        assertThat(environment.output()).contains("canary-judge.resilience.attempts must be >= 1")
                .doesNotContain("usage:");
    }

    /**
     * A duration or size written as a bare number is refused, naming the property and what Spring would have read:
     * {@code CANARY_JUDGE_LOCAL_TIMEOUT=5} was 5 ms, and the service started and answered every analysis INCONCLUSIVE
     * ("no answer to instances within 5 ms", the local circuit open); {@code max-age: 30} would delete every stored
     * verdict after 30 ms.
     */
    @Test
    void aDurationOrSizeWithoutItsUnitStopsStartUpNamingIt() throws Exception {
        Run timeout = main(Map.of(), List.of("serve", "--server.port=0", "--canary-judge.local.timeout=5"));
        assertThat(timeout.status()).as(timeout.output()).isEqualTo(64);
        assertThat(timeout.output()).contains("canary-judge.local.timeout is \"5\" without a unit, which would be 5 ms;"
                        + " write the unit, e.g. 5s, 5m or 5ms")
                .contains("serve: --canary-judge.local.timeout=5: the value does not fit the setting")
                .doesNotContain("Netty started");

        Run size = main(Map.of(), List.of("serve", "--server.port=0", "--canary-judge.upload.max-file-size=32"));
        assertThat(size.status()).as(size.output()).isEqualTo(64);
        assertThat(size.output()).contains("canary-judge.upload.max-file-size is \"32\" without a unit, which would be"
                + " 32 bytes").doesNotContain("Netty started");

        Run environment = main(Map.of("CANARY_JUDGE_STORE_RETENTION_MAX_AGE", "30"), List.of("serve", "--server.port=0"));
        assertThat(environment.status()).as(environment.output()).isNotZero();
        assertThat(environment.output()).contains("canary-judge.store.retention.max-age is \"30\" without a unit")
                .contains("CANARY_JUDGE_STORE_RETENTION_MAX_AGE").doesNotContain("Netty started");

        // YAML reads 15 as a number, not text; a named config's durations are checked alike
        Path file = Files.writeString(dir.resolve("application.yaml"), """
                canary-judge:
                  configs:
                    checkout:
                      lookback: 15
                """);
        Run yaml = main(Map.of(), List.of("serve", "--server.port=0", "--spring.config.additional-location=file:" + file));
        assertThat(yaml.status()).as(yaml.output()).isNotZero();
        assertThat(yaml.output()).contains("canary-judge.configs.checkout.lookback is \"15\" without a unit")
                .doesNotContain("Netty started");

        // a placeholder that resolves to a bare number is the same mistake (the check read "${JUDGE_TIMEOUT}")
        Path placeholder = Files.writeString(dir.resolve("placeholder.yaml"), """
                canary-judge:
                  local:
                    timeout: ${JUDGE_TIMEOUT}
                """);
        Run resolved = main(Map.of("JUDGE_TIMEOUT", "5"),
                List.of("serve", "--server.port=0", "--spring.config.additional-location=file:" + placeholder));
        assertThat(resolved.status()).as(resolved.output()).isNotZero();
        assertThat(resolved.output()).contains("canary-judge.local.timeout is \"5\" without a unit, which would be 5 ms")
                .doesNotContain("Netty started");
    }

    /**
     * A value that is none of a setting's choices named none: Spring's "No enum constant
     * io.canaryjudge.profile.ProfileType.alloc" where {@code compare --profile-type alloc} lists every type.
     */
    @Test
    void aValueThatIsNoneOfItsSettingsChoicesNamesThem() throws Exception {
        Run types = main(Map.of(), List.of("serve", "--server.port=0", "--canary-judge.analysis.profile-types=cpu,alloc"));
        assertThat(types.status()).as(types.output()).isEqualTo(64);
        assertThat(types.output()).contains("\"alloc\" is not one of cpu, wall, alloc_bytes, alloc_objects, lock_delay,"
                + " lock_count, live_bytes, live_objects").doesNotContain("Netty started");

        Run store = main(Map.of("CANARY_JUDGE_STORE_TYPE", "postgresql"), List.of("serve", "--server.port=0"));
        assertThat(store.status()).as(store.output()).isNotZero();
        assertThat(store.output()).contains("\"postgresql\" is not one of memory, postgres")
                .contains("CANARY_JUDGE_STORE_TYPE").doesNotContain("Netty started");
    }

    /** An error-ratio gate's absolute tolerance of 5 (meant as 5 %) made a gate that could never fail, accepted silently. */
    @Test
    void aRatioGatesToleranceThatNoRatioCanExceedIsUsage() throws Exception {
        // 5 meant 5 %: an error ratio never exceeds 1, so the gate could never fail
        Run gate = main(Map.of(), List.of("serve", "--server.port=0",
                "--canary-judge.prometheus.gates.error-ratio.absolute-tolerance=5"));
        assertThat(gate.status()).as(gate.output()).isEqualTo(64);
        assertThat(gate.output()).contains("metric gate error_ratio: absoluteTolerance must be below 1 for a ratio"
                        + " (0.005 = 0.5 percentage points), was 5.0")
                .contains("serve: --canary-judge.prometheus.gates.error-ratio.absolute-tolerance=5: the value does not fit")
                .doesNotContain("Netty started");
    }

    /**
     * A source URL holding its credentials stopped start-up with a page of stack trace and "prometheus baseUrl must
     * not hold credentials", naming no property, with exit 1 (what compare answers for FAIL); Pyroscope's refusal
     * printed the password. Now one line names the property and the settings for credentials, and on the command
     * line it is usage, the argument echoed without its secret.
     */
    @Test
    void aSourceUrlWithCredentialsIsRefusedNamingItsSettingWithoutPrintingTheSecret() throws Exception {
        for (String source : List.of("prometheus", "pyroscope")) {
            Run run = main(Map.of(), List.of("serve", "--server.port=0",
                    "--canary-judge." + source + ".url=http://judge:S3cretPw@127.0.0.1:9/prefix"));
            assertThat(run.status()).as(run.output()).isEqualTo(64);
            assertThat(run.output()).contains("canary-judge." + source + ".url must not hold credentials (user:password@);"
                            + " set canary-judge." + source + ".username and canary-judge." + source + ".password, or"
                            + " canary-judge." + source + ".bearer-token, was http://***@127.0.0.1:9/prefix")
                    .doesNotContain("\tat ").doesNotContain("Netty started");
            assertThat(run.output()).contains("serve: --canary-judge." + source + ".url=http://***@127.0.0.1:9/prefix:")
                    .doesNotContain("S3cretPw");
        }
        // A password holding '@' or '#' unencoded: java.net.URI then sees no user info and no host at all.
        for (String url : List.of("http://judge:p@ssW0rd@127.0.0.1:9/prefix", "http://judge:pa#ssW0rd@127.0.0.1:9")) {
            Run run = main(Map.of(), List.of("serve", "--server.port=0", "--canary-judge.prometheus.url=" + url));
            assertThat(run.status()).as(run.output()).isEqualTo(64);
            assertThat(run.output()).contains("canary-judge.prometheus.url must not hold credentials")
                    .doesNotContain("ssW0rd").doesNotContain("\tat ");
        }
        // A credential setting refused for another reason is not echoed in the usage line either.
        Run secret = main(Map.of(), List.of("serve", "--server.port=0", "--canary-judge.prometheus.password=S3cretPw"));
        assertThat(secret.status()).as(secret.output()).isEqualTo(64);
        assertThat(secret.output()).contains("--canary-judge.prometheus.password=******").doesNotContain("S3cretPw");
    }

    /**
     * A database URL that can never work was Spring's exit 1 — after a page of stack trace when the driver could not
     * read it (a port that is no number) — instead of usage naming the argument.
     */
    @Test
    void aDatabaseUrlThatIsNoPostgresUrlOnTheCommandLineIsUsage() throws Exception {
        Run nonsense = main(Map.of(), List.of("serve", "--server.port=0", "--spring.datasource.url=nonsense"));
        assertThat(nonsense.status()).as(nonsense.output()).isEqualTo(64);
        assertThat(nonsense.errors()).startsWith("canary-judge: serve: --spring.datasource.url=nonsense: the value does"
                + " not fit the setting (see above)\nusage:");
        assertThat(nonsense.output()).contains("needs a PostgreSQL JDBC URL there, was \"nonsense\"")
                .doesNotContain("\tat ").doesNotContain("Netty started");

        Run port = main(Map.of(), List.of("serve", "--server.port=0",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:abc/judge"));
        assertThat(port.status()).as(port.output()).isEqualTo(64);
        assertThat(port.errors()).startsWith("canary-judge: serve: --spring.datasource.url=jdbc:postgresql://127.0.0.1"
                + ":abc/judge: the value does not fit the setting (see above)\nusage:");
        assertThat(port.output()).contains("spring.datasource.url is no JDBC URL the PostgreSQL driver can read")
                .doesNotContain("\tat ").doesNotContain("claims to not accept").doesNotContain("Netty started");
    }

    /**
     * A well-formed URL of a database that is down stops start-up, as documented (Kubernetes restarts the pod until the
     * database is there): Spring's description and action, then one line on stderr and 69 — not 1, which is FAIL, and
     * not usage, since the URL may be right.
     */
    @Test
    void aDatabaseThatIsDownStopsStartUpWithOneLineAndSixtyNine() throws Exception {
        int closed = freePort();
        String url = "jdbc:postgresql://127.0.0.1:" + closed + "/judge";
        Run run = main(Map.of(), List.of("serve", "--server.port=0", "--spring.datasource.url=" + url));

        assertThat(run.status()).as(run.output()).isEqualTo(69);
        assertThat(run.errors()).isEqualTo("canary-judge: serve: the verdict store's database at " + url
                + " (spring.datasource.url) cannot be used: Connection to 127.0.0.1:" + closed + " refused. Check that"
                + " the hostname and port are correct and that the postmaster is accepting TCP/IP connections. (check"
                + " spring.datasource.url, spring.datasource.username and spring.datasource.password)\n");
        assertThat(run.output()).contains("APPLICATION FAILED TO START").doesNotContain("\tat ")
                .doesNotContain("Netty started");
    }

    /** A typo in an environment variable exited 1, which compare answers for FAIL; it is usage, as on the command line. */
    @Test
    void aJudgeSettingTheServiceDoesNotHaveInTheEnvironmentIsUsageNamingTheVariable() throws Exception {
        Run run = main(Map.of("CANARY_JUDGE_ANALYSIS_DEADLIN", "30s"), List.of("serve", "--server.port=0"));

        assertThat(run.status()).as(run.output()).isEqualTo(64);
        assertThat(run.errors()).contains("canary-judge: serve: unknown property CANARY_JUDGE_ANALYSIS_DEADLIN"
                + " (an environment variable): the service has no such setting").contains("usage:");
        assertThat(run.output()).doesNotContain("Netty started").doesNotContain("\tat ");
    }

    @Test
    void aJudgeSettingTheServiceDoesNotHaveStopsStartUpFromTheEnvironmentAndFiles() throws Exception {
        Path file = Files.writeString(dir.resolve("application.yaml"), """
                canary-judge:
                  analysis:
                    lookbak: 5m
                """);
        Run run = main(Map.of("CANARY_JUDGE_ANALYSIS_DEADLIN", "5s"), List.of("serve", "--server.port=0",
                "--spring.config.additional-location=file:" + file));

        assertThat(run.status()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("CANARY_JUDGE_ANALYSIS_DEADLIN").contains("canary-judge.analysis.lookbak")
                .doesNotContain("Netty started");
    }

    @Test
    void correctPropertiesAndTheEnvironmentVariablesOfTheExamplesStillStartTheService() throws Exception {
        // examples/kubernetes/deployment.yaml and configmap.yaml set these.
        Run run = main(Map.of("CANARY_JUDGE_ANALYSIS_DEADLINE", "6s", "CANARY_JUDGE_PYROSCOPE_TENANT", ""),
                List.of("serve", "--server.port=0", "--server.address=127.0.0.1",
                        "--canary-judge.local.directory=../examples/profiles", "--logging.level.root=info",
                        // 0 needs no unit; choices in any of Spring's spellings
                        "--canary-judge.analysis.warmup=0", "--canary-judge.flagger.inconclusive=pass",
                        "--canary-judge.analysis.profile-types=cpu,ALLOC-BYTES",
                        "--canary-judge.prometheus.heap.exporter=micrometer-live-data"),
                "Netty started on port");

        assertThat(run.output()).contains("Netty started on port").doesNotContain("APPLICATION FAILED TO START");
    }

    /**
     * What one run printed (stdout then stderr) and its stderr alone, and its exit status; -1 when stopped after
     * {@code until}.
     */
    record Run(int status, String output, String errors) {
    }

    private Run main(Map<String, String> environment, List<String> args) throws Exception {
        return main(environment, args, null);
    }

    /**
     * Runs {@code CanaryJudgeApplication.main} with {@code args} in a JVM of its own; with {@code until}, stops it
     * once its output holds that text.
     */
    private Run main(Map<String, String> environment, List<String> args, String until) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CanaryJudgeApplication.class.getName()));
        command.addAll(args);
        Path output = Files.createTempFile(dir, "output", ".txt");
        Path errors = Files.createTempFile(dir, "errors", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(errors.toFile());
        builder.environment().put("SERVER_PORT", Integer.toString(freePort()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (process.isAlive() && System.nanoTime() < deadline) {
                if (until != null && (Files.readString(output) + Files.readString(errors)).contains(until)) {
                    return new Run(-1, Files.readString(output) + Files.readString(errors), Files.readString(errors));
                }
                Thread.sleep(200);
            }
            assertThat(process.isAlive()).as("still running after 120 s: " + args).isFalse();
            return new Run(process.exitValue(), Files.readString(output) + Files.readString(errors),
                    Files.readString(errors));
        } finally {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
