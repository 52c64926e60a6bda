package io.canaryjudge.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database's schema to this version's (Flyway, scripts in {@code db/migration}) before the store
 * is used; run at start-up by every replica. Flyway holds a PostgreSQL advisory lock while it migrates, so
 * replicas starting together apply each script once; on an up-to-date schema it changes nothing.
 */
final class SchemaMigration {
    static final String LOCATION = "classpath:db/migration";
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

    private SchemaMigration() {
    }

    /**
     * @param where the database, as the error should name it
     * @return the schema version now in place
     * @throws StoreStartupException naming the database and {@code spring.datasource.*} when it cannot be reached
     *                               or migrated
     */
    static String migrate(DataSource dataSource, String where) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                // A database that already holds other tables (and no history) is refused, never adopted silently.
                .baselineOnMigrate(false)
                .load();
        try {
            MigrateResult result = flyway.migrate();
            String version = result.targetSchemaVersion != null ? result.targetSchemaVersion
                    : flyway.info().current() == null ? "none" : flyway.info().current().getVersion().getVersion();
            LOG.info("verdict store: schema of {} at version {} ({} migration(s) applied now)", where, version,
                    result.migrationsExecuted);
            return version;
        } catch (FlywayException e) {
            throw new StoreStartupException("the verdict store's database at " + where
                    + " (spring.datasource.url) cannot be used: " + PostgresVerdictStore.databaseMessage(e)
                    + " (check spring.datasource.url, spring.datasource.username and spring.datasource.password)",
                    "Start the database or correct"
                    + " spring.datasource.url, spring.datasource.username and spring.datasource.password; or set"
                    + " canary-judge.store.type=memory to keep verdicts in this process only.", e);
        }
    }
}
