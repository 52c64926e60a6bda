package io.canaryjudge.heldout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The whole held-out evaluation: the second simulator's cells, then the recorded search-service
 * cells, rendered by {@link HeldOutReport}. Deterministic for a given judge: every simulated case is
 * seeded and every recorded layout is drawn with a fixed seed.
 */
public final class HeldOutEvaluation {
    private HeldOutEvaluation() {
    }

    /**
     * Runs everything at {@code size} (or one source: {@code -Dheldout.sources=simulated} or
     * {@code recorded}; {@code -Dheldout.cells=REGEX} for some simulated cells); returns the report.
     */
    public static String run(HeldOutSize size) throws IOException {
        long start = System.nanoTime();
        String sources = System.getProperty("heldout.sources", "simulated,recorded");
        List<Cell> cells = new ArrayList<>();
        if (sources.contains("simulated")) {
            // -Dheldout.cells=REGEX: only the simulated cells whose "change layout" label matches (A/A cells of the same
            // layouts are needed too: the oracle's threshold comes from them).
            java.util.regex.Pattern only = java.util.regex.Pattern.compile(System.getProperty("heldout.cells", ""));
            List<SimulatedEvaluation.Spec> plan = SimulatedEvaluation.plan(size).stream()
                    .filter(spec -> only.matcher(spec.label() + " " + spec.layoutLabel()).find()).toList();
            cells.addAll(SimulatedEvaluation.run(plan, size.threads()));
        }
        long simulated = System.nanoTime();
        if (sources.contains("recorded")) {
            HeldOutRecordings recordings = HeldOutRecordings.read(HeldOutRecordings.folder());
            cells.addAll(new RecordedEvaluation(recordings).run(size.recordedCap(), size.threads()));
        }
        long end = System.nanoTime();
        int cases = cells.stream().mapToInt(c -> c.cases().size()).sum();
        String header = String.format(Locale.ROOT, "Judge measured: %s, `JudgeConfig.defaults()`. %d judged comparisons "
                        + "(%d simulated in %.0f s, %d recorded in %.0f s) on %d thread(s).%n",
                JudgeAdapter.judgeCommit(), cases,
                cells.stream().filter(c -> c.source().equals("simulated")).mapToInt(c -> c.cases().size()).sum(),
                (simulated - start) / 1e9,
                cells.stream().filter(c -> c.source().equals("recorded")).mapToInt(c -> c.cases().size()).sum(),
                (end - simulated) / 1e9, size.threads());
        return HeldOutReport.render(cells, header);
    }

    /**
     * Runs the full evaluation ({@link HeldOutSize#full()}, counts overridable by system properties) and
     * writes the report to the file named by the first argument (default
     * {@code canary-judge/target/heldout/heldout-evaluation.md}).
     */
    public static void main(String[] args) throws IOException {
        String report = run(HeldOutSize.full());
        System.out.println(report);
        Path out = write(report, Path.of(args.length > 0 ? args[0] : "canary-judge/target/heldout/heldout-evaluation.md"));
        System.err.println("written to " + out);
    }

    /** Writes the report to {@code out} and returns its absolute path. */
    public static Path write(String report, Path out) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        return out.toAbsolutePath();
    }
}
