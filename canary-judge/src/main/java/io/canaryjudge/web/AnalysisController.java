package io.canaryjudge.web;

import static io.canaryjudge.web.OpenApiSchemas.PROBLEM_JSON;

import io.canaryjudge.analysis.AnalysisGate;
import io.canaryjudge.analysis.AnalysisRequest;
import io.canaryjudge.analysis.AnalysisRunner;
import io.canaryjudge.config.AnalysisConfig;
import io.canaryjudge.config.AnalysisConfigs;
import io.canaryjudge.config.UploadProperties;
import io.canaryjudge.profile.DecompressedSizeLimitException;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.StackDepthLimitException;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.local.UploadSource;
import io.canaryjudge.source.Deadline;
import io.canaryjudge.store.VerdictStore;
import io.canaryjudge.web.OpenApiSchemas.Problem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /api/v1/analyses} (a JSON request: the judge fetches from the configured profile source; or a
 * multipart upload: the judge reads the files sent) and {@code GET /api/v1/analyses/{id}}. Every completed
 * judgment is 200 with the verdict JSON, whatever the result; problems with the request are 4xx problem bodies
 * ({@link ProblemResponses}).
 */
@RestController
public class AnalysisController {
    static final String PATH = "/api/v1/analyses";

    private final AnalysisRequests requests;
    private final AnalysisRunner runner;
    private final AnalysisGate gate;
    private final ProfileSource source;
    private final VerdictStore store;
    private final VerdictResponses responses;
    private final UploadReader uploads;
    private final UploadProperties uploadLimits;
    private final ReportLinks links;
    private final Clock clock;
    private final JsonBodies json = new JsonBodies();

    public AnalysisController(AnalysisRequests requests, AnalysisRunner runner, AnalysisGate gate,
                              ProfileSource source, VerdictStore store, VerdictResponses responses,
                              UploadProperties uploadLimits, ReportLinks links, Clock clock) {
        this.requests = requests;
        this.runner = runner;
        this.gate = gate;
        this.source = source;
        this.store = store;
        this.responses = responses;
        this.uploads = new UploadReader(uploadLimits);
        this.uploadLimits = uploadLimits;
        this.links = links;
        this.clock = clock;
    }

