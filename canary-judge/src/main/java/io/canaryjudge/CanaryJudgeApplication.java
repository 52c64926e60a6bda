package io.canaryjudge;

import io.canaryjudge.cli.Cli;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;

/**
 * One jar, three commands: {@code serve} starts the judge service; {@code compare} and
 * {@code collapse} run the command line tool without starting Spring or a web server. Anything
 * else — no command, {@code --help}, a typo — prints usage and exits 64: a mistyped command in a
 * CI job must fail at once, never leave a server running.
 *
 * <p>Boot's DataSource and Flyway auto-configuration are off: the default verdict store needs no database, and
 * the PostgreSQL store ({@code canary-judge.store.type=postgres}) sets up its pool and migrates its schema itself
 * ({@code io.canaryjudge.store.StoreConfiguration}).
 */
@SpringBootApplication(exclude = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
public class CanaryJudgeApplication {

    public static void main(String[] args) {
        if (Cli.isServe(args)) {
            SpringApplication.run(CanaryJudgeApplication.class, Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(Cli.run(args, System.out, System.err));
    }
}
