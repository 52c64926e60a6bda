package io.canaryjudge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.canaryjudge.config.StoreProperties;
import io.canaryjudge.config.StoreProperties.Retention;
import io.canaryjudge.config.StoreProperties.StoreType;
import io.canaryjudge.report.Report;
import io.canaryjudge.report.ReportJson;
import io.canaryjudge.verdict.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The PostgreSQL store against a real PostgreSQL ({@link PostgresServer}), one fresh database per test: schema
 * migration, exact round trips of real verdicts with a report document, compression, queryable columns,
 * retention by age and by row count (also by two replicas at once), unreadable rows, and a database that stalls.
 */
class PostgresVerdictStoreTest {
    static final Instant NOW = Instant.parse("2026-11-25T10:10:00.123456Z");
    static final Verdict EXAMPLE = new io.canaryjudge.report.VerdictJson().read(RealVerdicts.example());
    static final Report REPORT = RealVerdicts.exampleReport();
    private static final AtomicInteger DATABASES = new AtomicInteger();

    static PostgresServer server;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void startPostgres() throws IOException {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void flywayMigratesAnEmptyDatabaseAndASecondStartChangesNothing() {
        HikariDataSource database = dataSource(server.createDatabase(freshName()));
        JdbcTemplate sql = new JdbcTemplate(database);

        open(database, retention(Duration.ofDays(30), 10_000));
        List<Map<String, Object>> history = sql.queryForList(
                "SELECT version, success, installed_on FROM flyway_schema_history WHERE version IS NOT NULL");
        assertThat(history).hasSize(2);
        assertThat(history.get(0)).containsEntry("version", "1").containsEntry("success", true);
        assertThat(history.get(1)).containsEntry("version", "2").containsEntry("success", true);
        assertThat(sql.queryForList("SELECT column_name FROM information_schema.columns WHERE table_name = 'learned_noise'",
                String.class)).containsExactlyInAnyOrder("service", "lessons", "updated_at");
        assertThat(sql.queryForList("SELECT column_name FROM information_schema.columns WHERE table_name = 'analyses'",
                String.class)).contains("id", "completed_at", "application", "result", "window_start", "window_end",
                "selectors", "profile_types", "verdict", "report");

        open(database, retention(Duration.ofDays(30), 10_000));
        assertThat(sql.queryForList(
                "SELECT version, success, installed_on FROM flyway_schema_history WHERE version IS NOT NULL"))
                .isEqualTo(history);
    }

    @Test
    void aSavedAnalysisComesBackExactlyWithItsReportCompressedAndQueryable() {
        HikariDataSource database = dataSource(server.createDatabase(freshName()));
        PostgresVerdictStore store = open(database, retention(Duration.ofDays(30), 10_000));
        Report report = REPORT;
        StoredAnalysis analysis = new StoredAnalysis(EXAMPLE.id(), NOW, Duration.ofNanos(274_123_000), "shop",
                "prod", "pyroscope", "checkout", NOW.minus(Duration.ofMinutes(10)), NOW,
                Map.of("rollouts_pod_template_hash", "6d4f8c7b9", "service_name", "shop"),
                Map.of("rollouts_pod_template_hash", "7f9b6c5d4", "service_name", "shop"), List.of("cpu", "alloc_bytes"),
                EXAMPLE, report);

        store.save(analysis).block(Duration.ofSeconds(10));

        assertThat(store.find(EXAMPLE.id()).block(Duration.ofSeconds(10))).isEqualTo(analysis);
        JdbcTemplate sql = new JdbcTemplate(database);
        Map<String, Object> row = sql.queryForMap("""
                SELECT result, application, selectors->'canary'->'labels'->>'rollouts_pod_template_hash' AS canary,
                       'alloc_bytes' = ANY(profile_types) AS alloc, octet_length(verdict) AS verdict_bytes,
                       octet_length(report) AS report_bytes, substring(verdict FROM 1 FOR 2) AS magic
                FROM analyses WHERE id = ?""", EXAMPLE.id());
        assertThat(row).containsEntry("result", "FAIL").containsEntry("application", "shop")
                .containsEntry("canary", "7f9b6c5d4").containsEntry("alloc", true);
        assertThat((byte[]) row.get("magic")).containsExactly(0x1f, 0x8b);
        int json = new io.canaryjudge.report.VerdictJson().render(EXAMPLE).getBytes().length;
        assertThat(((Number) row.get("verdict_bytes")).intValue()).isLessThan(json / 4);
        int reportJson = new ReportJson().write(report).getBytes().length;
        assertThat(((Number) row.get("report_bytes")).intValue()).isLessThan(reportJson / 3);
        assertThat(report.flames()).isNotEmpty();
    }

    /**
     * Each service's noise lessons, shared by replicas: two stores on one database adding lessons at the same time
     * lose none; a lesson of the same pods replaces the older; services are kept apart.
     */
    @Test
    void noiseLessonsAreSharedByReplicasWithoutLosingOrDoublingOne() {
        HikariDataSource database = dataSource(server.createDatabase(freshName()));
        PostgresVerdictStore first = open(database, retention(Duration.ofDays(30), 10_000));
        PostgresVerdictStore second = open(database, retention(Duration.ofDays(30), 10_000));
        assertThat(first.noiseLessons("prod/shop").block(Duration.ofSeconds(10)).lessons()).isEmpty();

        Flux.range(0, 20).flatMap(i -> (i % 2 == 0 ? first : second).learn("prod/shop", lesson(i * 0.001, "pod-" + i)), 8)
                .blockLast(Duration.ofSeconds(60));
        io.canaryjudge.noise.NoiseLessons lessons = second.noiseLessons("prod/shop").block(Duration.ofSeconds(10));
        assertThat(lessons.lessons()).hasSize(20);
        assertThat(lessons.learnedFor(java.util.Set.of("pod-3")).verdicts()).isEqualTo(19);

        first.learn("prod/shop", lesson(0.5, "pod-3", "pod-new")).block(Duration.ofSeconds(10));
        io.canaryjudge.noise.NoiseLessons replaced = first.noiseLessons("prod/shop").block(Duration.ofSeconds(10));
        assertThat(replaced.lessons()).hasSize(20);
        assertThat(replaced.lessons().get(19)).isEqualTo(lesson(0.5, "pod-3", "pod-new"));
        assertThat(first.noiseLessons("staging/shop").block(Duration.ofSeconds(10)).lessons()).isEmpty();
    }

    /**
     * An upgrade from 98bdae9, whose {@code learned_noise} rows hold the first lessons layout: the row as that version
     * stored it is read, and the next lesson is added to it (the row then written in the current layout) instead of
     * every analysis warning that the lessons cannot be read and none ever being added again.
     */
    @Test
    void lessonsStoredBy98bdae9AreReadAndLearnedOnto() throws IOException {
        HikariDataSource database = dataSource(server.createDatabase(freshName()));
        PostgresVerdictStore store = open(database, retention(Duration.ofDays(30), 10_000));
        byte[] stored;
        try (java.io.InputStream in = PostgresVerdictStoreTest.class.getResourceAsStream(
                "/store/upgrade/learned-noise-98bdae9.json.gz")) {
            stored = in.readAllBytes();
        }
        new JdbcTemplate(database).update("INSERT INTO learned_noise (service, lessons, updated_at) VALUES ('shop', ?,"
                + " now())", (Object) stored);

        assertThat(store.noiseLessons("shop").block(Duration.ofSeconds(10)).lessons()).hasSize(2);
        store.learn("shop", lesson(0.01, "shop-new-1", "shop-new-2")).block(Duration.ofSeconds(10));

        io.canaryjudge.noise.NoiseLessons after = store.noiseLessons("shop").block(Duration.ofSeconds(10));
        assertThat(after.lessons()).hasSize(3);
        assertThat(after.lessons().get(0).jvms()).contains("shop-7f9b6c5d4-m4q8z");
        assertThat(after.lessons().get(0).taught().entries()).hasSize(283);
        assertThat(after.learnedFor(java.util.Set.of("shop-new-1")).verdicts()).isEqualTo(2);
    }

    private static io.canaryjudge.noise.NoiseLessons.Lesson lesson(double variance, String... jvms) {
        return new io.canaryjudge.noise.NoiseLessons.Lesson(java.util.Set.of(jvms), new io.canaryjudge.judge.LearnedNoise(
                Map.of(new io.canaryjudge.judge.LearnedNoise.Key(io.canaryjudge.profile.ProfileType.CPU,
                        io.canaryjudge.verdict.Measure.SELF, "com.example.Shop.checkout"),
                        new io.canaryjudge.judge.LearnedNoise.Entry(variance, 2)), 1));
    }

    @Test
    void anAnalysisWithoutWindowReportOrElapsedComesBackTheSame() {
        PostgresVerdictStore store = open(dataSource(server.createDatabase(freshName())),
                retention(Duration.ofDays(30), 10_000));
        StoredAnalysis upload = new StoredAnalysis("upload-1", NOW, null, "upload", null, "upload", null, null, null,
                Map.of(), Map.of(), List.of("cpu"), new io.canaryjudge.report.VerdictJson().read(RealVerdicts.aa()));

        store.save(upload).block(Duration.ofSeconds(10));

        assertThat(store.find("upload-1").block(Duration.ofSeconds(10))).isEqualTo(upload);
    }

    @Test
    void anUnknownIdIsEmptyAndASecondSaveOfAnIdKeepsTheFirst() {
        PostgresVerdictStore store = open(dataSource(server.createDatabase(freshName())),
                retention(Duration.ofDays(30), 10_000));
        store.save(analysis("a", NOW)).block(Duration.ofSeconds(10));
        store.save(analysis("a", NOW.plusSeconds(5))).block(Duration.ofSeconds(10));

        assertThat(store.find("b").blockOptional(Duration.ofSeconds(10))).isEmpty();
        assertThat(store.find("x".repeat(10_000)).blockOptional(Duration.ofSeconds(10))).isEmpty();
        assertThat(store.find("a").block(Duration.ofSeconds(10)).completedAt()).isEqualTo(NOW);
    }

    @Test
    void retentionDeletesRowsOlderThanMaxAgeAndBeyondMaxRowsOldestFirst() {
        HikariDataSource database = dataSource(server.createDatabase(freshName()));
        PostgresVerdictStore store = open(database, retention(Duration.ofDays(7), 5));
        for (int day = 0; day < 10; day++) {
            store.save(analysis("day-" + day, NOW.minus(Duration.ofDays(day)).minusSeconds(1)))
                    .block(Duration.ofSeconds(10));
        }

        assertThat(store.removeExpired(NOW).block(Duration.ofSeconds(30))).isEqualTo(5);

        // day-7..9 are older than 7 days; of day-0..6 the newest 5 stay.
        assertThat(ids(database)).containsExactlyInAnyOrder("day-0", "day-1", "day-2", "day-3", "day-4");
        assertThat(store.removeExpired(NOW).block(Duration.ofSeconds(30))).isZero();
        assertThat(registry.get("canary.judge.store.removed").counter().count()).isEqualTo(5);
    }

    @Test
    void twoReplicasCleaningUpAtOnceDeleteEachExpiredRowOnce() {
        HikariDataSource database = dataSource(server.createDatabase(freshName()));
        PostgresVerdictStore one = open(database, retention(Duration.ofDays(1), 100_000));
        PostgresVerdictStore two = open(dataSource(database.getJdbcUrl()), retention(Duration.ofDays(1), 100_000));
        int old = AnalysisTable.DELETE_BATCH * 2 + 234;
        insertDirectly(database, old, NOW.minus(Duration.ofDays(3)));
        insertDirectly(database, 40, NOW.minus(Duration.ofHours(1)));

        List<Long> removed = Flux.merge(one.removeExpired(NOW), two.removeExpired(NOW)).collectList()
                .block(Duration.ofSeconds(60));

        assertThat(removed.stream().mapToLong(Long::longValue).sum()).isEqualTo(old);
        assertThat(new JdbcTemplate(database).queryForObject("SELECT count(*) FROM analyses", Long.class))
                .isEqualTo(40);
    }

    @Test
    void anUnreadableRowIsAnErrorNamingTheAnalysisNotAnEmptyAnswer() {
        HikariDataSource database = dataSource(server.createDatabase(freshName()));
        PostgresVerdictStore store = open(database, retention(Duration.ofDays(30), 10_000));
        store.save(analysis("damaged", NOW)).block(Duration.ofSeconds(10));
        new JdbcTemplate(database).update("UPDATE analyses SET verdict = '\\x0102'::bytea WHERE id = 'damaged'");

        assertThatThrownBy(() -> store.find("damaged").block(Duration.ofSeconds(10)))
                .isInstanceOf(UnreadableAnalysisException.class)
                .hasMessageStartingWith("stored analysis damaged cannot be read: verdict: not readable gzip");
        new JdbcTemplate(database).update("UPDATE analyses SET verdict = ? WHERE id = 'damaged'",
                CompressedText.compress("{\"result\": \"MAYBE\"}"));
        assertThatThrownBy(() -> store.find("damaged").block(Duration.ofSeconds(10)))
                .isInstanceOf(UnreadableAnalysisException.class)
                .hasMessageStartingWith("stored analysis damaged cannot be read: verdict.result: ");
        new JdbcTemplate(database).update("UPDATE analyses SET verdict = ?, selectors = '[]' WHERE id = 'damaged'",
                CompressedText.compress(new io.canaryjudge.report.VerdictJson().render(EXAMPLE)));
        assertThatThrownBy(() -> store.find("damaged").block(Duration.ofSeconds(10)))
                .isInstanceOf(UnreadableAnalysisException.class)
                .hasMessage("stored analysis damaged cannot be read: selectors: expected {\"baseline\": {\"labels\":"
                        + " {NAME: VALUE, …}}, \"canary\": …}, got []");
    }

    @Test
    void aStalledDatabaseNeverHoldsACallerBeyondTheTimeoutAndRecovers() throws Exception {
        String url = server.createDatabase(freshName());
        StallingProxy proxy = new StallingProxy(server.port());
        opened.add(proxy);
        HikariDataSource database = dataSource(url.replace(":" + server.port() + "/", ":" + proxy.port() + "/"));
        PostgresVerdictStore store = open(database, retention(Duration.ofDays(30), 10_000));
        store.save(analysis("before", NOW)).block(Duration.ofSeconds(10));

        proxy.stall();
        long started = System.nanoTime();
        store.save(analysis("during", NOW)).block(Duration.ofSeconds(10));
        assertThatThrownBy(() -> store.find("before").block(Duration.ofSeconds(10)))
                .isInstanceOf(VerdictStoreUnavailableException.class)
                .hasMessageStartingWith("the verdict store (PostgreSQL at jdbc:postgresql://127.0.0.1:" + proxy.port());
        assertThatThrownBy(() -> store.check().block(Duration.ofSeconds(10)))
                .isInstanceOf(VerdictStoreUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

        proxy.resume();
        assertThat(Mono.defer(() -> store.find("before")).retryWhen(reactor.util.retry.Retry
                        .fixedDelay(20, Duration.ofMillis(500))).block(Duration.ofSeconds(30)).id()).isEqualTo("before");
        // The save the caller stopped waiting for still ends, one way or the other, and is counted then.
        long saves = 0;
        for (int attempt = 0; attempt < 60 && saves < 2; attempt++) {
            Thread.sleep(500);
            saves = registry.find("canary.judge.store.requests").tag("operation", "save").timers().stream()
                    .mapToLong(io.micrometer.core.instrument.Timer::count).sum();
        }
        assertThat(saves).isEqualTo(2);
    }

    @Test
    void aDatabaseThatStopsFailsSavesQuietlyButCountedAndReadsClearly() throws Exception {
        try (PostgresServer own = PostgresServer.start()) {
            HikariDataSource database = dataSource(own.createDatabase("lost"));
            PostgresVerdictStore store = open(database, retention(Duration.ofDays(30), 10_000));
            store.save(analysis("kept", NOW)).block(Duration.ofSeconds(10));

            own.stopNow();
            store.save(analysis("lost", NOW)).block(Duration.ofSeconds(10));
            assertThatThrownBy(() -> store.find("kept").block(Duration.ofSeconds(10)))
                    .isInstanceOf(VerdictStoreUnavailableException.class)
                    .hasMessageStartingWith("the verdict store (PostgreSQL at " + own.jdbcUrl("lost") + ")");
            assertThat(registry.find("canary.judge.store.requests").tag("operation", "save")
                    .tag("outcome", "failure").timer().count()).isEqualTo(1);

            own.resume();
            assertThat(Mono.defer(() -> store.find("kept")).retryWhen(reactor.util.retry.Retry
                    .fixedDelay(20, Duration.ofMillis(500))).block(Duration.ofSeconds(30)).id()).isEqualTo("kept");
            assertThat(store.find("lost").blockOptional(Duration.ofSeconds(10))).isEmpty();
        }
    }

    @Test
    void startingAgainstNoDatabaseFailsNamingTheProperty() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HikariDataSource database = dataSource("jdbc:postgresql://127.0.0.1:" + closedPort + "/none");

        assertThatThrownBy(() -> open(database, retention(Duration.ofDays(30), 10_000)))
                .isInstanceOf(StoreStartupException.class)
                .hasMessageContaining("the verdict store's database at jdbc:postgresql://127.0.0.1:"
                        + closedPort + "/none (spring.datasource.url) cannot be used")
                .hasMessageContaining("spring.datasource.url");
    }

    private PostgresVerdictStore open(HikariDataSource database, Retention retention) {
        PostgresVerdictStore store = PostgresVerdictStore.open(database, database.getJdbcUrl(), 4,
                new StoreProperties(StoreType.POSTGRES, 1000, Duration.ofSeconds(1), retention), registry);
        opened.add(store);
        return store;
    }

    private HikariDataSource dataSource(String url) {
        HikariDataSource database = new HikariDataSource();
        database.setJdbcUrl(url);
        database.setUsername(PostgresServer.USER);
        database.setPassword(PostgresServer.PASSWORD);
        database.setMaximumPoolSize(4);
        database.setConnectionTimeout(1000);
        database.addDataSourceProperty("connectTimeout", "5");
        database.addDataSourceProperty("socketTimeout", "30");
        opened.add(database);
        return database;
    }

    private static Retention retention(Duration maxAge, int maxRows) {
        return new Retention(maxAge, maxRows, Duration.ofMinutes(10));
    }

    static StoredAnalysis analysis(String id, Instant completedAt) {
        return new StoredAnalysis(id, completedAt, Duration.ofMillis(300), "shop", null, "local", null, null, null,
                Map.of("rollouts_pod_template_hash", "6d4f8c7b9"), Map.of("rollouts_pod_template_hash", "7f9b6c5d4"),
                List.of("cpu"), EXAMPLE.withId(id));
    }

    /** Many rows at once, the way only a test needs: one INSERT ... SELECT with the example's compressed verdict. */
    private static void insertDirectly(HikariDataSource database, int rows, Instant completedAt) {
        new JdbcTemplate(database).update("""
                INSERT INTO analyses (id, completed_at, result, selectors, profile_types, verdict)
                SELECT ? || n, ?, 'PASS', '{}'::jsonb, ARRAY['cpu'], ? FROM generate_series(1, ?) AS n""",
                completedAt.toString() + "-", java.time.OffsetDateTime.ofInstant(completedAt, java.time.ZoneOffset.UTC),
                CompressedText.compress("{}"), rows);
    }

    private static List<String> ids(HikariDataSource database) {
        return new JdbcTemplate(database).queryForList("SELECT id FROM analyses", String.class);
    }

    private static String freshName() {
        return "store_" + DATABASES.incrementAndGet();
    }
}
