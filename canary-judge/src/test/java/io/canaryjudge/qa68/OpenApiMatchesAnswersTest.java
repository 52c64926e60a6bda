package io.canaryjudge.qa68;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/API.md points clients at the OpenAPI description ({@code /v3/api-docs}); a client generated from it must expect
 * what the service really answers. Each request here is sent over real HTTP on loopback to the service judging the
 * shipped example profiles, and its status and Content-Type are looked up in the description of its operation: every
 * problem answer is {@code application/problem+json} (the description said {@code application/json}, and
 * {@code text/html} for the report page's 404), the verdict is a JSON object (it said a string), the JSON request's
 * required fields are required, and the upload's form fields are named (it said an array of Spring's
 * {@code PartEvent}).
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiMatchesAnswersTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String EXAMPLE = """
            {"application": "shop",
             "baseline": {"labels": {"rollouts_pod_template_hash": "6d4f8c7b9"}},
             "canary": {"labels": {"rollouts_pod_template_hash": "7f9b6c5d4"}},
             "lookback": "10m"}""";
    static final String BOUNDARY = "qa68-boundary";

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // the README's example: the shipped profiles (tests run in canary-judge/, the default is relative to the root)
        registry.add("canary-judge.local.directory",
                () -> Path.of("..", "examples", "profiles").toAbsolutePath().normalize().toString());
        registry.add("canary-judge.analysis.deadline", () -> "30s");
        registry.add("canary-judge.warm-up.enabled", () -> "false");
        // one finding and one incident in a POST answer, so that it has findingsOmitted and incidentsOmitted too
        registry.add("canary-judge.analysis.response-findings", () -> "1");
    }

    record Exchange(String method, String path, String operation, int status, String contentType, String body) {
    }

    @Test
    void everyAnswerHasTheStatusAndMediaTypeTheDescriptionDeclares() throws Exception {
        JsonNode api = JSON.readTree(send("GET", "/v3/api-docs", null, null).body());
        String multipart = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"colour\"\r\n\r\nblue\r\n--"
                + BOUNDARY + "--\r\n";
        List<Exchange> exchanges = new ArrayList<>();
        exchanges.add(exchange("POST", "/api/v1/analyses", "/api/v1/analyses", "application/json", EXAMPLE));
        JsonNode posted = JSON.readTree(exchanges.get(0).body());
        exchanges.add(exchange("GET", "/api/v1/analyses/" + posted.path("id").asString(), "/api/v1/analyses/{id}",
                null, null));
        JsonNode got = JSON.readTree(exchanges.get(1).body());
        exchanges.add(exchange("POST", "/api/v1/analyses", "/api/v1/analyses", "application/json",
                "{\"application\": \"shop\"}"));
        exchanges.add(exchange("POST", "/api/v1/analyses", "/api/v1/analyses",
                "multipart/form-data; boundary=" + BOUNDARY, multipart));
        exchanges.add(exchange("GET", "/api/v1/analyses/5b0c-unknown", "/api/v1/analyses/{id}", null, null));
        exchanges.add(exchange("GET", "/reports/5b0c-unknown", "/reports/{id}", null, null));
        exchanges.add(exchange("POST", "/api/v1/webhooks/flagger", "/api/v1/webhooks/flagger", "application/json",
                "{\"namespace\": \"test\"}"));
        assertThat(exchanges).extracting(Exchange::status).containsExactly(200, 200, 400, 400, 404, 404, 400);

        SoftAssertions.assertSoftly(soft -> {
            for (Exchange exchange : exchanges) {
                JsonNode responses = api.path("paths").path(exchange.operation())
                        .path(exchange.method().toLowerCase()).path("responses");
                JsonNode declared = responses.path(String.valueOf(exchange.status()));
                soft.assertThat(declared.isMissingNode()).as("%s %s: status %d declared in %s", exchange.method(),
                        exchange.path(), exchange.status(), responses).isFalse();
                soft.assertThat(declared.path("content").propertyNames()).as("%s %s %d: declared media types",
                        exchange.method(), exchange.path(), exchange.status()).containsExactly(exchange.contentType());
            }
            JsonNode analyses = api.path("paths").path("/api/v1/analyses").path("post");
            // The verdict's schema is kept by hand (OpenApiSchemas.Verdict): it must name exactly the fields the real
            // answers have, and require none that only one of them has (hottest: GET only; *Omitted: POST only). The
            // example has one incident, so no POST answer can leave one out: incidentsOmitted may be named unseen.
            Set<String> inBoth = new TreeSet<>(posted.propertyNames());
            inBoth.retainAll(got.propertyNames());
            Set<String> inEither = new TreeSet<>(posted.propertyNames());
            inEither.addAll(got.propertyNames());
            soft.assertThat(inEither).as("fields of the answers").contains("hottest", "findingsOmitted");
            for (String operation : new String[] {"/api/v1/analyses", "/api/v1/analyses/{id}"}) {
                JsonNode answer = resolve(api, api.path("paths").path(operation)
                        .path(operation.endsWith("}") ? "get" : "post").path("responses").path("200").path("content")
                        .path("application/json").path("schema"));
                Set<String> named = new TreeSet<>(answer.path("properties").propertyNames());
                soft.assertThat(named).as("%s: the verdict's schema's properties against the answers' fields",
                        operation).containsAll(inEither);
                named.removeAll(inEither);
                for (String unseen : named) {
                    String omitted = unseen.endsWith("Omitted") ? unseen.substring(0, unseen.length() - 7) : "";
                    soft.assertThat(got.path(omitted).isArray() && got.path(omitted).size() <= 1)
                            .as("%s: schema names %s, which neither answer has nor could have", operation, unseen)
                            .isTrue();
                }
                List<String> required = new ArrayList<>();
                answer.path("required").forEach(name -> required.add(name.asString()));
                soft.assertThat(inBoth).as("%s: the schema's required fields are in both answers", operation)
                        .containsAll(required);
            }
            for (String problemStatus : new String[] {"400", "413", "429"}) {
                JsonNode problem = resolve(api, analyses.path("responses").path(problemStatus).path("content")
                        .path("application/problem+json").path("schema"));
                soft.assertThat(problem.path("properties").propertyNames()).as(problemStatus)
                        .contains("type", "title", "status", "detail", "instance", "field");
            }

            JsonNode content = analyses.path("requestBody").path("content");
            JsonNode request = resolve(api, content.path("application/json").path("schema"));
            soft.assertThat(request.path("required").toString())
                    .contains("\"application\"", "\"baseline\"", "\"canary\"");
            JsonNode upload = resolve(api, content.path("multipart/form-data").path("schema"));
            soft.assertThat(upload.path("properties").propertyNames())
                    .contains("baseline", "canary", "history", "application", "profileTypes", "slice", "load");
            soft.assertThat(upload.path("properties").path("canary").path("items").path("format").asString())
                    .isEqualTo("binary");
            soft.assertThat(api.path("components").path("schemas").has("PartEvent"))
                    .as("Spring's PartEvent in the schemas").isFalse();
        });
    }

    private Exchange exchange(String method, String path, String operation, String contentType, String body)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, contentType, body);
        String mediaType = response.headers().firstValue("Content-Type").orElse("").split(";")[0].strip();
        return new Exchange(method, path, operation, response.statusCode(), mediaType, response.body());
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode resolve(JsonNode api, JsonNode schema) {
        String ref = schema.path("$ref").asString("");
        if (ref.isEmpty()) {
            return schema;
        }
        return api.path("components").path("schemas").path(ref.substring(ref.lastIndexOf('/') + 1));
    }
}
