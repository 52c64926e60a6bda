package io.canaryjudge.web;

import static io.canaryjudge.web.OpenApiSchemas.PROBLEM_JSON;

import io.canaryjudge.analysis.AnalysisGate;
import io.canaryjudge.analysis.AnalysisRequest;
import io.canaryjudge.analysis.AnalysisRunner;
import io.canaryjudge.config.AnalysisConfig;
import io.canaryjudge.config.AnalysisConfigs;
import io.canaryjudge.config.FlaggerProperties;
import io.canaryjudge.config.SelectorTemplate;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.source.Deadline;
import io.canaryjudge.store.StoredAnalysis;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import io.canaryjudge.web.OpenApiSchemas.Problem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/v1/webhooks/flagger}: Flagger's webhook. Flagger counts a status up to 202 as success and
 * copies any other answer's body into Kubernetes events, so the answer is plain text whose first line is the
 * verdict's one-line summary and whose second line is the report link: 200 on PASS, {@value #NOT_A_PASS} on FAIL
 * and, unless {@code canary-judge.flagger.inconclusive=PASS} or the webhook's {@code metadata.inconclusive: pass}, on
 * INCONCLUSIVE. The payload names only the canary;
 * the primary (baseline) and canary selectors come from label templates ({@code app={name}-primary} and
 * {@code app={name}} by default), the judge's parameters from the webhook's metadata. An {@code event} webhook
 * (told apart by its metadata, {@link FlaggerPayload#isEvent()}) judges nothing: it is logged and answered 200.
 */
@RestController
public class FlaggerWebhookController {
    static final String PATH = "/api/v1/webhooks/flagger";
    /** 412 Precondition Failed: the canary does not meet the condition for going on. */
    static final int NOT_A_PASS = 412;
    private static final Logger LOG = LoggerFactory.getLogger(FlaggerWebhookController.class);
    /** The metadata keys the webhook understands. */
    static final Set<String> METADATA = new TreeSet<>(List.of("application", "lookback", "profileTypes", "config",
            "deadline", "inconclusive"));

    private final AnalysisRequests requests;
    private final AnalysisRunner runner;
    private final AnalysisGate gate;
    private final ProfileSource source;
    private final FlaggerProperties flagger;
    private final ReportLinks links;
    private final JsonBodies json = new JsonBodies();

    public FlaggerWebhookController(AnalysisRequests requests, AnalysisRunner runner, AnalysisGate gate,
                                    ProfileSource source, FlaggerProperties flagger, ReportLinks links) {
        this.requests = requests;
        this.runner = runner;
        this.gate = gate;
        this.source = source;
        this.flagger = flagger;
        this.links = links;
    }

    /** A config named in {@code metadata.config} that does not exist. */
    static final class UnknownMetadataConfigException extends RuntimeException {
        UnknownMetadataConfigException(AnalysisConfigs.UnknownConfigException cause) {
            super(cause.getMessage(), cause);
        }
    }

    @Operation(summary = "Flagger webhook (pre-rollout, rollout, confirm-promotion): 200 on PASS, 412 with the reason"
            + " first on FAIL; an event webhook (metadata eventMessage and eventType) is logged and answered 200",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(schema = @Schema(implementation = FlaggerPayload.class))),
            responses = {
                    @ApiResponse(responseCode = "200", description = "PASS (or INCONCLUSIVE when configured so); an event",
                            content = @Content(mediaType = "text/plain")),
                    @ApiResponse(responseCode = "412", description = "FAIL or INCONCLUSIVE: first line is the reason",
                            content = @Content(mediaType = "text/plain")),
                    @ApiResponse(responseCode = "400", description = "A field is invalid (problem+json naming it)",
                            content = @Content(mediaType = PROBLEM_JSON,
                                    schema = @Schema(implementation = Problem.class)))})
    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = {MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    public Mono<ResponseEntity<String>> webhook(@RequestBody(required = false) String body, ServerHttpRequest http) {
        return Mono.fromCallable(() -> json.readIgnoringUnknown(body, FlaggerPayload.class))
                .flatMap(payload -> payload.isEvent() ? Mono.fromCallable(() -> acknowledge(payload))
                        : Mono.fromCallable(() -> new Submitted(request(payload, links.base(http)),
                                        inconclusiveAnswer(payload)))
                                .flatMap(submitted -> submit(submitted)
                                        .map(analysis -> answer(analysis, submitted.inconclusive()))));
    }

    /**
     * Runs the analysis in its slot. A slot that comes after the time to fetch is a 429 (a failed check to Flagger) —
     * unless this webhook answers INCONCLUSIVE with a pass: then it runs late and its INCONCLUSIVE passes, as the
     * webhook asked of a verdict the judge could not reach.
     */
    private Mono<StoredAnalysis> submit(Submitted submitted) {
        return submitted.inconclusive() == FlaggerProperties.InconclusiveAnswer.PASS
                ? gate.submit(() -> runner.run(submitted.request(), source))
                : gate.submit(submitted.request().deadline(), () -> runner.run(submitted.request(), source));
    }

    /** A judgement asked for, and what its INCONCLUSIVE answers this webhook. */
    private record Submitted(AnalysisRequest request, FlaggerProperties.InconclusiveAnswer inconclusive) {
    }

    /**
     * What an INCONCLUSIVE answers this webhook: {@code metadata.inconclusive} ({@code pass} or {@code fail}), else
     * {@code canary-judge.flagger.inconclusive}. Per webhook, because Flagger's webhook types weigh it differently: a
     * {@code rollout} webhook's 412 is a failed check that rolls the canary back once {@code threshold} are reached
     * (few pods answer INCONCLUSIVE often: every healthy rollout of 2 + 2 recorded pods was rolled back), while a
     * {@code confirm-promotion} webhook's 412 only holds the promotion until a judgement passes.
     */
    private FlaggerProperties.InconclusiveAnswer inconclusiveAnswer(FlaggerPayload payload) {
        String value = payload.metadata() == null ? null : payload.metadata().get("inconclusive");
        if (value == null) {
            return flagger.inconclusive();
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "pass" -> FlaggerProperties.InconclusiveAnswer.PASS;
            case "fail" -> FlaggerProperties.InconclusiveAnswer.FAIL;
            default -> throw new InvalidFieldException("metadata.inconclusive", "metadata.inconclusive \"" + value
                    + "\" must be pass (an INCONCLUSIVE answers 200) or fail (412)");
        };
    }

    /**
     * An {@code event} webhook: Flagger reports what happened to the canary and judges nothing by the answer
     * (it only logs a failed call), so nothing is analysed; the event is logged and acknowledged with 200.
     */
    private ResponseEntity<String> acknowledge(FlaggerPayload payload) {
        String name = AnalysisRequests.text(payload.name(), "name", true);
        String namespace = AnalysisRequests.text(payload.namespace(), "namespace", true);
        String type = oneLine(payload.metadata().get(FlaggerPayload.EVENT_TYPE));
        String message = oneLine(payload.metadata().get(FlaggerPayload.EVENT_MESSAGE));
        // Flagger's event webhook sends the phase; a hand-made call may not, and "()" would say nothing.
        String phase = payload.phase() == null || payload.phase().isBlank() ? "" : " (" + oneLine(payload.phase()) + ")";
        LOG.info("Flagger event for canary {}/{}{}: {}: {}", oneLine(namespace), oneLine(name), phase, type, message);
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
                .body("event received, nothing judged: " + type + ": " + message + "\n");
    }

    /** A value from the payload on one line (a log line or an answer's first line; Flagger's text is free). */
    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
    }

    private AnalysisRequest request(FlaggerPayload payload, String base) {
        String name = AnalysisRequests.text(payload.name(), "name", true);
        String namespace = AnalysisRequests.text(payload.namespace(), "namespace", true);
        Map<String, String> metadata = payload.metadata() == null ? Map.of() : payload.metadata();
        for (String key : metadata.keySet()) {
            if (!METADATA.contains(key)) {
                throw new InvalidFieldException("metadata." + key, "unknown metadata key \"" + key
                        + "\"; the judge reads " + METADATA);
            }
        }
        Map<String, String> values = Map.of("name", name, "namespace", namespace);
        String applicationMeta = AnalysisRequests.text(metadata.get("application"), "metadata.application", false);
        AnalysisConfig config;
        try {
            String configName = metadata.get("config");
            // The config may name the application template, so resolve it with the canary's name first.
            config = requests.config(configName, applicationMeta != null ? applicationMeta : name, "metadata.config");
        } catch (AnalysisConfigs.UnknownConfigException e) {
            throw new UnknownMetadataConfigException(e);
        }
        String application = applicationMeta != null ? applicationMeta : SelectorTemplate.fill(config.application(), values);
        if (application.isBlank()) {
            throw new InvalidFieldException("metadata.application", "the application template \""
                    + config.application() + "\" gave an empty name; set metadata.application");
        }
        AnalysisRequests.application(source, application, applicationMeta != null ? "metadata.application" : "name");
        ProfileSelector baseline = requests.selector(application, namespace, fill(config.baselineLabels(), values),
                "canary-judge.flagger.baseline-labels");
        ProfileSelector canary = requests.selector(application, namespace, fill(config.canaryLabels(), values),
                "canary-judge.flagger.canary-labels");
        TimeWindow window = requests.window(null, null, metadata.get("lookback"),
                flagger.lookback() != null ? flagger.lookback() : config.lookback(), "metadata.");
        List<ProfileType> types = requests.profileTypes(commaSeparated(metadata.get("profileTypes")),
                "metadata.profileTypes", config.profileTypes());
        Deadline deadline = requests.deadline(metadata.get("deadline"), "metadata.deadline");
        return new AnalysisRequest(application, namespace, baseline, canary, null, window, types, config, deadline,
                base, List.of(), requests.typesDefaulted(commaSeparated(metadata.get("profileTypes")), config));
    }

    private ResponseEntity<String> answer(StoredAnalysis analysis, FlaggerProperties.InconclusiveAnswer inconclusive) {
        Verdict verdict = analysis.verdict();
        boolean pass = verdict.result() == Result.PASS
                || verdict.result() == Result.INCONCLUSIVE && inconclusive == FlaggerProperties.InconclusiveAnswer.PASS;
        String summary = verdict.summary() == null ? verdict.result().name() : verdict.summary();
        String firstLine = summary.replaceAll("[\\r\\n]+", " ");
        if (!firstLine.startsWith(verdict.result().name())) {
            firstLine = verdict.result().name() + ": " + firstLine;
        }
        String body = firstLine + "\nreport: " + verdict.reportUrl() + "\n";
        return ResponseEntity.status(pass ? HttpStatus.OK.value() : NOT_A_PASS)
                .contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8)).body(body);
    }

    private static Map<String, String> fill(Map<String, String> templates, Map<String, String> values) {
        Map<String, String> labels = new LinkedHashMap<>();
        templates.forEach((label, template) -> labels.put(label, SelectorTemplate.fill(template, values)));
        return labels;
    }

    private static List<String> commaSeparated(String value) {
        if (value == null) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(ids::add);
        return ids;
    }
}
