package io.canaryjudge.web;

import io.canaryjudge.config.AnalysisConfigs;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.report.VerdictHtml;
import io.canaryjudge.store.StoredAnalysis;
import io.canaryjudge.store.VerdictStore;
import io.swagger.v3.oas.annotations.Operation;
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

    @Operation(summary = "The HTML report of a stored verdict")
    @GetMapping(path = "/reports/{id}", produces = MediaType.TEXT_HTML_VALUE)
    public Mono<ResponseEntity<String>> report(@PathVariable String id) {
        return store.find(id)
                .switchIfEmpty(Mono.error(() -> new AnalysisNotFoundException(id)))
                .map(analysis -> ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML,
                                java.nio.charset.StandardCharsets.UTF_8))
                        .body(new VerdictHtml(judgeConfig(analysis)).render(analysis.verdict())));
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
