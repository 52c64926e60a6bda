package io.canaryjudge.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.config.AnalysisConfig;
import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.config.FlaggerProperties;
import io.canaryjudge.config.PrometheusProperties;
import io.canaryjudge.config.ResilienceProperties;
import io.canaryjudge.judge.Judge;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.SliceProfile;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.source.local.LocalDirectorySource;
import io.canaryjudge.source.Deadline;
import io.canaryjudge.source.GuardedProfileSource;
import io.canaryjudge.source.SourceGuard;
import io.canaryjudge.store.InMemoryVerdictStore;
import io.canaryjudge.store.StoredAnalysis;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The orchestration without Spring: the shipped example through the real local source and the real judge,
 * and what happens when the source fails, is slow, or has no matching pods.
 */
class AnalysisRunnerTest {
    private static final Path EXAMPLES = SharedFixtures.projectRoot().resolve("examples/profiles");
    private static final Clock CLOCK = Clock.systemUTC();
    private static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2031-01-01T10:00:00Z"),
            Instant.parse("2031-01-01T10:10:00Z"));

    @TempDir
    Path temp;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemoryVerdictStore store = new InMemoryVerdictStore(100);

    private AnalysisRunner runner(AnalysisProperties settings) {
        return new AnalysisRunner(new Judge(), store, settings, null, ReportSettings.NONE, Schedulers.boundedElastic(),
                new JudgeMetrics(registry), CLOCK);
    }

    private static LocalDirectorySource local(Path root, boolean matchWindows) {
        return new LocalDirectorySource(root, matchWindows, "pod", ReadOptions.defaults(), Schedulers.boundedElastic());
    }

    private static ProfileSelector shop(String hash) {
        return new ProfileSelector("shop", List.of(new LabelMatcher("rollouts_pod_template_hash", hash)));
    }

    private static AnalysisRequest request(String canaryHash, TimeWindow window, Duration deadline,
                                           AnalysisProperties settings) {
        AnalysisConfig config = AnalysisConfig.defaults(settings, FlaggerProperties.defaults(), PrometheusProperties.defaults());
        return new AnalysisRequest("shop", null, shop("6d4f8c7b9"), shop(canaryHash), null, window,
                List.of(ProfileType.CPU, ProfileType.ALLOC_BYTES), config, Deadline.after(deadline, CLOCK),
                "http://judge.test", List.of());
    }

    @Test
    void theShippedExampleFailsOnTheInjectedFunctionAndIsStored() {
        AnalysisProperties settings = AnalysisProperties.defaults();
        Verdict verdict = runner(settings).run(request("7f9b6c5d4", WINDOW, Duration.ofSeconds(30), settings),
                local(EXAMPLES, false)).block().verdict();

        assertThat(verdict.result()).isEqualTo(Result.FAIL);
        assertThat(verdict.summary()).contains("PriceCalculator.applyDiscounts");
        assertThat(verdict.findings().get(0).function()).endsWith("PriceCalculator.applyDiscounts");
        assertThat(verdict.reportUrl()).isEqualTo("http://judge.test/reports/" + verdict.id());
        assertThat(verdict.dataQuality().types()).allSatisfy(type -> {
            assertThat(type.baseline().instances()).isEqualTo(2);
            assertThat(type.canary().instances()).isEqualTo(2);
            assertThat(type.canary().observations()).isEqualTo(10);
        });
        assertThat(verdict.dataQuality().warnings())
                .anySatisfy(w -> assertThat(w).contains("window is not applied"))
                .anySatisfy(w -> assertThat(w).contains("history: not fetched"));

        StoredAnalysis stored = store.find(verdict.id()).block();
        assertThat(stored.verdict()).isEqualTo(verdict);
        // The report kept beside it has the flame graphs and each pod's values behind the lead incident.
        assertThat(stored.report().flames()).isNotEmpty();
        assertThat(stored.report().evidence()).isNotEmpty();
        assertThat(stored.report().context().canary().inputs())
                .containsExactly("shop-7f9b6c5d4-m4q8z", "shop-7f9b6c5d4-r9t2w");
        assertThat(stored.report().context().canary().selector())
                .isEqualTo("{application=\"shop\",rollouts_pod_template_hash=\"7f9b6c5d4\"}");
        assertThat(stored.canaryLabels()).containsEntry("rollouts_pod_template_hash", "7f9b6c5d4");
        assertThat(stored.source()).isEqualTo("local");
        assertThat(registry.get("canary.judge.verdicts").tag("result", "FAIL").tag("application", "shop")
                .counter().count()).isEqualTo(1);
    }

    /**
     * The service keeps each analysis's lesson about each function's noise under its application: asked again about
     * the same baseline pods (Argo asks every few minutes) it neither adds the lesson twice nor judges those pods with
     * their own lesson; a later rollout's new baseline pods are judged with it, and add theirs.
     */
    @Test
    void eachAnalysisTeachesTheServiceOnceAndLaterPodsAreJudgedWithIt() throws Exception {
        AnalysisProperties settings = AnalysisProperties.defaults();
        AnalysisRunner runner = runner(settings);
        Verdict first = runner.run(request("7f9b6c5d4", WINDOW, Duration.ofSeconds(30), settings),
                local(EXAMPLES, false)).block().verdict();
        assertThat(cpu(first).noiseSource()).doesNotContain("earlier verdict");
        assertThat(store.noiseLessons("shop").block().lessons()).singleElement()
                .satisfies(lesson -> assertThat(lesson.jvms()).containsExactlyInAnyOrder("shop-6d4f8c7b9-k2x7p",
                        "shop-6d4f8c7b9-w5n3j"));

        Verdict again = runner.run(request("7f9b6c5d4", WINDOW, Duration.ofSeconds(30), settings),
                local(EXAMPLES, false)).block().verdict();
        assertThat(cpu(again).noiseSource()).doesNotContain("earlier verdict");
        assertThat(again.result()).isEqualTo(first.result());
        assertThat(store.noiseLessons("shop").block().lessons()).hasSize(1);

        // The next rollout: the same code on new stable pods.
        Path next = temp.resolve("next");
        for (String pod : List.of("shop-6d4f8c7b9-k2x7p", "shop-6d4f8c7b9-w5n3j", "shop-7f9b6c5d4-m4q8z",
                "shop-7f9b6c5d4-r9t2w")) {
            String renamed = pod.startsWith("shop-6d4f8c7b9") ? pod.replace("-k2x7p", "-n3w01").replace("-w5n3j", "-n3w02")
                    : pod;
            Path to = Files.createDirectories(next.resolve("shop").resolve(renamed));
            try (var files = Files.list(EXAMPLES.resolve("shop").resolve(pod))) {
                for (Path file : files.toList()) {
                    String text = file.getFileName().toString().equals("labels.properties")
                            ? Files.readString(file).replace(pod, renamed) : null;
                    if (text != null) {
                        Files.writeString(to.resolve(file.getFileName()), text);
                    } else {
                        Files.copy(file, to.resolve(file.getFileName()));
                    }
                }
            }
        }
        Verdict later = runner.run(request("7f9b6c5d4", WINDOW, Duration.ofSeconds(30), settings), local(next, false))
                .block().verdict();
        assertThat(cpu(later).noiseSource()).contains("also learned from the baselines of 1 earlier verdict(s)");
        assertThat(later.result()).isEqualTo(Result.FAIL);
        assertThat(store.noiseLessons("shop").block().lessons()).hasSize(2);
        assertThat(store.noiseLessons("other").block().lessons()).isEmpty();
    }

    @Test
    void withLearningOffNothingIsKeptOrUsed() {
        AnalysisProperties d = AnalysisProperties.defaults();
        AnalysisProperties off = new AnalysisProperties(d.slice(), d.instanceLabel(), d.namespaceLabel(), d.warmup(),
                d.deadline(), d.maxDeadline(), d.judgeTime(), d.lookback(), d.maxWindow(), d.historyWindows(),
                d.profileTypes(), d.fetchConcurrency(), d.maxConcurrent(), d.queue(), d.responseFindings(), false);
        store.learn("shop", new io.canaryjudge.noise.NoiseLessons.Lesson(java.util.Set.of("shop-6d4f8c7b9-old"),
                new io.canaryjudge.judge.LearnedNoise(java.util.Map.of(new io.canaryjudge.judge.LearnedNoise.Key(
                        ProfileType.CPU, io.canaryjudge.verdict.Measure.SELF,
                        "io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts"),
                        new io.canaryjudge.judge.LearnedNoise.Entry(0.01, 4)), 1))).block();
        Verdict verdict = runner(off).run(request("7f9b6c5d4", WINDOW, Duration.ofSeconds(30), off),
                local(EXAMPLES, false)).block().verdict();
        assertThat(cpu(verdict).noiseSource()).doesNotContain("earlier verdict");
        assertThat(store.noiseLessons("shop").block().lessons()).hasSize(1);
        // On (the default), the same analysis is judged with the kept lesson and adds its own.
        Verdict on = runner(d).run(request("7f9b6c5d4", WINDOW, Duration.ofSeconds(30), d), local(EXAMPLES, false))
                .block().verdict();
        assertThat(cpu(on).noiseSource()).contains("1 earlier verdict(s)");
        assertThat(store.noiseLessons("shop").block().lessons()).hasSize(2);
    }

    private static io.canaryjudge.verdict.TypeQuality cpu(Verdict verdict) {
        return verdict.dataQuality().types().stream().filter(t -> t.profileType() == ProfileType.CPU).findFirst()
                .orElseThrow();
    }

    @Test
    void noMatchingCanaryPodsIsInconclusiveNamingTheSelector() {
        AnalysisProperties settings = AnalysisProperties.defaults();
        Verdict verdict = runner(settings).run(request("0000000", WINDOW, Duration.ofSeconds(30), settings),
                local(EXAMPLES, false)).block().verdict();

        assertThat(verdict.result()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(verdict.pass()).isFalse();
        assertThat(verdict.summary()).startsWith("INCONCLUSIVE: no canary profiles of application \"shop\", "
                + "rollouts_pod_template_hash=\"0000000\"");
    }

    /** Pods exist but hold none of the asked types (the example has no wall profiles): the summary names the types. */
    @Test
    void podsWithoutTheAskedProfileTypeAreInconclusiveNamingTheType() {
        AnalysisProperties settings = AnalysisProperties.defaults();
        AnalysisRequest cpu = request("7f9b6c5d4", WINDOW, Duration.ofSeconds(30), settings);
        AnalysisRequest wall = new AnalysisRequest(cpu.application(), cpu.namespace(), cpu.baseline(), cpu.canary(),
                cpu.history(), cpu.window(), List.of(ProfileType.WALL), cpu.config(), cpu.deadline(), cpu.reportBaseUrl(),
                cpu.skipped());
        Verdict verdict = runner(settings).run(wall, local(EXAMPLES, false)).block().verdict();

        assertThat(verdict.result()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(verdict.summary()).startsWith("INCONCLUSIVE: no baseline or canary profiles: baseline application "
                + "\"shop\", ").contains("; canary application \"shop\", ").contains("profile types: wall)");
    }

    @Test
    void aFailingSourceGivesInconclusiveWithTheReasonAndThenItsCircuitOpens() throws Exception {
        Path notADirectory = Files.writeString(temp.resolve("profiles"), "not a directory");
        AnalysisProperties settings = AnalysisProperties.defaults();
        // 4 listings (2 groups x 2 types), 2 attempts each: the 8th failed call opens the circuit.
        ResilienceProperties resilience = new ResilienceProperties(2, Duration.ofMillis(10), 2.0, 50, 20, 8,
                Duration.ofMinutes(5), 8);
        SourceGuard guard = new SourceGuard("local", Duration.ofSeconds(5), resilience,
                GuardedProfileSource.failures("local"), registry);
        ProfileSource source = new GuardedProfileSource(local(notADirectory, false), guard, Duration.ofSeconds(1));

        Verdict first = runner(settings).run(request("7f9b6c5d4", WINDOW, Duration.ofSeconds(30), settings), source)
                .block().verdict();

        assertThat(first.result()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(first.summary()).startsWith("INCONCLUSIVE: data missing: the baseline pods with cpu profiles could"
                + " not be listed: local: profile directory").contains("does not exist or is not a directory");
        assertThat(first.dataQuality().warnings()).filteredOn(w -> w.startsWith("missing: ")).hasSize(4);
        // Every listing was tried twice (UNAVAILABLE is retryable): 8 failed calls opened the circuit.
        assertThat(registry.get("canary.judge.source.errors").tag("kind", "unavailable").counter().count())
                .isEqualTo(8);

        Verdict second = runner(settings).run(request("7f9b6c5d4", WINDOW, Duration.ofSeconds(30), settings), source)
                .block().verdict();
        assertThat(second.result()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(second.summary()).contains("local: unavailable (circuit open");
        assertThat(source.health().block().up()).isFalse();
    }

    @Test
    void aSlowSourceGivesATimelyInconclusiveAtTheDeadline() {
        AnalysisProperties settings = AnalysisProperties.defaults();
        LocalDirectorySource local = local(EXAMPLES, false);
        local.instances(shop("7f9b6c5d4"), ProfileType.CPU, WINDOW).block(); // read the files once: listing is quick
        ProfileSource slow = new SlowProfiles(local, Duration.ofSeconds(30));
        long started = System.nanoTime();

        Verdict verdict = runner(settings).run(request("7f9b6c5d4", WINDOW, Duration.ofSeconds(4), settings), slow)
                .block(Duration.ofSeconds(20)).verdict();

        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(seconds).as("answered at the deadline, not when the source would have").isLessThan(15);
        assertThat(verdict.result()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(verdict.summary()).contains("had not arrived when the 4 s deadline came")
                .doesNotContain("On the data that did arrive");
        assertThat(verdict.dataQuality().warnings()).anySatisfy(w -> assertThat(w)
                .contains("cpu profiles of the canary pods: 2 of 2 pods (20 slices) had not arrived"));
    }

    @Test
    void judgingThatOverrunsTheDeadlineIsAnsweredInconclusiveAtTheDeadlineAndStored() throws Exception {
        AnalysisProperties settings = AnalysisProperties.defaults();
        // The judge pool is one thread, busy with another analysis's work for 30 s: the data arrives in time, the
        // judging cannot start before the deadline.
        Scheduler busyPool = Schedulers.newSingle("busy-judge-pool");
        CountDownLatch busy = new CountDownLatch(1);
        busyPool.schedule(() -> {
            busy.countDown();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        busy.await();
        try {
            AnalysisRunner runner = new AnalysisRunner(new Judge(), store, settings, null, ReportSettings.NONE,
                    busyPool, new JudgeMetrics(registry), CLOCK);
            long started = System.nanoTime();

            StoredAnalysis analysis = runner.run(request("7f9b6c5d4", WINDOW, Duration.ofSeconds(4), settings),
                    local(EXAMPLES, false)).block(Duration.ofSeconds(25));

            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(seconds).as("answered at the deadline, not when the judge pool freed up").isLessThan(20);
            Verdict verdict = analysis.verdict();
            assertThat(verdict.result()).isEqualTo(Result.INCONCLUSIVE);
            assertThat(verdict.pass()).isFalse();
            assertThat(verdict.summary()).startsWith("INCONCLUSIVE: judging had not finished when the 4 s deadline came");
            assertThat(verdict.reportUrl()).isEqualTo("http://judge.test/reports/" + verdict.id());
            assertThat(store.find(verdict.id()).block().verdict()).isEqualTo(verdict);
        } finally {
            busyPool.dispose();
        }
    }

    @Test
    void aYoungCanaryLosesItsWarmUpSlicesWhenTheSourceKnowsWhenItStarted() {
        AnalysisProperties defaults = AnalysisProperties.defaults();
        AnalysisProperties settings = new AnalysisProperties(Duration.ofSeconds(6), "pod", "namespace",
                Duration.ofSeconds(12), Duration.ofSeconds(30), Duration.ofSeconds(60), defaults.judgeTime(),
                defaults.lookback(), defaults.maxWindow(), 0, defaults.profileTypes(), 8, 4, 16, 5, true);
        LocalDirectorySource timed = local(EXAMPLES, true);
        Instant recorded = local(EXAMPLES, false).profiles(shop("7f9b6c5d4"), new SourceInstance("shop-7f9b6c5d4-m4q8z", null),
                        ProfileType.CPU, WINDOW.split(Duration.ofMinutes(10)))
                .map(s -> s.window().start()).sort().blockFirst();
        TimeWindow around = new TimeWindow(recorded.minusSeconds(30), recorded.plusSeconds(120));

        Verdict verdict = runner(settings).run(request("7f9b6c5d4", around, Duration.ofSeconds(30), settings), timed)
                .block().verdict();

        assertThat(verdict.dataQuality().warnings()).filteredOn(w -> w.contains("left out as warm-up")).hasSize(2);
        assertThat(verdict.dataQuality().types().get(0).canary().observations()).isBetween(2, 8);
        assertThat(verdict.dataQuality().types().get(0).baseline().observations()).isEqualTo(10);
    }

    /**
     * History is fetched through the same source (earlier windows of the baseline pods) and only teaches noise:
     * when it cannot be fetched the verdict says so in {@code dataQuality.warnings} and judges without it.
     */
    @Test
    void aFailedHistoryFetchIsReportedButNeverFailsTheAnalysis() {
        AnalysisProperties defaults = AnalysisProperties.defaults();
        AnalysisProperties settings = new AnalysisProperties(Duration.ofSeconds(6), "pod", "namespace",
                Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(60), defaults.judgeTime(),
                defaults.lookback(), defaults.maxWindow(), 2, defaults.profileTypes(), 8, 4, 16, 5, true);
        LocalDirectorySource timed = local(EXAMPLES, true);
        Instant recorded = local(EXAMPLES, false).profiles(shop("7f9b6c5d4"), new SourceInstance("shop-7f9b6c5d4-m4q8z", null),
                        ProfileType.CPU, WINDOW.split(Duration.ofMinutes(10)))
                .map(s -> s.window().start()).sort().blockFirst();
        TimeWindow around = new TimeWindow(recorded.minusSeconds(30), recorded.plusSeconds(120));
        HistoryFails source = new HistoryFails(timed, around.start());

        Verdict verdict = runner(settings).run(request("7f9b6c5d4", around, Duration.ofSeconds(30), settings), source)
                .block().verdict();

        assertThat(source.historyCalls).as("both earlier windows were asked for, per type").hasValue(4);
        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        assertThat(verdict.summary()).contains("PriceCalculator.applyDiscounts");
        assertThat(verdict.dataQuality().warnings())
                .anySatisfy(w -> assertThat(w).startsWith("history (noise only): the history window 1 pods with cpu "
                        + "profiles could not be listed: local: earlier windows are archived"))
                .noneSatisfy(w -> assertThat(w).startsWith("missing: "));
        assertThat(verdict.dataQuality().types()).allSatisfy(type ->
                assertThat(type.noiseSource()).doesNotStartWith("history"));
    }

    /** A real time-aware source that cannot list any window ending before {@code start} (history). */
    private static final class HistoryFails implements ProfileSource {
        private final ProfileSource delegate;
        private final Instant start;
        final java.util.concurrent.atomic.AtomicInteger historyCalls = new java.util.concurrent.atomic.AtomicInteger();

        HistoryFails(ProfileSource delegate, Instant start) {
            this.delegate = delegate;
            this.start = start;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Mono<List<SourceInstance>> instances(ProfileSelector selector, ProfileType type, TimeWindow window) {
            if (!window.end().isAfter(start)) {
                historyCalls.incrementAndGet();
                return Mono.error(new io.canaryjudge.profile.source.ProfileSourceException(name(),
                        io.canaryjudge.profile.source.ProfileSourceException.Kind.UNAVAILABLE, "earlier windows are archived"));
            }
            return delegate.instances(selector, type, window);
        }

        @Override
        public Flux<SliceProfile> profiles(ProfileSelector selector, SourceInstance instance, ProfileType type,
                                           List<TimeWindow> slices) {
            return delegate.profiles(selector, instance, type, slices);
        }

        @Override
        public Mono<Health> health() {
            return delegate.health();
        }
    }

    /** A real source whose profile reads take far longer than any deadline. */
    private record SlowProfiles(ProfileSource delegate, Duration delay) implements ProfileSource {
        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Mono<List<SourceInstance>> instances(ProfileSelector selector, ProfileType type, TimeWindow window) {
            return delegate.instances(selector, type, window);
        }

        @Override
        public Flux<SliceProfile> profiles(ProfileSelector selector, SourceInstance instance, ProfileType type,
                                           List<TimeWindow> slices) {
            return delegate.profiles(selector, instance, type, slices).delaySubscription(delay);
        }

        @Override
        public Mono<Health> health() {
            return delegate.health();
        }

        @Override
        public boolean timeAware() {
            return delegate.timeAware();
        }
    }
}
