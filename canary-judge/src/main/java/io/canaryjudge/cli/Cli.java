package io.canaryjudge.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Set;

/**
 * Entry point of the command line tool. Dispatches to a command; stdout carries only the
 * command's output, messages go to stderr.
 */
public final class Cli {
    private static final Set<String> COMMANDS = Set.of("compare", "collapse", "help", "--help", "-h");

    private Cli() {
    }

    public static boolean isCommand(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    /** Runs one command and returns the process exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            return switch (args[0]) {
                case "collapse" -> new CollapseCommand(out, err).run(rest).status();
                case "compare" -> new CompareCommand(out, err).run(rest).status();
                default -> {
                    out.println(usage());
                    yield ExitCode.PASS.status();
                }
            };
        } catch (UsageException e) {
            err.println("canary-judge: " + e.getMessage());
            err.println(usage());
            return ExitCode.USAGE.status();
        } catch (RuntimeException | Error e) {
            err.println(("canary-judge: internal error: " + e).replaceAll("[\\r\\n]+", " "));
            return ExitCode.INTERNAL_ERROR.status();
        }
    }

    static String usage() {
        return """
                usage:
                  canary-judge compare --baseline PATH --canary PATH [--baseline PATH ...] [--canary PATH ...]
                                       [--format json|text|markdown|html] [--profile-type TYPE] [--output FILE]
                                       [--config FILE [--service NAME]] [--slice DURATION]
                    each flag takes one value (--flag VALUE or --flag=VALUE); --baseline and --canary repeat,
                    one instance (pod/JVM) each: a directory of time slices or one profile file.
                    --profile-type TYPE: what collapsed files hold, and the only type judged; TYPE is one of
                      cpu, wall, alloc_bytes, alloc_objects, lock_delay, lock_count
                    --slice DURATION: split timestamped recordings (JFR) into slices, e.g. 10s, 500ms, 2m, PT10S
                    exit status: 0 PASS, 1 FAIL, 2 INCONCLUSIVE, 64 usage, 65 invalid input, 70 internal error,
                      73 --output cannot be written
                  canary-judge collapse FILE [--profile-type TYPE]""";
    }
}
