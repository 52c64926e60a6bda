package io.canaryjudge.store;

import io.canaryjudge.report.InvalidReportException;
import io.canaryjudge.report.Report;
import io.canaryjudge.report.ReportJson;
import io.canaryjudge.report.VerdictJson;
import io.canaryjudge.verdict.Verdict;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code analyses} table (db/migration): one row per stored analysis, written and read with plain JDBC.
 * Blocking; {@link PostgresVerdictStore} calls it off the event loop. Times are kept to the microsecond
 * (PostgreSQL's {@code timestamptz}); the verdict comes back exactly as judged, the report as {@link ReportJson}
 * wrote it.
 */
final class AnalysisTable {
    /** Rows deleted per statement by retention: short transactions, short locks. */
    static final int DELETE_BATCH = 500;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Map<String, Map<String, String>>>> SELECTORS =
            new TypeReference<>() {
            };

    private final JdbcTemplate jdbc;
    private final VerdictJson verdictJson = new VerdictJson();
    private final ReportJson reportJson = new ReportJson();

    AnalysisTable(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Inserts the analysis; an id already stored is left as it is (a retried save is harmless). */
    void insert(StoredAnalysis analysis) {
        byte[] verdict = CompressedText.compress(verdictJson.render(analysis.verdict()));
        byte[] report = analysis.report() == null ? null : CompressedText.compress(reportJson.write(analysis.report()));
        jdbc.update((Connection connection) -> {
            PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO analyses (id, completed_at, elapsed_micros, application, namespace, result, source,
                                          config, window_start, window_end, selectors, profile_types, verdict, report)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
                    ON CONFLICT (id) DO NOTHING""");
            statement.setString(1, analysis.id());
            statement.setObject(2, timestamp(analysis.completedAt()));
            statement.setObject(3, analysis.elapsed() == null ? null : micros(analysis.elapsed()),
                    java.sql.Types.BIGINT);
            statement.setString(4, analysis.application());
            statement.setString(5, analysis.namespace());
            statement.setString(6, analysis.verdict().result().name());
            statement.setString(7, analysis.source());
            statement.setString(8, analysis.config());
            statement.setObject(9, timestamp(analysis.windowStart()));
            statement.setObject(10, timestamp(analysis.windowEnd()));
            statement.setString(11, selectors(analysis));
            statement.setArray(12, connection.createArrayOf("text", analysis.profileTypes().toArray()));
            statement.setBytes(13, verdict);
            statement.setBytes(14, report);
            return statement;
        });
    }

    /**
     * The analysis, or null when no row has this id.
     *
     * @throws UnreadableAnalysisException when the row's documents cannot be read back
     */
    StoredAnalysis find(String id) {
        List<StoredAnalysis> rows = jdbc.query("SELECT * FROM analyses WHERE id = ?", (row, n) -> analysis(row), id);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * The analysis without its report (the report column is not even fetched), or null when no row has this id.
     *
     * @throws UnreadableAnalysisException when the row's verdict cannot be read back
     */
    StoredAnalysis findVerdict(String id) {
        List<StoredAnalysis> rows = jdbc.query("""
                SELECT id, completed_at, elapsed_micros, application, namespace, source, config, window_start,
                       window_end, selectors, profile_types, verdict, NULL::bytea AS report
                FROM analyses WHERE id = ?""", (row, n) -> analysis(row), id);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Rows completed before {@code cutoff} deleted; the number deleted. */
    long removeCompletedBefore(Instant cutoff) {
        return removeInBatches("""
                DELETE FROM analyses WHERE id IN (
                    SELECT id FROM analyses WHERE completed_at < ?
                    ORDER BY completed_at, id LIMIT ? FOR UPDATE SKIP LOCKED)""", timestamp(cutoff));
    }

    /** All but the newest {@code keep} rows deleted; the number deleted. */
    long removeBeyond(int keep) {
        List<Object[]> newestToGo = jdbc.query(
                "SELECT completed_at, id FROM analyses ORDER BY completed_at DESC, id DESC OFFSET ? LIMIT 1",
                (row, n) -> new Object[] {row.getObject(1, OffsetDateTime.class), row.getString(2)}, keep);
        if (newestToGo.isEmpty()) {
            return 0;
        }
        return removeInBatches("""
                DELETE FROM analyses WHERE id IN (
                    SELECT id FROM analyses WHERE (completed_at, id) <= (?, ?)
                    ORDER BY completed_at, id LIMIT ? FOR UPDATE SKIP LOCKED)""", newestToGo.get(0));
    }

    /** The server's version, once the connection and the table have answered. */
    String ping() {
        jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM analyses)", Boolean.class);
        return jdbc.queryForObject("SELECT current_setting('server_version')", String.class);
    }

    /**
     * Deletes in batches of {@link #DELETE_BATCH}, skipping rows another replica is deleting right now, until a
     * batch comes back short: two replicas cleaning up at once never wait on each other and delete each row once.
     */
    private long removeInBatches(String sql, Object... conditions) {
        Object[] arguments = Arrays.copyOf(conditions, conditions.length + 1);
        arguments[conditions.length] = DELETE_BATCH;
        long removed = 0;
        int batch;
        do {
            batch = jdbc.update(sql, arguments);
            removed += batch;
        } while (batch == DELETE_BATCH);
        return removed;
    }

    private StoredAnalysis analysis(ResultSet row) throws SQLException {
        String id = row.getString("id");
        Verdict verdict;
        Report report = null;
        try {
            verdict = verdictJson.read(CompressedText.decompress(row.getBytes("verdict"), "verdict"));
            byte[] reportBytes = row.getBytes("report");
            if (reportBytes != null) {
                report = reportJson.read(CompressedText.decompress(reportBytes, "report"));
            }
        } catch (InvalidReportException | IllegalStateException e) {
            throw new UnreadableAnalysisException(id, e.getMessage(), e);
        }
        Map<String, Map<String, Map<String, String>>> selectors;
        try {
            selectors = MAPPER.readValue(row.getString("selectors"), SELECTORS);
        } catch (JacksonException e) {
            throw new UnreadableAnalysisException(id, "selectors: expected {\"baseline\": {\"labels\": {NAME: VALUE,"
                    + " …}}, \"canary\": …}, got " + row.getString("selectors"), e);
        }
        long elapsedMicros = row.getLong("elapsed_micros");
        Duration elapsed = row.wasNull() ? null : Duration.of(elapsedMicros, ChronoUnit.MICROS);
        return new StoredAnalysis(id, instant(row, "completed_at"), elapsed, row.getString("application"),
                row.getString("namespace"), row.getString("source"), row.getString("config"),
                instant(row, "window_start"), instant(row, "window_end"), labels(selectors, "baseline"),
                labels(selectors, "canary"), profileTypes(row.getArray("profile_types")), verdict, report);
    }

    private static Map<String, String> labels(Map<String, Map<String, Map<String, String>>> selectors, String group) {
        Map<String, Map<String, String>> selector = selectors.get(group);
        Map<String, String> labels = selector == null ? null : selector.get("labels");
        return labels == null ? Map.of() : labels;
    }

    private static List<String> profileTypes(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        try {
            return List.of((String[]) array.getArray());
        } finally {
            array.free();
        }
    }

    private static String selectors(StoredAnalysis analysis) {
        Map<String, Object> selectors = new TreeMap<>();
        selectors.put("baseline", Map.of("labels", new TreeMap<>(analysis.baselineLabels())));
        selectors.put("canary", Map.of("labels", new TreeMap<>(analysis.canaryLabels())));
        return MAPPER.writeValueAsString(selectors);
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static long micros(Duration duration) {
        return duration.toNanos() / 1_000;
    }
}
