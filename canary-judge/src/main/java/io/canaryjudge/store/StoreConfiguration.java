package io.canaryjudge.store;

import com.zaxxer.hikari.HikariDataSource;
import io.canaryjudge.config.PropertiesConfiguration;
import io.canaryjudge.config.StoreProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import io.canaryjudge.config.StoreProperties.StoreType;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import reactor.core.publisher.Mono;

/**
 * Picks the verdict store ({@link #storeType}): {@code memory} keeps the last {@code capacity} verdicts in this
 * process; {@code postgres} keeps them in the database at {@code spring.datasource.url}, shared by replicas, and
 * start-up fails — naming the property — when that database cannot be reached or migrated: a replica that would
 * silently lose verdicts is worse than one that does not start. Boot's own DataSource and Flyway auto-configuration are off (see {@code CanaryJudgeApplication}): the
 * memory store needs no database, and the postgres store migrates explicitly ({@link SchemaMigration}).
 * Readiness includes the store ({@code verdictStore}).
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(StoreConfiguration.class);
    private static final String DATABASE_URL = "spring.datasource.url";

    /**
     * {@code canary-judge.store.type} when set (a value other than memory or postgres fails start-up naming the
     * property); unset, {@code postgres} when {@code spring.datasource.url} is set, else {@code memory}.
     */
    static StoreType storeType(Environment environment) {
        Binder binder = PropertiesConfiguration.binder(environment); // a wrong type names the accepted ones
        return binder.bind("canary-judge.store.type", StoreType.class).orElseGet(() ->
                binder.bind("spring.datasource.url", String.class).map(url -> !url.isBlank()).orElse(false)
                        ? StoreType.POSTGRES : StoreType.MEMORY);
    }

    @Bean
    VerdictStore verdictStore(StoreProperties store, ObjectProvider<HikariDataSource> dataSource,
                              MeterRegistry registry, Environment environment) {
        return switch (storeType(environment)) {
            case MEMORY -> {
                if (environment.getProperty("spring.datasource.url") != null) {
                    LOG.warn("spring.datasource.url is set but canary-judge.store.type is memory: verdicts are kept in"
                            + " this process only; set canary-judge.store.type=postgres to use the database");
                }
                yield new InMemoryVerdictStore(store.capacity());
            }
            case POSTGRES -> {
                HikariDataSource database = dataSource.getObject();
                PostgresVerdictStore postgres = PostgresVerdictStore.open(database, database.getJdbcUrl(),
                        database.getMaximumPoolSize(), store, registry);
                LOG.info("verdict store: PostgreSQL at {} (retention: {} and {} rows at most, checked every {})",
                        postgres.where(), store.retention().maxAge(), store.retention().maxRows(),
                        store.retention().interval());
                yield postgres;
            }
        };
    }

    /** Readiness of the store: whether the database answers within the store's timeout (memory: always). */
    @Bean
    ReactiveHealthIndicator verdictStoreHealthIndicator(VerdictStore store, StoreProperties properties) {
        Duration wait = properties.timeout().multipliedBy(2);
        return () -> store.check()
                .timeout(wait)
                .map(detail -> Health.up().withDetail("store", name(store))
                        .withDetail("detail", detail).build())
                .onErrorResume(e -> Mono.just(Health.down().withDetail("store", name(store))
                        .withDetail("detail", e instanceof TimeoutException ? "no answer within " + wait
                                : String.valueOf(e.getMessage())).build()));
    }

    private static String name(VerdictStore store) {
        return store instanceof PostgresVerdictStore ? "postgres" : "memory";
    }

    /** Matches when the store is PostgreSQL ({@link #storeType}). */
    static final class UsesPostgres extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            StoreType type = storeType(context.getEnvironment());
            return new ConditionOutcome(type == StoreType.POSTGRES, "verdict store: " + type);
        }
    }

    /** The database pool and retention, only for the PostgreSQL store. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(UsesPostgres.class)
    @EnableConfigurationProperties(DataSourceProperties.class)
    static class Postgres {

        /**
         * HikariCP from {@code spring.datasource.url/username/password}. Defaults here, each overridable under
         * {@code spring.datasource.hikari.*}: a small pool (the store's calls are short); a connection waited for
         * at most the store's timeout; and PostgreSQL driver timeouts so that a database that vanishes from the
         * network fails calls instead of blocking a thread forever ({@code connectTimeout} 5 s,
         * {@code socketTimeout} 30 s).
         */
        @Bean
        @ConfigurationProperties("spring.datasource.hikari")
        HikariDataSource verdictStoreDataSource(DataSourceProperties properties, StoreProperties store) {
            String url = properties.getUrl();
            if (url == null || url.isBlank()) {
                throw new StoreStartupException("canary-judge.store.type=postgres needs spring.datasource.url",
                        "Set spring.datasource.url (e.g. jdbc:postgresql://postgres:5432/canary_judge),"
                                + " spring.datasource.username and spring.datasource.password; or set"
                                + " canary-judge.store.type=memory.", DATABASE_URL, null);
            }
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new StoreStartupException("the verdict store keeps verdicts in PostgreSQL when"
                        + " spring.datasource.url is set, and needs a PostgreSQL JDBC URL there, was \""
                        + PostgresVerdictStore.withoutCredentials(url) + "\"", "Set spring.datasource.url to"
                        + " jdbc:postgresql://HOST:PORT/DATABASE, or canary-judge.store.type=memory.", DATABASE_URL,
                        null);
            }
            if (!postgresDriverReads(url)) {
                // else the pool fails on its first connection with the driver's "claims to not accept jdbcUrl" and
                // a page of stack trace
                throw new StoreStartupException("spring.datasource.url is no JDBC URL the PostgreSQL driver can"
                        + " read (a port that is no number, an unclosed [), was \""
                        + PostgresVerdictStore.withoutCredentials(url) + "\"", "Set spring.datasource.url to"
                        + " jdbc:postgresql://HOST:PORT/DATABASE, or canary-judge.store.type=memory.", DATABASE_URL,
                        null);
            }
            HikariDataSource dataSource = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
            dataSource.setPoolName("verdict-store");
            dataSource.setMaximumPoolSize(4);
            dataSource.setConnectionTimeout(Math.max(250, store.timeout().toMillis()));
            dataSource.addDataSourceProperty("connectTimeout", "5");
            dataSource.addDataSourceProperty("socketTimeout", "30");
            dataSource.addDataSourceProperty("ApplicationName", "canary-judge");
            return dataSource;
        }

        /** Whether the PostgreSQL driver (on the class path at run time only) accepts {@code url}. */
        static boolean postgresDriverReads(String url) {
            try {
                Driver driver = (Driver) ClassUtils.forName("org.postgresql.Driver", Postgres.class.getClassLoader())
                        .getDeclaredConstructor().newInstance();
                return driver.acceptsURL(url);
            } catch (ReflectiveOperationException | LinkageError | SQLException e) {
                return true; // no driver to ask: the pool's first connection says what is wrong
            }
        }

        @Bean
        VerdictRetention verdictRetention(VerdictStore store, StoreProperties properties, Clock clock) {
            return new VerdictRetention(store, properties.retention(), clock);
        }
    }
}
