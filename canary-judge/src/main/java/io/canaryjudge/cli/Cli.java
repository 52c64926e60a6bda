package io.canaryjudge.cli;

import io.canaryjudge.profile.ProfileType;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Entry point of the command line tool. Dispatches to a command; stdout carries only the
 * command's output, messages go to stderr.
 */
public final class Cli {
    /** The command that starts the service; handled by the application's main, not here. */
    public static final String SERVE = "serve";
    private static final Set<String> HELP = Set.of("help", "--help", "-h");

    private Cli() {
    }

    /** Whether the arguments ask for the service ({@code serve [--spring.property=value ...]}). */
    public static boolean isServe(String[] args) {
        // serve --help prints usage and exits 0, as compare --help and collapse --help do (run)
        return args.length > 0 && SERVE.equals(args[0]) && !wantsHelp(args);
    }

    /**
     * The arguments Spring gets for {@code serve ARGS}: ARGS, once each is a Spring property of a namespace the
     * service reads ({@code --server.port=8080}, {@code --canary-judge.analysis.deadline=6s}) or {@code --debug}
     * / {@code --trace}. Checked before Spring starts: Spring ignores what it cannot use, and a typo would leave a
     * server running on the default port.
     *
     * @param args the whole command line, starting with {@code serve}
     * @throws UsageException naming the first argument that is not such a property ({@link #usageError})
     */
    public static String[] serveArguments(String[] args) {
        return ServeArguments.check(Arrays.copyOfRange(args, 1, args.length));
    }

    /** True when {@code --help} or {@code -h} is among a command's arguments: it prints usage and exits 0. */
    static boolean wantsHelp(String[] args) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** Prints a usage error the way every command does (the reason, then the usage) and returns 64. */
    public static int usageError(UsageException e, PrintStream err) {
        err.println("canary-judge: " + e.getMessage());
        err.println(usage());
        return ExitCode.USAGE.status();
    }

    /**
     * Runs one command and returns the process exit status. No command, a help flag or an unknown
     * command prints usage and returns 64 (usage error): only {@code serve} starts a server.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) {
                throw new UsageException("no command given");
            }
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            return switch (args[0]) {
                case "collapse" -> new CollapseCommand(out, err).run(rest).status();
                case "compare" -> new CompareCommand(out, err).run(rest).status();
                case SERVE -> {
                    if (!wantsHelp(rest)) {
                        throw new IllegalStateException("serve is started by the application's main, not here");
                    }
                    out.println(usage());
                    yield ExitCode.PASS.status();
                }
                default -> {
                    if (HELP.contains(args[0])) {
                        out.println(usage());
                        yield ExitCode.USAGE.status();
                    }
                    throw new UsageException("unknown command \"" + args[0] + "\"; the commands are "
                            + SERVE + ", compare and collapse");
                }
            };
        } catch (UsageException e) {
            return usageError(e, err);
        } catch (RuntimeException | Error e) {
            err.println(("canary-judge: internal error: " + e).replaceAll("[\\r\\n]+", " "));
            return ExitCode.INTERNAL_ERROR.status();
        }
    }

    static String usage() {
        return """
                usage:
                  canary-judge serve [--server.port=8080] [--canary-judge.PROPERTY=VALUE ...]
                    starts the judge service (HTTP API for Argo Rollouts and Flagger, docs/API.md); each argument is a
                    Spring property --name=value under canary-judge., server., spring., management., logging. or
                    springdoc., or --debug, --trace; anything else, or a canary-judge. property the service does not
                    have, is a usage error (64) and starts no server
                  canary-judge compare --baseline PATH --canary PATH [--baseline PATH ...] [--canary PATH ...]
                                       [--history PATH ...] [--format json|text|markdown|html] [--profile-type TYPE]
                                       [--value-per-sample N] [--output FILE] [--config FILE [--service NAME]]
                                       [--slice DURATION] [--learned-noise FILE] [--load open|closed]
                                       [--max-stack-depth N]
                    each flag takes one value (--flag VALUE or --flag=VALUE); --baseline, --canary and --history
                    repeat, one instance (pod/JVM) each: a directory of time slices or one profile file.
                    --history PATH: earlier observations of the baseline version (earlier windows of its pods,
                      or other pods of it): the judge learns each function's noise from them, never the level
                    --profile-type TYPE: what collapsed files hold, and the only type judged; TYPE is one of
                      %s
                    --value-per-sample N: for collapsed allocation or lock files, what one profiler sample stands
                      for in the type's unit (524288 for async-profiler's alloc=512k); without it such files are
                      judged without a sampling-noise term (noise from slices and pods only)
                    --slice DURATION: split timestamped recordings (JFR) into slices, e.g. 10s, 500ms, 2m, PT10S
                    --learned-noise FILE: each function's noise learned from earlier comparisons' baselines; read
                      when FILE exists, then written back with this baseline added (keep one FILE per service)
                    --load closed: requests.csv counts a benchmark's operations (each run did as many as it could):
                      a canary's lower rate is its own slowness and cost per operation is compared whatever the
                      rates; open (the default): it counts served traffic, and a canary serving under 80 %% or
                      over 125 %% of the baseline's rate is a traffic shift, not compared per request
                    --max-stack-depth N: most frames in one stack (default 8192); a file with a deeper stack is
                      invalid input (65): raise it for recordings made with a deeper jstackdepth
                    exit status: 0 PASS, 1 FAIL, 2 INCONCLUSIVE, 64 usage, 65 invalid input, 70 internal error,
                      73 --output, stdout or --learned-noise cannot be written
                  canary-judge collapse FILE [--profile-type TYPE] [--max-decompressed-bytes N] [--max-stack-depth N]
                                        [--max-samples N]
                    prints one type of a profile as collapsed stacks""".formatted(
                // from the enum, so that a new type cannot be accepted yet missing here
                Arrays.stream(ProfileType.values()).filter(ProfileType::judgedOnItsOwn).map(ProfileType::id)
                        .collect(Collectors.joining(", ")));
    }
}
