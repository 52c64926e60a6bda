package io.canaryjudge.web;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Shapes the OpenAPI description ({@code /v3/api-docs}) names for bodies the service writes or reads by hand, so a
 * client generated from it expects what the service sends: the answers are built as text ({@link VerdictResponses},
 * {@link ProblemResponses}) and an upload is read part by part ({@link UploadReader}), so SpringDoc cannot infer them
 * and described every problem as a JSON string and an upload as an array of Spring's {@code PartEvent}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiSchemas {
    /** The media type of every problem answer (RFC 9457), 4xx and 5xx alike. */
    static final String PROBLEM_JSON = "application/problem+json";

    /**
     * Declares each answer as the controllers' annotations do. SpringDoc merges the JSON and multipart handlers of
     * {@code POST /api/v1/analyses} into one operation, and with them the handlers' {@code produces} type and return
     * type (a {@code String}: the JSON they write by hand): a problem read {@code application/json} beside
     * {@link #PROBLEM_JSON}, which no answer has, and the verdict "a string or a Verdict". Kept: {@link #PROBLEM_JSON}
     * alone for a problem, the declared schema (a {@code $ref}) where one was merged with others.
     */
    @Bean
    OpenApiCustomizer answersAsDeclared() {
        return api -> api.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                operation.getResponses().forEach((status, response) -> {
                    if (response.getContent() == null) {
                        return;
                    }
                    if (status.matches("[45]\\d\\d") && response.getContent().containsKey(PROBLEM_JSON)) {
                        response.getContent().keySet().retainAll(Set.of(PROBLEM_JSON));
                    }
                    response.getContent().values().forEach(media -> {
                        io.swagger.v3.oas.models.media.Schema<?> schema = media.getSchema();
                        if (schema != null && schema.getOneOf() != null) {
                            List<io.swagger.v3.oas.models.media.Schema> declared = schema.getOneOf().stream()
                                    .filter(one -> one.get$ref() != null).toList();
                            if (declared.size() == 1) {
                                media.setSchema(declared.get(0));
                            }
                        }
                    });
                })));
    }

    /**
     * A problem answer (docs/API.md "Problems").
     *
     * @param type     {@code urn:canary-judge:problem:NAME}
     * @param title    the kind of problem
     * @param status   the HTTP status
     * @param detail   what is wrong, naming the field and the value
     * @param instance the request's path
     * @param field    the request field at fault ({@code baseline.labels.NAME}, {@code body}, {@code id}, …)
     */
    @Schema(name = "Problem", description = "RFC 9457 problem (docs/API.md \"Problems\")")
    record Problem(String type, String title, int status, String detail, String instance, String field) {
    }

    /**
     * The verdict's top-level fields (docs/API.md "The verdict"); their insides are described there, not here.
     *
     * @param id         the verdict's id
     * @param result     what a rollout tests
     * @param pass       true only for PASS
     * @param score      0–100
     * @param summary    one sentence, the reason first
     * @param findings   the findings, most severe first
     * @param incidents  one per change
     * @param metrics    request metrics compared
     * @param dataQuality the data each type had, its noise, warnings and skipped inputs
     * @param reportUrl  the report page
     * @param analysis   what was asked (the service's answers only)
     * @param hottest    the hottest functions of each type, changed or not: only in {@code GET /api/v1/analyses/{id}}
     * @param findingsOmitted  findings left out of a POST answer, only there and only when some were
     * @param incidentsOmitted incidents left out of a POST answer, only there and only when some were
     */
    @Schema(name = "Verdict", description = "The verdict JSON (docs/API.md \"The verdict\")",
            requiredProperties = {"id", "result", "pass", "score", "summary"})
    record Verdict(String id, @Schema(allowableValues = {"PASS", "FAIL", "INCONCLUSIVE"}) String result, boolean pass,
                   int score, String summary, List<Object> findings, List<Object> incidents, List<Object> metrics,
                   Object dataQuality, String reportUrl, Object analysis,
                   @Schema(description = "only in GET /api/v1/analyses/{id}") List<Object> hottest,
                   @Schema(description = "only in a POST answer that left findings out") Integer findingsOmitted,
                   @Schema(description = "only in a POST answer that left incidents out") Integer incidentsOmitted) {
    }

    /**
     * The form of {@code POST /api/v1/analyses} as {@code multipart/form-data} (docs/API.md); other fields are refused.
     *
     * @param baseline     profile files of the baseline, each named {@code POD/FILE} (or {@code POD/requests.csv},
     *                     {@code POD/heap.csv}, {@code POD/areas.csv})
     * @param canary       likewise, of the canary
     * @param history      likewise, earlier observations of the baseline version (noise only)
     * @param application  default {@code upload}
     * @param profileTypes comma-separated or repeated
     * @param config       a named config
     * @param deadline     e.g. {@code 8s}
     * @param slice        e.g. {@code 10s}: cuts each JFR recording into slices of that length
     * @param load         {@code open} (default) or {@code closed}
     */
    @Schema(name = "UploadForm", requiredProperties = {"baseline", "canary"})
    record UploadForm(@ArraySchema(schema = @Schema(type = "string", format = "binary")) List<String> baseline,
                      @ArraySchema(schema = @Schema(type = "string", format = "binary")) List<String> canary,
                      @ArraySchema(schema = @Schema(type = "string", format = "binary")) List<String> history,
                      String application, List<String> profileTypes, String config, String deadline, String slice,
                      @Schema(allowableValues = {"open", "closed"}) String load) {
    }
}
