package io.canaryjudge;

import io.canaryjudge.cli.Cli;
import io.canaryjudge.cli.ExitCode;
import io.canaryjudge.cli.UsageException;
import io.canaryjudge.store.StoreStartupException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.env.CommandLinePropertySource;

/**
 * One jar, three commands: {@code serve} starts the judge service; {@code compare} and
 * {@code collapse} run the command line tool without starting Spring or a web server. Anything
 * else — no command, {@code --help}, a typo — prints usage and exits 64: a mistyped command in a
 * CI job must fail at once, never leave a server running. So must a typo after {@code serve}: an argument
 * that is not a Spring property of a known namespace is refused before Spring starts
 * ({@link Cli#serveArguments}), and a {@code canary-judge.*} argument or environment variable the service has no
 * setting for stops start-up when it is bound, also with 64, as does a {@code --spring.datasource.url} that is no PostgreSQL JDBC URL.
 * A verdict store database that cannot be used (down, wrong credentials) stops start-up with one line on stderr
 * and 69 ({@link ExitCode#UNAVAILABLE}).
 *
 * <p>Boot's DataSource and Flyway auto-configuration are off: the default verdict store needs no database, and
 * the PostgreSQL store ({@code canary-judge.store.type=postgres}) sets up its pool and migrates its schema itself
 * ({@code io.canaryjudge.store.StoreConfiguration}).
 */
