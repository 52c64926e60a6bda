package io.canaryjudge.cli;

import io.canaryjudge.config.DurationText;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.report.ReportFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The parsed command line of {@code compare}. Every flag takes exactly one value, as
 * {@code --flag VALUE} or {@code --flag=VALUE}; {@code --baseline}, {@code --canary} and {@code --history}
 * repeat (one instance each), the others may be given once.
 *
 * @param baseline    baseline instances, one PATH each (a directory of slices or one file)
 * @param canary      canary instances
 * @param format      output format (default text)
 * @param profileType what collapsed files hold, and the only type judged; null = all types present
 * @param output      file to write the verdict to; null = stdout
 * @param config      judge configuration file; null = defaults
 * @param service     service whose overrides in the config file apply; null = none
 * @param slice       split timestamped recordings (JFR) into slices of this length; null = one per file
 * @param history     earlier observations of the baseline version, one instance each (same layout as
 *                    {@code --baseline}): used to learn noise only, never as the baseline level
 * @param valuePerSample for collapsed input whose values are not sample counts (allocations, locks): what one
 *                    profiler sample stands for, in the type's unit; null = unknown (judged without a
 *                    sampling-noise term)
 * @param learnedNoise file of each function's noise learned from earlier comparisons' baselines: read when it
 *                    exists, then written back with this comparison's baseline added; null = none
 * @param closedLoop  {@code --load closed}: requests.csv counts operations a benchmark completed as fast as it could,
 *                    so a canary's lower rate is its own slowness, never a traffic shift; false ({@code open},
 *                    the default) for served traffic
 * @param maxStackDepth most frames one stack of a profile may have ({@code --max-stack-depth}, default
 *                    {@link ReadOptions#DEFAULT_MAX_STACK_DEPTH}); a deeper stack makes its file invalid input
 */
record CompareArguments(List<Path> baseline, List<Path> canary, ReportFormat format, ProfileType profileType,
                        Path output, Path config, String service, Duration slice, List<Path> history,
                        Double valuePerSample, Path learnedNoise, boolean closedLoop, int maxStackDepth) {

    /**
     * The deepest {@code --max-stack-depth} taken: a recording's stacks are read into arrays of this many frames, so
     * it bounds what one declared depth may allocate (8 MB), far beyond any profiler's deepest setting.
     */
    static final int MOST_STACK_DEPTH = 1_000_000;

    private static final Set<String> FLAGS = Set.of("--baseline", "--canary", "--history", "--format",
            "--profile-type", "--output", "--config", "--service", "--slice", "--value-per-sample", "--learned-noise",
            "--load", "--max-stack-depth");
    private static final Set<String> REPEATING = Set.of("--baseline", "--canary", "--history");

    /**
     * @throws UsageException naming the bad flag or value (and the valid choices)
     */
    static CompareArguments parse(String[] args) {
        List<Path> baseline = new ArrayList<>();
        List<Path> canary = new ArrayList<>();
        List<Path> history = new ArrayList<>();
        String valuePerSample = null;
        String format = null;
        String profileType = null;
        String output = null;
        String config = null;
        String service = null;
        String slice = null;
        String learnedNoise = null;
        String load = null;
        String maxStackDepth = null;
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new UsageException("compare: unexpected argument \"" + arg
                        + "\" (every PATH follows --baseline, --canary or --history)");
            }
            String flag = arg;
            String value;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                flag = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            } else {
                value = i + 1 < args.length ? args[++i] : null;
            }
            if (!FLAGS.contains(flag)) {
                throw new UsageException("compare: unknown flag " + flag + "; valid flags: " + String.join(", ", sorted(FLAGS)));
            }
            if (value == null || value.isBlank() || (equals < 0 && value.startsWith("--") && FLAGS.contains(value.split("=")[0]))) {
                throw new UsageException("compare: " + flag + " needs a value");
            }
            if (!REPEATING.contains(flag) && !seen.add(flag)) {
                throw new UsageException("compare: " + flag + " given twice (only --baseline, --canary and --history repeat)");
            }
            switch (flag) {
                case "--baseline" -> baseline.add(path(flag, value));
                case "--canary" -> canary.add(path(flag, value));
                case "--history" -> history.add(path(flag, value));
                case "--value-per-sample" -> valuePerSample = value;
                case "--format" -> format = value;
                case "--profile-type" -> profileType = value;
                // "-" is stdout, as for most command-line tools: never a file named "-" in the working directory.
                case "--output" -> output = "-".equals(value) ? null : value;
                case "--config" -> config = value;
                case "--service" -> service = value;
                case "--slice" -> slice = value;
                case "--learned-noise" -> learnedNoise = value;
                case "--load" -> load = value;
                case "--max-stack-depth" -> maxStackDepth = value;
                default -> throw new IllegalStateException(flag);
            }
        }
        if (baseline.isEmpty() || canary.isEmpty()) {
            throw new UsageException("compare: needs at least one --baseline PATH and one --canary PATH");
        }
        duplicates("--baseline", baseline);
        duplicates("--canary", canary);
        duplicates("--history", history);
        for (Path path : history) {
            String overlap = overlap(path, baseline);
            if (overlap != null) {
                throw new UsageException("compare: " + path + " given as --baseline and --history" + overlap
                        + " (history is earlier observations of the baseline version, not the baseline itself)");
            }
            overlap = overlap(path, canary);
            if (overlap != null) {
                throw new UsageException("compare: " + path + " given as --canary and --history" + overlap
                        + " (history is earlier observations of the baseline version; the canary's own noise would hide"
                        + " its change)");
            }
        }
        for (Path path : canary) {
            String overlap = overlap(path, baseline);
            if (overlap != null) {
                throw new UsageException("compare: " + path + " given as --baseline and --canary" + overlap
                        + " (one instance cannot be in both groups: the comparison would be of the baseline with itself)");
            }
        }
        if (learnedNoise != null && output != null
                && outputIdentity(path("--learned-noise", learnedNoise)).equals(outputIdentity(path("--output", output)))) {
            throw new UsageException("compare: --learned-noise and --output name the same file");
        }
        Path configPath = config == null ? null : path("--config", config);
        if (output != null) {
            refuseOutputOverInput("--output", path("--output", output), baseline, canary, history, configPath);
        }
        if (learnedNoise != null) {
            refuseOutputOverInput("--learned-noise", path("--learned-noise", learnedNoise), baseline, canary, history,
                    configPath);
        }
        if (service != null && config == null) {
            throw new UsageException("compare: --service selects overrides from a --config FILE; give --config too");
        }
        ReportFormat reportFormat;
        try {
            reportFormat = format == null ? ReportFormat.TEXT : ReportFormat.fromId(format);
        } catch (IllegalArgumentException e) {
            throw new UsageException("compare: --format: " + e.getMessage());
        }
        ProfileType type;
        try {
            type = profileType == null ? null : ProfileType.judgedFromId(profileType);
        } catch (IllegalArgumentException e) {
            throw new UsageException("compare: --profile-type: " + e.getMessage());
        }
        Duration sliceLength = null;
        if (slice != null) {
            try {
                sliceLength = DurationText.parse(slice);
            } catch (IllegalArgumentException e) {
                throw new UsageException("compare: --slice: " + e.getMessage());
            }
            if (sliceLength.isZero() || sliceLength.isNegative()) {
                throw new UsageException("compare: --slice: must be longer than 0, was \"" + slice + "\"");
            }
        }
        Double perSample = null;
        if (valuePerSample != null) {
            if (type == null) {
                throw new UsageException("compare: --value-per-sample applies to collapsed input, which needs --profile-type");
            }
            try {
                perSample = Double.parseDouble(valuePerSample);
            } catch (NumberFormatException e) {
                perSample = Double.NaN;
            }
            if (!(perSample > 0) || perSample.isInfinite()) {
                throw new UsageException("compare: --value-per-sample: must be a number above 0 (what one sample stands "
                        + "for in the type's unit, e.g. 524288 bytes), was \"" + valuePerSample + "\"");
            }
        }
        if (load != null && !load.equals("open") && !load.equals("closed")) {
            throw new UsageException("compare: --load: must be open (requests.csv counts served traffic, the default) or "
                    + "closed (it counts operations a benchmark completed as fast as it could), was \"" + load + "\"");
        }
        int stackDepth = ReadOptions.DEFAULT_MAX_STACK_DEPTH;
        if (maxStackDepth != null) {
            try {
                stackDepth = Integer.parseInt(maxStackDepth);
            } catch (NumberFormatException e) {
                stackDepth = -1;
            }
            if (stackDepth < 1 || stackDepth > MOST_STACK_DEPTH) {
                throw new UsageException("compare: --max-stack-depth: must be a whole number from 1 to " + MOST_STACK_DEPTH
                        + " (frames in one stack), was \"" + maxStackDepth + "\"");
            }
        }
        return new CompareArguments(List.copyOf(baseline), List.copyOf(canary), reportFormat, type,
                output == null ? null : path("--output", output), config == null ? null : path("--config", config),
                service, sliceLength, List.copyOf(history), perSample,
                learnedNoise == null ? null : path("--learned-noise", learnedNoise), "closed".equals(load),
                stackDepth);
    }

    private static Path path(String flag, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException("compare: " + flag + ": \"" + value + "\" is not a valid path: " + e.getReason());
        }
    }

    /**
     * The file a PATH names: its real path (symlinks and {@code ..} resolved), so a link to a baseline pod
     * is recognised as that pod; a PATH that does not exist is compared as written (reading it fails later, 65).
     */
    private static Path identity(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException | SecurityException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /**
     * A file the command writes ({@code --output}, {@code --learned-noise}) must not be one it reads: an instance
     * PATH, a file in an instance directory (its files are that instance's slices, {@code requests.csv},
     * {@code heap.csv}; refused whether or not the file exists yet, so a second run is refused as the first was) or
     * the {@code --config} file. Writing the verdict there destroyed the input it was judged from, and a profile or
     * config given as {@code --learned-noise} was reported "damaged" with the advice to delete it.
     */
    private static void refuseOutputOverInput(String flag, Path output, List<Path> baseline, List<Path> canary,
                                              List<Path> history, Path config) {
        Path target = outputIdentity(output);
        Path folder = target.getParent();
        List<String> flags = List.of("--baseline", "--canary", "--history");
        List<List<Path>> groups = List.of(baseline, canary, history);
        for (int g = 0; g < groups.size(); g++) {
            for (Path input : groups.get(g)) {
                Path real = identity(input);
                if (real.equals(target)) {
                    throw new UsageException("compare: " + flag + " " + output + " is the " + flags.get(g) + " " + input
                            + " itself: writing there would destroy it; give another file");
                }
                if (real.equals(folder) && Files.isDirectory(real)) {
                    throw new UsageException("compare: " + flag + " " + output + " is in the " + flags.get(g) + " "
                            + "directory " + input + ", whose files are that instance's slices; give a file elsewhere");
                }
            }
        }
        if (config != null && identity(config).equals(target)) {
            throw new UsageException("compare: " + flag + " " + output + " is the --config file: writing there would "
                    + "destroy it; give another file");
        }
    }

    /**
     * The file an output PATH will be: its folder's real path with its name, so a file not yet written is compared
     * through symlinks and {@code ..} as an existing one is; an existing symlink is followed (writing follows it).
     */
    private static Path outputIdentity(Path path) {
        if (Files.exists(path)) {
            return identity(path);
        }
        Path absolute = path.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        return parent == null || absolute.getFileName() == null ? absolute : identity(parent).resolve(absolute.getFileName());
    }

    private static void duplicates(String flag, List<Path> paths) {
        for (int i = 1; i < paths.size(); i++) {
            String overlap = overlap(paths.get(i), paths.subList(0, i));
            if (overlap != null) {
                throw new UsageException("compare: " + flag + " " + paths.get(i) + " given twice" + overlap
                        + " (each PATH is one instance)");
            }
        }
    }

    /**
     * Whether {@code path} names data one of {@code others} names too: the same file or directory (through symlinks
     * and {@code ..}), or a file of an instance directory given as well (its slice would be read twice). Null when
     * not; else "" for the same PATH, or " (FILE is a file of DIRECTORY)".
     */
    private static String overlap(Path path, List<Path> others) {
        Path real = identity(path);
        for (Path other : others) {
            Path otherReal = identity(other);
            if (otherReal.equals(real)) {
                return "";
            }
            if (real.getParent() != null && real.getParent().equals(otherReal) && Files.isDirectory(otherReal)) {
                return " (" + path + " is a file of the directory " + other + ")";
            }
            if (otherReal.getParent() != null && otherReal.getParent().equals(real) && Files.isDirectory(real)) {
                return " (" + other + " is a file of the directory " + path + ")";
            }
        }
        return null;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
