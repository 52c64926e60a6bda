package io.canaryjudge.web;

import static io.canaryjudge.web.OpenApiSchemas.PROBLEM_JSON;

import io.canaryjudge.config.AnalysisConfigs;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.report.Report;
import io.canaryjudge.report.ReportAssets;
import io.canaryjudge.report.ReportPage;
import io.canaryjudge.store.StoredAnalysis;
import io.canaryjudge.store.VerdictStore;
import io.canaryjudge.web.OpenApiSchemas.Problem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /reports/{id}}: a stored verdict as an HTML page a release engineer reads. */
@RestController
public class ReportController {
    private final VerdictStore store;
    private final AnalysisConfigs configs;

    public ReportController(VerdictStore store, AnalysisConfigs configs) {
        this.store = store;
        this.configs = configs;
    }

    /** The page links its script and style sheet relative to itself: also right behind a path prefix. */
    static final ReportAssets ASSETS = ReportAssets.served("../report-assets/");

    @Operation(summary = "The HTML report of a stored verdict: summary, incidents, diff flame graph, per-pod evidence",
            responses = {
                    @ApiResponse(responseCode = "200", description = "The report page"),
                    @ApiResponse(responseCode = "404", description = "No verdict with this id is stored",
                            content = @Content(mediaType = PROBLEM_JSON,
                                    schema = @Schema(implementation = Problem.class))),
                    @ApiResponse(responseCode = "500", description = "The stored verdict or report cannot be read back"
                            + " (stored-analysis-unreadable, naming what is wrong)",
                            content = @Content(mediaType = PROBLEM_JSON,
                                    schema = @Schema(implementation = Problem.class))),
                    @ApiResponse(responseCode = "503", description = "The verdict store's database does not answer",
                            content = @Content(mediaType = PROBLEM_JSON,
                                    schema = @Schema(implementation = Problem.class)))})
    @GetMapping(path = "/reports/{id}", produces = MediaType.TEXT_HTML_VALUE)
    public Mono<ResponseEntity<String>> report(@PathVariable String id) {
        return store.find(id)
                .switchIfEmpty(Mono.error(() -> new AnalysisNotFoundException(id)))
                .map(analysis -> ResponseEntity.ok()
                        .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                        .header("Content-Security-Policy", ASSETS.contentSecurityPolicy())
                        .body(new ReportPage(judgeConfig(analysis)).render(
                                analysis.report() != null ? analysis.report() : Report.of(analysis.verdict()), ASSETS)));
    }

    /** The thresholds the verdict was judged with, as far as the config still exists; the defaults otherwise. */
    private JudgeConfig judgeConfig(StoredAnalysis analysis) {
        try {
            return configs.resolve(analysis.config(), analysis.application()).judge();
        } catch (AnalysisConfigs.UnknownConfigException e) {
            return JudgeConfig.defaults();
        }
    }
}
