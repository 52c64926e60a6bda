package io.canaryjudge.metrics.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus (the Debian package's {@code /usr/bin/prometheus}, 2.42) serving data backfilled
 * from OpenMetrics text with {@code promtool tsdb create-blocks-from openmetrics}, on a free loopback
 * port, for as long as the test holds it; {@link #close()} stops it and deletes its files.
 *
 * <p>Flags: {@code --storage.tsdb.retention.time=3650d} so backfilled blocks are never due for
 * deletion, no scrape jobs (the data is exactly what was backfilled), {@code --log.level=warn}.
 * Start-up waits for {@code /-/ready} at most {@link #READY_TIMEOUT}.
 */
public final class PrometheusProcess implements AutoCloseable {
    /** Bounded waits: a broken Prometheus fails the test with its log instead of hanging the build. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    static final String INSTALL_HINT = "install the Debian package 'prometheus' (apt-get install prometheus), which"
            + " provides /usr/bin/prometheus and /usr/bin/promtool";

    private final Process process;
    private final Path directory;
    private final URI baseUrl;

    private PrometheusProcess(Process process, Path directory, URI baseUrl) {
        this.process = process;
        this.directory = directory;
        this.baseUrl = baseUrl;
    }

    /** Backfills the fixture's series and starts Prometheus on them. */
    public static PrometheusProcess start(RequestMetricsFixture fixture) throws IOException {
        Path directory = Files.createTempDirectory("canary-judge-prometheus-");
        try {
            Path openMetrics = directory.resolve("metrics.om");
            fixture.writeOpenMetrics(openMetrics);
            return start(directory, openMetrics, "");
        } catch (IOException | RuntimeException e) {
            deleteRecursively(directory);
            throw e;
        }
    }

    /**
     * Backfills OpenMetrics text the caller wrote (e.g. recorded scrapes, with timestamps) and starts
     * Prometheus on it.
     */
    public static PrometheusProcess backfilled(Path openMetrics) throws IOException {
        return backfilled(openMetrics, "");
    }

    /**
     * As {@link #backfilled(Path)}, served under a path prefix ({@code --web.route-prefix}, e.g. {@code /prometheus},
     * as behind a reverse proxy or in Mimir): {@link #baseUrl()} includes it.
     */
    public static PrometheusProcess backfilled(Path openMetrics, String routePrefix) throws IOException {
        Path directory = Files.createTempDirectory("canary-judge-prometheus-");
        try {
            Path copy = directory.resolve("metrics.om");
            Files.copy(openMetrics, copy);
            return start(directory, copy, routePrefix);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(directory);
            throw e;
        }
    }

    /**
     * Starts Prometheus scraping live targets: {@code scrapeConfigs} is the YAML of the
     * {@code scrape_configs:} list (indented by two spaces), e.g. for recording real JVMs. No backfill.
     */
    public static PrometheusProcess scraping(String scrapeConfigs, Duration scrapeInterval) throws IOException {
        Path directory = Files.createTempDirectory("canary-judge-prometheus-");
        try {
            Path config = directory.resolve("prometheus.yml");
            Files.writeString(config, "global:\n  scrape_interval: " + scrapeInterval.toSeconds() + "s\n"
                    + "scrape_configs:\n" + scrapeConfigs);
            return launch(directory, directory.resolve("data"), config, "");
        } catch (IOException | RuntimeException e) {
            deleteRecursively(directory);
            throw e;
        }
    }

    private static PrometheusProcess start(Path directory, Path openMetrics, String routePrefix) throws IOException {
        Path promtool = binary("promtool");
        Path data = directory.resolve("data");
        run(directory, List.of(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics",
                openMetrics.toString(), data.toString()));
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, "# Backfilled data only: no scrape jobs.\nglobal:\n  scrape_interval: 1m\n");
        return launch(directory, data, config, routePrefix);
    }

    private static PrometheusProcess launch(Path directory, Path data, Path config, String routePrefix)
            throws IOException {
        Path prometheus = binary("prometheus");
        int port = freePort();
        Path log = directory.resolve("prometheus.log");
        List<String> command = new ArrayList<>(List.of(prometheus.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + data,
                "--storage.tsdb.retention.time=3650d",
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"));
        if (!routePrefix.isEmpty()) {
            command.add("--web.route-prefix=" + routePrefix);
        }
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusProcess running = new PrometheusProcess(process, directory,
                URI.create("http://127.0.0.1:" + port + routePrefix));
        try {
            running.awaitReady(log);
            return running;
        } catch (IOException | RuntimeException e) {
            running.stop();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:PORT}, with the route prefix when there is one. */
    public URI baseUrl() {
        return baseUrl;
    }

    @Override
    public void close() {
        stop();
        deleteRecursively(directory);
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Path log) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl + "/-/ready")).timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + " before it was"
                        + " ready; its log:\n" + tail(log));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for prometheus", e);
            }
            sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("prometheus was not ready at " + baseUrl + " within " + READY_TIMEOUT
                + "; its log:\n" + tail(log));
    }

    /** The binary on PATH or in /usr/bin. */
    static Path binary(String name) {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, name));
                }
            }
        }
        candidates.add(Path.of("/usr/bin", name));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("'" + name + "' not found on PATH or in /usr/bin: the Prometheus integration"
                + " tests need it; " + INSTALL_HINT);
    }

    private static void run(Path directory, List<String> command) throws IOException {
        Path output = directory.resolve(Path.of(command.get(0)).getFileName() + ".log");
        Process tool = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            if (!tool.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                tool.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + TOOL_TIMEOUT);
            }
        } catch (InterruptedException e) {
            tool.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
        if (tool.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + tool.exitValue() + ":\n"
                    + tail(output));
        }
    }

    /** A port free on loopback now (the OS's pick for port 0), for a process the test starts next. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Left in the temp directory; nothing a test can do about it.
        }
    }
}
