package io.canaryjudge.cli;

import io.canaryjudge.profile.DecompressedSizeLimitException;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.NotAProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ProfileTypeRequiredException;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SampleType;
import io.canaryjudge.profile.StackDepthLimitException;
import io.canaryjudge.profile.collapsed.CollapsedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code collapse FILE [--profile-type TYPE] [--max-decompressed-bytes N] [--max-stack-depth N]
 * [--max-samples N]}: prints one column of a profile as collapsed stacks ({@code root;…;leaf value},
 * sorted, one line per distinct stack) — a converter, and a way to check the readers against
 * other tools.
 *
 * <p>The column is {@code --profile-type} when given, else {@code cpu} when the profile has it,
 * else its first column. stdout carries only the stacks; problems are one line on stderr:
 * exit 65 for a file that is missing, unreadable, not a profile or corrupt, or lacks the asked
 * type; exit 64 for a bad command line, including collapsed input without {@code --profile-type}.
 */
final class CollapseCommand {
    private final PrintStream out;
    private final PrintStream err;

    CollapseCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The parsed command line. */
    private record Arguments(Path file, ProfileType profileType, ReadOptions options) {
    }

    ExitCode run(String[] args) {
        if (Cli.wantsHelp(args)) {
            // as compare --help: asked for, so not a usage error
            out.println(Cli.usage());
            return ExitCode.PASS;
        }
        Arguments arguments = parse(args);
        String file = arguments.file().toString();
        List<Profile> profiles;
        try {
            profiles = ProfileFiles.read(arguments.file(), arguments.options());
        } catch (ProfileTypeRequiredException e) {
            throw new UsageException(file + ": collapsed input needs --profile-type, one of " + ProfileType.validIds());
        } catch (DecompressedSizeLimitException e) {
            return invalid(e.getMessage() + " (raise it with --max-decompressed-bytes N)");
        } catch (StackDepthLimitException e) {
            return invalid(e.getMessage() + " (raise it with --max-stack-depth N)");
        } catch (NoSuchFileException e) {
            return invalid(file + ": no such file");
        } catch (IOException e) {
            return invalid(file + ": cannot read: " + InstanceReader.describe(e));
        } catch (NotAProfileException | InvalidProfileException e) {
            // collapse, unlike compare and the service, has a setting for the most samples a file may hold
            return invalid(e.getMessage().contains(ReadOptions.TOO_MANY_SAMPLES_REMEDY)
                    ? e.getMessage() + ", or raise --max-samples N" : e.getMessage());
        } catch (OutOfMemoryError e) {
            return invalid(InstanceReader.outOfMemory(file));
        }
        CollapsedWriter writer = new CollapsedWriter();
        for (Profile profile : profiles) {
            int column = column(profile, arguments.profileType());
            if (column < 0) {
                return invalid(file + ": has no " + arguments.profileType().id() + " profile; it has: "
                        + describe(allSampleTypes(arguments, profile)));
            }
            writer.add(profile, column);
        }
        try {
            writer.writeTo(out);
        } catch (IOException e) {
            err.println("canary-judge: cannot write the output: " + e.getMessage());
            return ExitCode.CANNOT_WRITE;
        }
        out.flush();
        if (out.checkError()) {
            // A PrintStream keeps write errors to itself: a full disk left a cut or empty file and exit 0.
            err.println("canary-judge: cannot write the output to stdout (a full disk, a closed pipe?)");
            return ExitCode.CANNOT_WRITE;
        }
        return ExitCode.PASS;
    }

    /**
     * What the file offers, for the error message: the read asked only for the wanted type
     * ({@link ReadOptions#types()}), so the file is read again for every type — only on this
     * failure path.
     */
    private static List<SampleType> allSampleTypes(Arguments arguments, Profile read) {
        try {
            List<Profile> all = ProfileFiles.read(arguments.file(), arguments.options().withTypes(null));
            return all.isEmpty() ? read.sampleTypes() : all.get(0).sampleTypes();
        } catch (IOException | NotAProfileException | InvalidProfileException e) {
            return read.sampleTypes();
        }
    }

    private ExitCode invalid(String message) {
        err.println("canary-judge: " + message);
        return ExitCode.INVALID_INPUT;
    }

    private static int column(Profile profile, ProfileType wanted) {
        if (wanted != null) {
            return profile.sampleTypeIndex(wanted);
        }
        int cpu = profile.sampleTypeIndex(ProfileType.CPU);
        return cpu >= 0 ? cpu : 0;
    }

    /** {@code cpu/nanoseconds (cpu), samples/count}: what a profile offers, for the error message. */
    private static String describe(List<SampleType> sampleTypes) {
        return sampleTypes.stream()
                .map(t -> t.type() + "/" + t.unit() + (t.profileType() == null ? "" : " (" + t.profileType().id() + ")"))
                .collect(Collectors.joining(", "));
    }

    private static final Set<String> OPTIONS = Set.of("--profile-type", "--max-decompressed-bytes", "--max-stack-depth",
            "--max-samples");

    private static Arguments parse(String[] args) {
        Path file = null;
        ProfileType profileType = null;
        ReadOptions options = ReadOptions.defaults();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                flag = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (OPTIONS.contains(flag) && !seen.add(flag)) {
                // as compare: a second value silently replacing the first would print another column than asked
                throw new UsageException("collapse: " + flag + " given twice");
            }
            switch (flag) {
                case "--profile-type" -> {
                    value = value != null ? value : next(args, ++i, flag);
                    try {
                        profileType = ProfileType.fromId(value);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(e.getMessage());
                    }
                }
                case "--max-decompressed-bytes" -> options = options.withMaxDecompressedBytes(
                        positive(flag, value != null ? value : next(args, ++i, flag)));
                case "--max-stack-depth" -> options = options.withMaxStackDepth(
                        (int) Math.min(Integer.MAX_VALUE, positive(flag, value != null ? value : next(args, ++i, flag))));
                case "--max-samples" -> options = options.withMaxSamples(
                        positive(flag, value != null ? value : next(args, ++i, flag)));
                default -> {
                    if (arg.startsWith("-") && arg.length() > 1) {
                        throw new UsageException("collapse: unknown option " + arg);
                    }
                    if (file != null) {
                        throw new UsageException("collapse takes one FILE, got " + file + " and " + arg);
                    }
                    file = Path.of(arg);
                }
            }
        }
        if (file == null) {
            throw new UsageException("collapse needs a FILE");
        }
        // Only the column printed is read: a JFR recording's other event types are then skipped undecoded.
        return new Arguments(file, profileType, options.withCollapsedType(profileType)
                .withTypes(profileType == null ? null : Set.of(profileType)));
    }

    private static String next(String[] args, int index, String flag) {
        if (index >= args.length) {
            throw new UsageException(flag + " needs a value");
        }
        return args[index];
    }

    private static long positive(String flag, String value) {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + " must be a positive integer, was \"" + value + "\"");
    }
}
