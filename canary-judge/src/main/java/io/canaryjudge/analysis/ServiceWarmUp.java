package io.canaryjudge.analysis;

import io.canaryjudge.config.AnalysisConfig;
import io.canaryjudge.config.AnalysisConfigs;
import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.config.WarmUpProperties;
import io.canaryjudge.judge.Judge;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.source.local.UploadSource;
import io.canaryjudge.profile.source.local.UploadSource.UploadedFile;
import io.canaryjudge.report.ReportJson;
import io.canaryjudge.report.VerdictJson;
import io.canaryjudge.source.Deadline;
import io.canaryjudge.store.InMemoryVerdictStore;
import io.canaryjudge.store.StoredAnalysis;
import io.canaryjudge.verdict.Result;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternUtils;
import reactor.core.scheduler.Schedulers;

/**
 * Judges the example profiles packed in the jar once at start-up, before the service reports ready, so that
 * class loading and the JIT's first compilations of the read → judge → report → JSON path are done before the
 * first real request. Without it the first request of a fresh JVM spends seconds of the caller's deadline
 * (8 s by default) on that; docs/BENCHMARKS.md ("Service") has the figures.
 *
 * <p>It runs as an {@link ApplicationRunner}: the web server is already listening, Spring Boot reports the
 * service ready once runners return. Readiness waits for the warm-up at most {@code maxWait}; past that the
 * warm-up finishes on its own daemon thread. Nothing of it is shared with real analyses: its own runner, in-memory
 * store and meter registry, so its verdict is never stored, listed or counted in the service's metrics. It never
 * fails start-up: whatever goes wrong is logged and the service starts cold.
 */
public final class ServiceWarmUp implements ApplicationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceWarmUp.class);
    /** The application name the warm-up judges under: no named config is expected to carry it. */
    static final String APPLICATION = "canary-judge-warm-up";
    /** Baseline pods of the packed example (examples/profiles/shop): pod-template hash 6d4f8c7b9; the rest are canary. */
    static final String BASELINE_POD_PREFIX = "shop-6d4f8c7b9-";

    /** What the warm-up did: the verdict it reached (null when it failed), how long it took, why it failed. */
    public record Outcome(Result result, Duration took, String failure) {
    }

    private final WarmUpProperties properties;
    private final AnalysisProperties analysis;
    private final AnalysisConfigs configs;
    private final ResourcePatternResolver resources;
    private volatile Outcome outcome;

    public ServiceWarmUp(WarmUpProperties properties, AnalysisProperties analysis, AnalysisConfigs configs,
                         ResourceLoader resources) {
        this.properties = properties;
        this.analysis = analysis;
        this.configs = configs;
        this.resources = ResourcePatternUtils.getResourcePatternResolver(resources);
    }

    /** The warm-up's outcome, or null while it runs (or when it is disabled). */
    public Outcome outcome() {
        return outcome;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        if (!properties.enabled()) {
            return;
        }
        Thread thread = new Thread(this::warmUp, "canary-judge-warm-up");
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join(Math.max(1, properties.maxWait().toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.info("warm-up still running after {} ms (canary-judge.warm-up.max-wait); reporting ready without it",
                    properties.maxWait().toMillis());
        }
    }

    private void warmUp() {
        long started = System.nanoTime();
        try {
            StoredAnalysis analysed = judgeExample();
            // The JSON the API answers with and the report the store keeps.
            new VerdictJson().tree(analysed.verdict()).toString();
            new ReportJson().write(analysed.report());
            outcome = new Outcome(analysed.verdict().result(), since(started), null);
            LOG.info("warm-up: judged the packed example ({}) in {} ms", analysed.verdict().result(),
                    outcome.took().toMillis());
        } catch (Exception | LinkageError e) {
            outcome = new Outcome(null, since(started), e.toString());
            LOG.warn("warm-up failed, the first request will be slower: {}", e.toString());
        }
    }

    private StoredAnalysis judgeExample() throws Exception {
        List<UploadedFile> files = new ArrayList<>();
        for (Resource resource : resources.getResources(properties.location() + "*/*")) {
            String pod = podOf(resource);
            String group = pod.startsWith(BASELINE_POD_PREFIX) ? "baseline" : "canary";
            try (InputStream in = resource.getInputStream()) {
                files.add(new UploadedFile(group, pod + "/" + resource.getFilename(), in.readAllBytes()));
            }
        }
        if (files.isEmpty()) {
            throw new IOException("no warm-up profiles at " + properties.location() + " (canary-judge.warm-up.location)");
        }
        UploadSource source = UploadSource.read(files, ReadOptions.defaults(), null);
        AnalysisConfig config = configs.resolve(null, APPLICATION);
        Clock clock = Clock.systemUTC();
        Instant now = clock.instant();
        AnalysisRequest request = new AnalysisRequest(APPLICATION, null, UploadSource.selector(APPLICATION, "baseline"),
                UploadSource.selector(APPLICATION, "canary"), null, new TimeWindow(now.minus(config.lookback()), now),
                config.profileTypes(), config, Deadline.after(Duration.ofMinutes(5), clock), "http://localhost",
                source.uploadSkipped());
        AnalysisRunner runner = new AnalysisRunner(new Judge(), new InMemoryVerdictStore(1), analysis, null,
                ReportSettings.NONE, Schedulers.immediate(), new JudgeMetrics(new SimpleMeterRegistry()), clock);
        StoredAnalysis analysed = runner.run(request, source).block(Duration.ofMinutes(5));
        if (analysed == null) {
            throw new IllegalStateException("the warm-up analysis completed without a verdict");
        }
        return analysed;
    }

    /** The directory a packed profile sits in: its pod. */
    private static String podOf(Resource resource) throws IOException {
        String path = resource.getURL().getPath();
        String directory = path.substring(0, path.lastIndexOf('/'));
        return directory.substring(directory.lastIndexOf('/') + 1);
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