    @Operation(summary = "Judge a canary from the configured profile source",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = AnalysisRequestBody.class))),
            responses = {
                    @ApiResponse(responseCode = "200", description = "The verdict (PASS, FAIL or INCONCLUSIVE)",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = OpenApiSchemas.Verdict.class))),
                    @ApiResponse(responseCode = "400", description = "A field is invalid (problem+json naming it)",
                            content = @Content(mediaType = PROBLEM_JSON,
                                    schema = @Schema(implementation = Problem.class))),
                    @ApiResponse(responseCode = "413", description = "The body is too large",
                            content = @Content(mediaType = PROBLEM_JSON,
                                    schema = @Schema(implementation = Problem.class))),
                    @ApiResponse(responseCode = "429", description = "Too many analyses; see Retry-After",
                            content = @Content(mediaType = PROBLEM_JSON,
                                    schema = @Schema(implementation = Problem.class)))})
    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<String>> analyse(@RequestBody(required = false) String body, ServerHttpRequest http) {
        return Mono.fromCallable(() -> requests.fromJson(json.read(body, AnalysisRequestBody.class), links.base(http)))
                .doOnNext(request -> AnalysisRequests.application(source, request.application(), "application"))
                .flatMap(request -> gate.submit(request.deadline(), () -> runner.run(request, source)))
                .map(analysis -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                        .body(responses.compact(analysis)));
    }

    @Operation(summary = "Judge uploaded profiles: parts baseline, canary, history (files named POD/FILE)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE,
                            schema = @Schema(implementation = OpenApiSchemas.UploadForm.class))),
            responses = {
                    @ApiResponse(responseCode = "200", description = "The verdict (PASS, FAIL or INCONCLUSIVE)",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = OpenApiSchemas.Verdict.class))),
                    @ApiResponse(responseCode = "400", description = "A part or field is invalid (problem+json naming it)",
                            content = @Content(mediaType = PROBLEM_JSON,
                                    schema = @Schema(implementation = Problem.class))),
                    @ApiResponse(responseCode = "413", description = "A file or the upload is too large",
                            content = @Content(mediaType = PROBLEM_JSON,
                                    schema = @Schema(implementation = Problem.class))),
                    @ApiResponse(responseCode = "429", description = "Too many analyses; see Retry-After",
                            content = @Content(mediaType = PROBLEM_JSON,
                                    schema = @Schema(implementation = Problem.class)))})
    @PostMapping(path = PATH, consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<String>> upload(@RequestBody Flux<PartEvent> parts, ServerHttpRequest http) {
        long received = clock.millis();
        String base = links.base(http);
        // The slot is taken before the body is read: uploads in memory are bounded by the analyses admitted.
        return gate.submit(() -> uploads.read(parts, upload -> judgeUpload(upload, received, base)))
                .map(analysis -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                        .body(responses.compact(analysis)));
    }

    private Mono<io.canaryjudge.store.StoredAnalysis> judgeUpload(UploadReader.Upload upload, long receivedMillis,
                                                                  String base) {
        return Mono.fromCallable(() -> {
            String application = AnalysisRequests.text(upload.field("application"), "application", false);
            application = application == null || application.isBlank() ? "upload" : application;
            AnalysisConfig config = requests.config(upload.field("config"), application, "config");
            List<ProfileType> types = requests.profileTypes(commaSeparated(upload.fields().get("profileTypes")),
                    "profileTypes", config.profileTypes());
            Deadline deadline = requests.deadline(upload.field("deadline"), "deadline");
            deadline = new Deadline(Instant.ofEpochMilli(receivedMillis).plus(deadline.allowed()),
                    deadline.allowed(), clock);
            ReadOptions options = ReadOptions.defaults()
                    .withMaxDecompressedBytes(uploadLimits.maxDecompressedSize().toBytes())
                    .withMaxStackDepth(uploadLimits.maxStackDepth());
            // As compare --slice: a JFR recording per pod becomes several observations of that pod.
            String slice = upload.field("slice");
            if (slice != null) {
                options = options.withSlice(AnalysisRequests.duration(slice, "slice"));
            }
            UploadSource source;
            try {
                source = UploadSource.read(upload.files(), options, types.size() == 1 ? types.get(0) : null);
            } catch (UploadSource.InvalidUploadException e) {
                if (e.getCause() instanceof DecompressedSizeLimitException) {
                    // the reader knows a byte count, not the setting: name it, as the other upload limits do
                    throw new UploadSource.InvalidUploadException(e.part(), e.getMessage()
                            + " (canary-judge.upload.max-decompressed-size)", e.getCause());
                }
                if (e.getCause() instanceof StackDepthLimitException) {
                    throw new UploadSource.InvalidUploadException(e.part(), e.getMessage()
                            + " (canary-judge.upload.max-stack-depth)", e.getCause());
                }
                throw e;
            }
            // As compare --load: closed when requests.csv counts a benchmark's operations.
            String load = upload.field("load");
            if ("closed".equals(load)) {
                source = source.withClosedLoop();
            } else if (load != null && !load.equals("open")) {
                throw new InvalidFieldException("load", "load must be open (requests.csv counts served traffic, the "
                        + "default) or closed (it counts operations a benchmark completed as fast as it could), was \""
                        + load + "\"");
            }
            boolean history = !source.instanceSizes("history").isEmpty();
            return new Prepared(new AnalysisRequest(application, null,
                    UploadSource.selector(application, "baseline"), UploadSource.selector(application, "canary"),
                    history ? UploadSource.selector(application, "history") : null,
                    requests.window(null, null, null, config.lookback(), ""), types, config, deadline, base,
                    source.uploadSkipped()), source);
        }).subscribeOn(Schedulers.boundedElastic()).flatMap(prepared -> runner.run(prepared.request(), prepared.source()));
    }

    private record Prepared(AnalysisRequest request, UploadSource source) {
    }

    /** {@code profileTypes} as repeated fields, comma-separated, or both; null when absent. */
    private static List<String> commaSeparated(List<String> values) {
        if (values == null) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (String value : values) {
            Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(ids::add);
        }
        return ids;
    }

    @Operation(summary = "A stored verdict, whole (every finding, the hottest functions)",
            responses = {
                    @ApiResponse(responseCode = "200", description = "The verdict",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = OpenApiSchemas.Verdict.class))),
                    @ApiResponse(responseCode = "404", description = "No verdict with this id is stored",
                            content = @Content(mediaType = PROBLEM_JSON,
                                    schema = @Schema(implementation = Problem.class))),
                    @ApiResponse(responseCode = "500", description = "The stored verdict cannot be read back"
                            + " (stored-analysis-unreadable, naming what is wrong)",
                            content = @Content(mediaType = PROBLEM_JSON,
                                    schema = @Schema(implementation = Problem.class))),
                    @ApiResponse(responseCode = "503", description = "The verdict store's database does not answer",
                            content = @Content(mediaType = PROBLEM_JSON,
                                    schema = @Schema(implementation = Problem.class)))})
    @GetMapping(path = PATH + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<String>> find(@PathVariable String id) {
        return store.findVerdict(id)
                .switchIfEmpty(Mono.error(() -> new AnalysisNotFoundException(id)))
                .map(analysis -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                        .body(responses.complete(analysis)));
    }
}
