package io.canaryjudge.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of {@code serve}: Spring Boot's command-line properties ({@code --name=value}) and its
 * {@code --debug} and {@code --trace} switches, nothing else. Spring itself passes over an argument it cannot use
 * (a word, {@code --port 8081}, {@code --sever.port=8081}), so a typo would start a server on the default port and
 * keep it running; checked here, before Spring starts, it is a usage error (64) naming the argument. Names under
 * {@code canary-judge.} are checked one by one when Spring binds them: one that no setting has stops start-up
 * ({@code io.canaryjudge.config.UnknownPropertiesBindHandler}).
 */
final class ServeArguments {
    /**
     * Top-level namespaces a user of the service sets: Boot's own ({@code server.port}, {@code spring.datasource.url},
     * {@code logging.level.*}, {@code management.*}), springdoc's (in application.yaml) and the judge's.
     */
    static final List<String> NAMESPACES = List.of("canary-judge", "server", "spring", "management", "logging",
            "springdoc");
    /** Boot's switches: arguments without a value, or properties of that name ({@code --debug=true}). */
    private static final Set<String> SWITCHES = Set.of("debug", "trace");
    private static final String FORM = "serve takes Spring properties as --name=value (e.g. --server.port=8080)";

    private ServeArguments() {
    }

    /**
     * @param args what follows {@code serve}
     * @return the arguments for Spring, unchanged
     * @throws UsageException naming the first argument that is not a property of a known namespace or a switch
     */
    static String[] check(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new UsageException("serve: unexpected argument \"" + arg + "\"; " + FORM);
            }
            int equals = arg.indexOf('=');
            String name = arg.substring(2, equals < 0 ? arg.length() : equals);
            if (equals < 0 && SWITCHES.contains(name)) {
                continue;
            }
            if (equals < 0) {
                throw new UsageException("serve: option " + arg + " has no value; " + FORM);
            }
            if (!known(name)) {
                throw new UsageException("serve: unknown option --" + name + "; serve takes Spring properties"
                        + " (--name=value) under " + String.join(", ", NAMESPACES.stream().map(n -> n + ".").toList())
                        + " and the switches --debug and --trace");
            }
            // Spring joins a repeated command-line property with commas: "--canary-judge.public-url=http://a
            // --canary-judge.public-url=http://b" became one URL "http://a,http://b", and a value that then did not
            // fit was blamed on the first argument alone.
            String earlier = given.putIfAbsent(name, arg);
            if (earlier != null) {
                throw new UsageException("serve: --" + name + " given twice (" + earlier + ", " + arg
                        + "); give each property once");
            }
        }
        return args.clone();
    }

    /** Whether Spring would read the name in one of the namespaces (in its relaxed forms: case and dashes aside). */
    private static boolean known(String name) {
        int dot = name.indexOf('.');
        if (dot < 0) {
            return SWITCHES.contains(name);
        }
        String top = name.substring(0, dot).replace("-", "").toLowerCase(Locale.ROOT);
        return dot < name.length() - 1
                && NAMESPACES.stream().anyMatch(namespace -> namespace.replace("-", "").equals(top));
    }
}
