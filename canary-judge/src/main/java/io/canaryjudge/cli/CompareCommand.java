package io.canaryjudge.cli;

import io.canaryjudge.config.InvalidConfigException;
import io.canaryjudge.config.JudgeConfigFile;
import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.memory.HeapWindows;
import io.canaryjudge.judge.memory.MemoryAreas;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.judge.memory.MemoryOutcome;
import io.canaryjudge.judge.memory.MemoryVerdicts;
import io.canaryjudge.judge.memory.PodHeap;
import io.canaryjudge.judge.memory.RecordedAreas;
import io.canaryjudge.noise.InvalidLearnedNoiseException;
import io.canaryjudge.noise.LearnedNoiseJson;
import io.canaryjudge.noise.NoiseLessons;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.RegularFile;
import io.canaryjudge.report.AnalysisContext;
import io.canaryjudge.report.Report;
import io.canaryjudge.report.ReportAssets;
import io.canaryjudge.report.ReportBuilder;
import io.canaryjudge.report.ReportFormat;
import io.canaryjudge.report.ReportPage;
import io.canaryjudge.report.VerdictText;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Verdict;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code compare --baseline PATH --canary PATH ...}: reads each PATH as one instance, judges the two
 * groups and writes the verdict (stdout or {@code --output}); the exit status is the result.
 *
 * <p>{@code --history PATH} (repeatable, one instance each) adds earlier observations of the baseline
 * version, from which the judge learns each function's noise; they never set the baseline's level.
 * {@code --profile-type TYPE} says what collapsed files hold and restricts judging to TYPE; whether
 * a TYPE regression fails the canary still follows the configuration's {@code failOnTypes}.
 * {@code --learned-noise FILE} carries each function's noise from one comparison's baseline to the next
 * ({@link NoiseLessons}): read when the file exists, written back with this baseline's lesson added; lessons of
 * this comparison's own baseline recordings are not used to judge it.
 */
final class CompareCommand {
    /** Largest learned-noise file read (bytes): 24 lessons of a 1,000-function profile take about 1 MB. */
    static final long MAX_LEARNED_NOISE_BYTES = 64L * 1024 * 1024;
    private final PrintStream out;
    private final PrintStream err;

    CompareCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    ExitCode run(String[] args) {
        if (Cli.wantsHelp(args)) {
            out.println(Cli.usage());
            return ExitCode.PASS;
        }
        CompareArguments arguments = CompareArguments.parse(args);
        JudgeConfig config;
        MemoryGrowthConfig memory;
        try {
            config = config(arguments);
            memory = memoryGrowth(arguments);
        } catch (InvalidConfigException e) {
            err.println("canary-judge: " + InstanceReader.oneLine(e.getMessage()));
            return ExitCode.USAGE;
        } catch (IOException e) {
            err.println("canary-judge: --config " + arguments.config() + ": cannot read: " + InstanceReader.describe(e));
            return ExitCode.USAGE;
        }
        ReadOptions options = ReadOptions.defaults().withCollapsedType(arguments.profileType()).withSlice(arguments.slice())
                .withMaxStackDepth(arguments.maxStackDepth());
        InstanceReader reader = new InstanceReader(options, arguments.valuePerSample(), arguments.closedLoop());
        List<Observation> baseline = new ArrayList<>();
        List<Observation> canary = new ArrayList<>();
        List<Observation> history = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<PodHeap> baselineHeap = new ArrayList<>();
        List<PodHeap> canaryHeap = new ArrayList<>();
        List<PodHeap> historyHeap = new ArrayList<>();
        List<RecordedAreas.PodAreas> baselineAreas = new ArrayList<>();
        List<RecordedAreas.PodAreas> canaryAreas = new ArrayList<>();
        List<RecordedAreas.PodAreas> historyAreas = new ArrayList<>();
        try {
            // Baseline instances by their JVM's start (JFR's jdk.JVMInformation), so that a history instance recorded
            // in the same JVM is compared as that pod's earlier window, not as another JVM.
            Map<Long, String> baselineJvms = new HashMap<>();
            for (Path path : arguments.baseline()) {
                InstanceReader.Instance instance = reader.read(path);
                collect(instance, baseline, skipped, warnings);
                baselineHeap.add(instance.podHeap());
                baselineAreas.add(new RecordedAreas.PodAreas(instance.name(), instance.areas()));
                if (instance.heap().jvmStartMillis() >= 0) {
                    // two baseline pods that say the same start (copied recordings, a start rounded to seconds) make
                    // that start name no JVM: history with it stays another JVM
                    baselineJvms.merge(instance.heap().jvmStartMillis(), instance.name(),
                            (one, other) -> one.equals(other) ? one : AMBIGUOUS_JVM);
                }
            }
            for (Path path : arguments.canary()) {
                InstanceReader.Instance instance = reader.read(path);
                collect(instance, canary, skipped, warnings);
                canaryHeap.add(instance.podHeap());
                canaryAreas.add(new RecordedAreas.PodAreas(instance.name(), instance.areas()));
            }
            for (Path path : arguments.history()) {
                InstanceReader.Instance instance = reader.read(path);
                collect(sameJvmAs(instance, baselineJvms), history, skipped, warnings);
                historyHeap.add(instance.podHeap()); // earlier windows of the baseline version, e.g. its pods' first minutes
                historyAreas.add(new RecordedAreas.PodAreas(instance.name(), instance.areas()));
            }
            requireProfiles("--baseline", arguments.baseline(), baseline);
            requireProfiles("--canary", arguments.canary(), canary);
            requireAskedType(arguments.profileType(), baseline, canary);
        } catch (InvalidInputException e) {
            err.println("canary-judge: " + e.getMessage());
            return ExitCode.INVALID_INPUT;
        }
        if (arguments.valuePerSample() != null && !anyCollapsed(baseline, canary, history)) {
            // formats are known only once read; pprof and JFR count their samples, so the option would do nothing
            throw new UsageException("compare: --value-per-sample applies only to collapsed input, and every input "
                    + "here is pprof or JFR (they count their own samples); leave it out");
        }
        warnings.addAll(partialRequestCounts(baseline, canary, arguments.profileType()));
        NoiseLessons lessons = NoiseLessons.empty();
        Set<String> instances = new LinkedHashSet<>();
        if (arguments.learnedNoise() != null) {
            for (Path path : arguments.baseline()) {
                instances.add(instanceIdentity(path));
            }
            for (Path path : arguments.history()) {
                instances.add(instanceIdentity(path));
            }
            if (Files.exists(arguments.learnedNoise())) {
                try {
                    long size = RegularFile.size(arguments.learnedNoise());
                    if (size > MAX_LEARNED_NOISE_BYTES) {
                        err.println("canary-judge: --learned-noise " + arguments.learnedNoise() + ": " + size
                                + " bytes, more than a learned-noise file holds (at most " + MAX_LEARNED_NOISE_BYTES
                                + "; 24 lessons of a 1,000-function service take about 1 MB): not a learned-noise file?");
                        return ExitCode.INVALID_INPUT;
                    }
                    lessons = LearnedNoiseJson.read(Files.readString(arguments.learnedNoise(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    err.println("canary-judge: --learned-noise " + arguments.learnedNoise() + ": cannot read: "
                            + InstanceReader.describe(e));
                    return ExitCode.INVALID_INPUT;
                } catch (InvalidLearnedNoiseException e) {
                    err.println("canary-judge: --learned-noise " + arguments.learnedNoise() + ": "
                            + InstanceReader.oneLine(e.getMessage()) + " (delete the file to start learning anew)");
                    return ExitCode.INVALID_INPUT;
                }
            }
        }
        LearnedNoise learned = lessons.learnedFor(instances);
        // Memory outside the heap from the same files, judged by the service's code under the service's area names.
        RecordedAreas.Assembled areas = RecordedAreas.assemble(baselineAreas, canaryAreas, historyAreas);
        if (memory.enabled()) {
            warnings.addAll(areas.warnings()); // nothing to say of areas a disabled memory check does not judge
        }
        HeapWindows heap = new HeapWindows(withHeap(baselineHeap), withHeap(canaryHeap), withHeap(historyHeap),
                areas.areas());
        if (!heap.isEmpty()) {
            // Once any pod has heap data the check runs; a baseline or canary pod without any is named in
            // dataQuality.memory ("no heap data") instead of silently dropping out of it.
            heap = new HeapWindows(baselineHeap, canaryHeap, heap.history(), areas.areas());
        }
        Judge.Judgement judged = new Judge().judge(baseline, canary, history, heap, learned, config, memory);
        Verdict verdict = judged.verdict();
        if (areas.note() != null && memory.enabled() && verdict.dataQuality() != null
                && verdict.dataQuality().memory() != null) {
            // the heap was judged and no area could be: said beside the heap's notes, so no reader takes them as judged
            verdict = MemoryVerdicts.withAreas(verdict, List.of(new MemoryAreas.AreaResult("areas",
                    MemoryOutcome.NOT_JUDGED, null, areas.note())));
        }
        verdict = verdict.withId(UUID.randomUUID().toString()).withDataQuality(merge(verdict.dataQuality(), warnings, skipped));
        String document = render(arguments, verdict, baseline, canary, config);
        // The verdict first, then this run's lesson; a verdict that cannot be delivered does not lose the lesson
        // (nothing accepted is lost): both are attempted, each failure is said, and either one is 73.
        boolean delivered = deliver(arguments, document, verdict);
        boolean learnedWritten = true;
        if (arguments.learnedNoise() != null) {
            NoiseLessons updated = lessons.with(new NoiseLessons.Lesson(instances, judged.taught()));
            try {
                writeAtomically(arguments.learnedNoise(), LearnedNoiseJson.write(updated));
            } catch (IOException e) {
                err.println("canary-judge: --learned-noise " + arguments.learnedNoise() + ": cannot write: "
                        + InstanceReader.describe(e));
                learnedWritten = false;
            }
        }
        if (!delivered || !learnedWritten) {
            return ExitCode.CANNOT_WRITE;
        }
        return switch (verdict.result()) {
            case PASS -> ExitCode.PASS;
            case FAIL -> ExitCode.FAIL;
            case INCONCLUSIVE -> ExitCode.INCONCLUSIVE;
        };
    }

    /** Writes the verdict to stdout or {@code --output}; false (after saying why on stderr) when it could not. */
    private boolean deliver(CompareArguments arguments, String document, Verdict verdict) {
        if (arguments.output() == null) {
            // bytes, not print(): the documents are UTF-8 (HTML says so) whatever the platform's charset
            byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
            out.flush();
            if (out.checkError()) {
                // A PrintStream keeps write errors to itself: `compare > verdict.json` on a full disk left an empty
                // file behind an exit status that said the verdict was delivered. As with --output: 73.
                err.println("canary-judge: cannot write the verdict to stdout (a full disk, a closed pipe?); it was: "
                        + InstanceReader.oneLine(VerdictText.headline(verdict)));
                return false;
            }
        } else {
            try {
                Files.writeString(arguments.output(), document, StandardCharsets.UTF_8);
            } catch (IOException e) {
                // the judgment was made: say what it was, as when stdout cannot be written
                err.println("canary-judge: --output " + arguments.output() + ": cannot write: " + InstanceReader.describe(e)
                        + "; it was: " + InstanceReader.oneLine(VerdictText.headline(verdict)));
                return false;
            }
            err.println(InstanceReader.oneLine(VerdictText.headline(verdict)) + " (written to " + arguments.output() + ")");
        }
        return true;
    }

    /**
     * Which recording an instance PATH holds, for {@link NoiseLessons}: its absolute path with the size and newest
     * modification time of its files. The same recordings compared again are the same JVMs (their lesson is
     * replaced, not added again); new recordings written to the same folder are new JVMs.
     */
    static String instanceIdentity(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        long[] sizeAndTime = new long[2];
        try (Stream<Path> files = Files.walk(absolute)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                try {
                    sizeAndTime[0] += Files.size(file);
                    sizeAndTime[1] = Math.max(sizeAndTime[1], Files.getLastModifiedTime(file).toMillis());
                } catch (IOException e) {
                    // unreadable files were reported by the reader; they do not change the identity
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return absolute.toString();
        }
        return absolute + " (" + sizeAndTime[0] + " bytes, " + Instant.ofEpochMilli(sizeAndTime[1]) + ")";
    }

    @SafeVarargs
    private static boolean anyCollapsed(List<Observation>... groups) {
        for (List<Observation> group : groups) {
            for (Observation o : group) {
                if (o.profile().format() == ProfileFormat.COLLAPSED) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The pods with heap data (a heap.csv or recorded heap summaries): without any there is no memory check. */
    private static List<PodHeap> withHeap(List<PodHeap> pods) {
        return pods.stream().filter(p -> !p.heap().isEmpty()).toList();
    }

    /** Writes beside the target and moves over it, so an interrupted run leaves the old file whole. */
    private static void writeAtomically(Path target, String text) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** HTML is the report page built from the observations (flame graph, per-pod evidence), self-contained. */
    private static String render(CompareArguments arguments, Verdict verdict, List<Observation> baseline,
                                 List<Observation> canary, JudgeConfig config) {
        if (arguments.format() != ReportFormat.HTML) {
            return arguments.format().renderer(config).render(verdict);
        }
        AnalysisContext context = AnalysisContext.files(arguments.baseline().stream().map(Path::toString).toList(),
                arguments.canary().stream().map(Path::toString).toList());
        Report report = new ReportBuilder().build(verdict, baseline, canary, config, context);
        return new ReportPage(config).render(report, ReportAssets.inline());
    }

    /**
     * {@code --profile-type TYPE} where no baseline or canary profile has TYPE because the readers leave it out of
     * such recordings by design (async-profiler's or the JDK's sampled allocations give no alloc_objects, the JDK's
     * default.jfc no live objects): invalid input naming a file and the reason, as {@code collapse} says it, not an
     * INCONCLUSIVE that no data of that kind could ever decide.
     */
    private static void requireAskedType(ProfileType type, List<Observation> baseline, List<Observation> canary)
            throws InvalidInputException {
        if (type == null) {
            return;
        }
        Observation leftOut = null;
        for (List<Observation> group : List.of(baseline, canary)) {
            for (Observation o : group) {
                if (o.profile().sampleTypeIndex(type) >= 0) {
                    return;
                }
                if (leftOut == null && o.profile().leftOutTypes().containsKey(type)) {
                    leftOut = o;
                }
            }
        }
        if (leftOut != null) {
            throw new InvalidInputException(leftOut.profile().source() + ": no " + type.id() + ": "
                    + leftOut.profile().leftOutTypes().get(type));
        }
    }

    private JudgeConfig config(CompareArguments arguments) throws InvalidConfigException, IOException {
        JudgeConfig config;
        if (arguments.config() == null) {
            config = JudgeConfig.defaults();
        } else {
            JudgeConfigFile file = JudgeConfigFile.read(arguments.config());
            config = arguments.service() == null ? file.judgeConfig() : file.judgeConfig(arguments.service());
        }
        if (arguments.profileType() != null) {
            config = config.withJudgedTypes(EnumSet.of(arguments.profileType()));
            if (!config.failOnTypes().contains(arguments.profileType())) {
                err.println("canary-judge: note: " + arguments.profileType().id()
                        + " changes are reported but cannot fail the canary (failOnTypes: "
                        + config.failOnTypes().stream().map(t -> t.id()).sorted().toList() + ")"
                        + (arguments.profileType() == ProfileType.WALL
                        && config.failOnTypes().equals(JudgeConfig.defaults().failOnTypes())
                        ? ", unless they are Node's wall profiles "
                        + "without CPU time: those are the JavaScript thread's busy time, judged as CPU" : ""));
            }
        }
        return config;
    }

    /** The memory-growth settings of {@code --config} (and {@code --service}), else the defaults. */
    private static MemoryGrowthConfig memoryGrowth(CompareArguments arguments) throws InvalidConfigException, IOException {
        if (arguments.config() == null) {
            return MemoryGrowthConfig.DEFAULTS;
        }
        JudgeConfigFile file = JudgeConfigFile.read(arguments.config());
        return arguments.service() == null ? file.memoryGrowth() : file.memoryGrowth(arguments.service());
    }

    /**
     * A group whose every PATH is a directory without a profile (an artifact that was not downloaded, a
     * job that wrote elsewhere) is missing input, not a verdict: INCONCLUSIVE would let a pipeline that
     * tolerates exit 2 go on without ever having compared anything.
     */
    private static void requireProfiles(String flag, List<Path> paths, List<Observation> group)
            throws InvalidInputException {
        if (group.isEmpty()) {
            throw new InvalidInputException(flag + " " + paths.stream().map(Path::toString)
                    .collect(Collectors.joining(", ")) + ": no profile found (empty, or only files "
                    + "that are not profiles); nothing to compare");
        }
    }

    /**
     * A history instance whose recordings say their JVM started when a baseline pod's did is that pod's JVM in an
     * earlier window: its observations take the pod's name, as the service's earlier windows of a pod do. Under its own
     * path it was taken for another JVM, and the window-to-window spread of one JVM (same JIT decisions, same
     * placement) was counted as JVM-to-JVM noise: the noise learned too small (recorded qa41 pods: the same JVMs at
     * night as history). Other formats do not say which JVM recorded them and are kept apart.
     */
    /** A JVM start that more than one baseline pod gave: it names none of them. */
    static final String AMBIGUOUS_JVM = "";

    static InstanceReader.Instance sameJvmAs(InstanceReader.Instance instance, Map<Long, String> baselineJvms) {
        String pod = instance.heap().jvmStartMillis() >= 0 ? baselineJvms.get(instance.heap().jvmStartMillis()) : null;
        if (pod == null || pod.equals(AMBIGUOUS_JVM)) {
            return instance;
        }
        List<Observation> renamed = instance.observations().stream().map(o -> o.withInstance(pod)).toList();
        return new InstanceReader.Instance(instance.name(), renamed, instance.skipped(), instance.warnings(),
                instance.heap(), instance.areas());
    }

    private static void collect(InstanceReader.Instance instance, List<Observation> group, List<String> skipped,
                                List<String> warnings) {
        group.addAll(instance.observations());
        skipped.addAll(instance.skipped());
        warnings.addAll(instance.warnings());
    }

    /**
     * Cost per request is judged, per profile type, only when every observation holding that type has a request count
     * above zero; when requests.csv files cover only some, say so instead of silently comparing shares. Observations
     * without the type do not count: a Go service's directory holds a heap profile beside its CPU slices, and
     * requests.csv rightly lists only the slices (the CPU per request was compared while this said it was not).
     *
     * @param asked the type given with {@code --profile-type}, or null for every type the observations hold
     */
    static List<String> partialRequestCounts(List<Observation> baseline, List<Observation> canary, ProfileType asked) {
        List<Observation> all = Stream.concat(baseline.stream(), canary.stream()).toList();
        Map<String, List<ProfileType>> partialByCount = new LinkedHashMap<>();
        Set<ProfileType> types = EnumSet.noneOf(ProfileType.class);
        all.forEach(o -> types.addAll(o.profile().profileTypes()));
        for (ProfileType type : types) {
            if (asked != null && type != asked) {
                continue;
            }
            // an observation whose column holds nothing (a JFR of memory events only, beside the profiles) is left out
            // of that type by the judge, and so of this count
            List<Observation> holding = all.stream().filter(o -> o.profile().profileTypes().contains(type)
                    && o.profile().total(o.profile().sampleTypeIndex(type)) > 0).toList();
            long counted = holding.stream().filter(o -> o.requests() != null ? o.requests() > 0
                    : o.recordingRequests() != null && o.recordingRequests().requests() > 0).count();
            if (counted > 0 && counted < holding.size()) {
                partialByCount.computeIfAbsent(counted + " of " + holding.size(), k -> new ArrayList<>()).add(type);
            }
        }
        List<String> warnings = new ArrayList<>();
        partialByCount.forEach((counts, partial) -> warnings.add("request counts (requests.csv) above zero for "
                + counts + " observations" + (types.size() > 1 || partial.size() > 1 ? " of "
                + partial.stream().map(ProfileType::id).collect(Collectors.joining(", ")) : "")
                + "; cost per request needs all of them, so shares were compared"));
        return warnings;
    }

    private static DataQuality merge(DataQuality quality, List<String> warnings, List<String> skipped) {
        if (quality == null) {
            return new DataQuality(List.of(), warnings, skipped);
        }
        List<String> allWarnings = new ArrayList<>(quality.warnings());
        allWarnings.addAll(warnings);
        return new DataQuality(quality.types(), allWarnings, quality.skipped(), quality.memory(), quality.requestMix())
                .withSkipped(skipped);
    }
}
