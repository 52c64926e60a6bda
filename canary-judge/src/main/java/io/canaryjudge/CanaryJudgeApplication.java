package io.canaryjudge;

import io.canaryjudge.cli.Cli;
import io.canaryjudge.cli.UsageException;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.env.CommandLinePropertySource;

/**
 * One jar, three commands: {@code serve} starts the judge service; {@code compare} and
 * {@code collapse} run the command line tool without starting Spring or a web server. Anything
 * else — no command, {@code --help}, a typo — prints usage and exits 64: a mistyped command in a
 * CI job must fail at once, never leave a server running. So must a typo after {@code serve}: an argument
 * that is not a Spring property of a known namespace is refused before Spring starts
 * ({@link Cli#serveArguments}), and a {@code canary-judge.*} argument the service has no setting for stops
 * start-up when it is bound, also with 64.
 *
 * <p>Boot's DataSource and Flyway auto-configuration are off: the default verdict store needs no database, and
 * the PostgreSQL store ({@code canary-judge.store.type=postgres}) sets up its pool and migrates its schema itself
 * ({@code io.canaryjudge.store.StoreConfiguration}).
 */
@SpringBootApplication(exclude = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
public class CanaryJudgeApplication {

    public static void main(String[] args) {
        if (!Cli.isServe(args)) {
            System.exit(Cli.run(args, System.out, System.err));
        }
        try {
            SpringApplication.run(CanaryJudgeApplication.class, Cli.serveArguments(args));
        } catch (UsageException e) {
            System.exit(Cli.usageError(e, System.err));
        } catch (RuntimeException e) {
            List<String> typos = unknownArguments(e);
            if (typos.isEmpty()) {
                throw e; // Spring has reported why start-up failed
            }
            System.exit(Cli.usageError(new UsageException("serve: unknown property " + String.join(", ", typos)
                    + ": the service has no such setting (docs/API.md, Configuration)"), System.err));
        }
    }

    /** The command-line arguments among the unknown {@code canary-judge.*} properties that stopped start-up. */
    static List<String> unknownArguments(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnboundConfigurationPropertiesException unbound) {
                return unbound.getUnboundProperties().stream()
                        .filter(p -> p.getSource() != null
                                && p.getSource().getUnderlyingSource() instanceof CommandLinePropertySource<?>)
                        .map(p -> "--" + (p.getOrigin() instanceof PropertySourceOrigin origin
                                ? origin.getPropertyName() : p.getName().toString()))
                        .toList();
            }
        }
        return List.of();
    }
}
