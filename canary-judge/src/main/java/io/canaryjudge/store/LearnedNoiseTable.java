package io.canaryjudge.store;

import io.canaryjudge.noise.InvalidLearnedNoiseException;
import io.canaryjudge.noise.LearnedNoiseJson;
import io.canaryjudge.noise.NoiseLessons;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * JDBC for the {@code learned_noise} table (V2__learned_noise.sql): one row of lessons per service. Adding a
 * lesson runs in one transaction that locks the service's row, so replicas learning at the same time neither
 * lose nor double a lesson. Blocking: called on the store's threads.
 */
final class LearnedNoiseTable {
    private final DataSource dataSource;

    LearnedNoiseTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    NoiseLessons find(String service) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT lessons FROM learned_noise WHERE service = ?")) {
            select.setString(1, service);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? read(row.getBytes(1), service) : NoiseLessons.empty();
            }
        } catch (SQLException e) {
            throw new StoreFailure(e);
        }
    }

    void learn(String service, NoiseLessons.Lesson lesson, Instant now) {
        if (lesson.taught().isEmpty() || lesson.jvms().isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                learn(connection, service, lesson, now);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreFailure(e);
        }
    }

    private static void learn(Connection connection, String service, NoiseLessons.Lesson lesson, Instant now)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO learned_noise (service, lessons, "
                + "updated_at) VALUES (?, ?, ?) ON CONFLICT (service) DO NOTHING")) {
            insert.setString(1, service);
            insert.setBytes(2, CompressedText.compress(LearnedNoiseJson.write(NoiseLessons.empty())));
            insert.setTimestamp(3, Timestamp.from(now));
            insert.executeUpdate();
        }
        NoiseLessons kept;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT lessons FROM learned_noise WHERE service = ? FOR UPDATE")) {
            select.setString(1, service);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("learned_noise row of " + service + " vanished inside its transaction");
                }
                kept = read(row.getBytes(1), service);
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE learned_noise SET lessons = ?, updated_at = ? WHERE service = ?")) {
            update.setBytes(1, CompressedText.compress(LearnedNoiseJson.write(kept.with(lesson))));
            update.setTimestamp(2, Timestamp.from(now));
            update.setString(3, service);
            update.executeUpdate();
        }
    }

    /**
     * The row's lessons. A row that cannot be read back (damaged by hand or on disk) is an error that says so and
     * how to start anew: it is read, and learned onto, by every analysis of the service, so without its remedy every
     * verdict would warn, and no lesson would be added, for ever.
     */
    private static NoiseLessons read(byte[] compressed, String service) {
        String what = "learned noise of " + service;
        try {
            return LearnedNoiseJson.read(CompressedText.decompress(compressed, what));
        } catch (InvalidLearnedNoiseException e) {
            throw damaged(what + ": " + e.getMessage(), service, e);
        } catch (IllegalStateException e) {
            throw damaged(e.getMessage(), service, e);
        }
    }

    private static IllegalStateException damaged(String problem, String service, Exception cause) {
        return new IllegalStateException(problem + "; the stored lessons are damaged: none is used or added until"
                + " the row is deleted (DELETE FROM learned_noise WHERE service = '" + service.replace("'", "''")
                + "')", cause);
    }

    /** A database failure, as Spring's JDBC would report it (the store counts it as the database unavailable). */
    static final class StoreFailure extends org.springframework.dao.DataAccessException {
        StoreFailure(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
