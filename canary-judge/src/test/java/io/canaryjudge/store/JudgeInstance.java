package io.canaryjudge.store;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.SharedFixtures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One running judge service (its own Spring application, a random port on 127.0.0.1), judging the shipped example
 * profiles and keeping verdicts in a PostgreSQL database; several of them against one database are replicas
 * behind one Service. Spoken to over real HTTP.
 */
final class JudgeInstance implements AutoCloseable {
    static final String EXAMPLE_REQUEST = """
            {"application": "shop",
             "baseline": {"labels": {"rollouts_pod_template_hash": "6d4f8c7b9"}},
             "canary": {"labels": {"rollouts_pod_template_hash": "7f9b6c5d4"}},
             "lookback": "10m"}""";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final ConfigurableApplicationContext context;
    private final int port;

    private JudgeInstance(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** A judge keeping verdicts in the database at {@code jdbcUrl}; {@code more} are further {@code --key=value}. */
    static JudgeInstance start(String jdbcUrl, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--canary-judge.local.directory=" + SharedFixtures.projectRoot().resolve("examples/profiles"),
                "--canary-judge.analysis.deadline=30s",
                "--canary-judge.store.type=postgres",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + PostgresServer.USER,
                "--spring.datasource.password=" + PostgresServer.PASSWORD));
        args.addAll(List.of(more));
        return new JudgeInstance(new SpringApplicationBuilder(CanaryJudgeApplication.class)
                .run(args.toArray(String[]::new)));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(60)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        context.close();
    }
}