@SpringBootApplication(exclude = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
public class CanaryJudgeApplication {
    /** The user info of a URL: {@code ://user:password@}. */
    private static final Pattern CREDENTIALS = Pattern.compile("://[^/\\s]*@");

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
            if (!typos.isEmpty()) {
                // a typo in the environment is the caller's mistake as much as one on the command line: 64, not 1 (FAIL)
                System.exit(Cli.usageError(new UsageException("serve: unknown property " + String.join(", ", typos)
                        + ": the service has no such setting (docs/API.md, Configuration)"), System.err));
            }
            String badValue = badArgument(e, args);
            StoreStartupException store = storeFailure(e);
            if (badValue == null && store != null && store.property() == null) {
                // Spring has printed its description and action; the database, not a setting, is what failed
                System.err.println("canary-judge: serve: " + store.getMessage());
                System.exit(ExitCode.UNAVAILABLE.status());
            }
            PortInUseException portInUse = portInUse(e);
            if (badValue == null && portInUse != null) {
                // Spring has printed its description; the port, not a setting, is what failed (exit 1 was FAIL's)
                System.err.println("canary-judge: serve: port " + portInUse.getPort() + " is already in use"
                        + " (server.port): stop what listens there, or choose another port");
                System.exit(ExitCode.UNAVAILABLE.status());
            }
            if (badValue == null) {
                throw e; // Spring has reported why start-up failed
            }
            // Spring has printed why the value does not fit; a bad command-line value is a usage error (64), not
            // the 1 that compare answers for FAIL
            System.exit(Cli.usageError(new UsageException("serve: " + withoutCredentials(badValue)
                    + ": the value does not fit the setting (see above)"), System.err));
        }
    }

    /** {@code arg} with the user info of a URL in it masked: a URL refused for holding credentials is not echoed whole. */
    static String withoutCredentials(String arg) {
        int equals = arg.indexOf('=');
        if (equals > 0 && (SECRET_KEY.matcher(arg.substring(0, equals)).find()
                || arg.substring(equals + 1).toLowerCase(Locale.ROOT).contains("password="))) {
            return arg.substring(0, equals + 1) + "******";
        }
        // The last '@' before the path: a password may hold '@' itself.
        return CREDENTIALS.matcher(arg).replaceAll("://***@");
    }

    /** A setting whose value is a credential: its value is never echoed (as /actuator/configprops hides it). */
    private static final Pattern SECRET_KEY = Pattern.compile("(?i)(password|token|secret|key)$");


    /**
     * The command-line argument ({@code --server.port=abc}) whose value did not fit its setting and stopped
     * start-up; null when the failure was not about a value given on the command line.
     */
    static String badArgument(Throwable failure, String[] args) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String name = null;
            if (cause instanceof BindException bind && bind.getProperty() != null) {
                name = bind.getProperty().getName().toString();
            } else if (cause instanceof BindException bind) {
                // The value converted but the settings record refused it (--canary-judge.analysis.deadline=0s): Spring
                // names only the record's prefix; the record's message names the property.
                String refused = refusedArgument(bind, args);
                if (refused != null) {
                    return refused;
                }
            } else if (cause instanceof InvalidConfigurationPropertyValueException invalid) {
                name = invalid.getName();
            } else if (cause instanceof StoreStartupException store) {
                name = store.property(); // --spring.datasource.url=nonsense
            }
            if (name != null) {
                for (String arg : args) {
                    if (ConfigurationPropertyName.adapt(name, '.').equals(argumentName(arg))) {
                        return arg;
                    }
                }
            }
        }
        return null;
    }

    /**
     * The command-line argument under the prefix {@code bind} was binding whose property the refusal's message names
     * ({@code canary-judge.analysis.deadline must be a positive duration …}); null when it names none of them (the
     * bad value came from the environment or a file).
     */
    private static String refusedArgument(BindException bind, String[] args) {
        // every cause: a settings record may wrap the refusal of what it read (a judge configuration file's key)
        for (Throwable cause = bind.getCause(); cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getMessage() == null) {
                continue;
            }
            for (String word : cause.getMessage().split("[\\s:,\"()]+")) {
                ConfigurationPropertyName named = ConfigurationPropertyName.adapt(word, '.');
                if (named.isEmpty() || !bind.getName().isAncestorOf(named)) {
                    continue;
                }
                for (String arg : args) {
                    if (named.equals(argumentName(arg))) {
                        return arg;
                    }
                }
            }
        }
        return null;
    }

    /** The port that could not be bound among the causes of {@code failure}; null when there is none. */
    private static PortInUseException portInUse(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof PortInUseException port) {
                return port;
            }
        }
        return null;
    }

    /** The verdict store's refusal to start among the causes of {@code failure}; null when there is none. */
    private static StoreStartupException storeFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StoreStartupException store) {
                return store;
            }
        }
        return null;
    }

    /** The property an argument {@code --name=value} sets, in Spring's relaxed form; null for anything else. */
    private static ConfigurationPropertyName argumentName(String arg) {
        int equals = arg.indexOf('=');
        return arg.startsWith("--") && equals > 2 ? ConfigurationPropertyName.adapt(arg.substring(2, equals), '.') : null;
    }

    /**
     * The unknown {@code canary-judge.*} properties that stopped start-up and came from the command line
     * ({@code --canary-judge.analysis.deadlin}) or the environment ({@code CANARY_JUDGE_ANALYSIS_DEADLIN (an environment
     * variable)}); those of configuration files are left to Spring's report.
     */
    static List<String> unknownArguments(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnboundConfigurationPropertiesException unbound) {
                return unbound.getUnboundProperties().stream()
                        .map(CanaryJudgeApplication::typed)
                        .filter(Objects::nonNull)
                        .toList();
            }
        }
        return List.of();
    }

    /** How the user typed an unknown property, when it came from the command line or the environment; else null. */
    private static String typed(ConfigurationProperty property) {
        // Spring wraps the variable's own origin in the origin of the property source that read it
        Origin origin = property.getOrigin();
        if (origin instanceof PropertySourceOrigin wrapped && wrapped.getOrigin() != null) {
            origin = wrapped.getOrigin();
        }
        if (origin instanceof SystemEnvironmentOrigin environment) {
            return environment.getProperty() + " (an environment variable)";
        }
        Object source = property.getSource() == null ? null : property.getSource().getUnderlyingSource();
        if (source instanceof CommandLinePropertySource<?>) {
            return "--" + (property.getOrigin() instanceof PropertySourceOrigin argument
                    ? argument.getPropertyName() : property.getName().toString());
        }
        return null;
    }
}
