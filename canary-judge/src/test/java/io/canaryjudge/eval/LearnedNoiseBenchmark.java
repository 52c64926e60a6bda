package io.canaryjudge.eval;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.noise.InvalidLearnedNoiseException;
import io.canaryjudge.noise.LearnedNoiseJson;
import io.canaryjudge.noise.NoiseLessons;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * What learned noise costs a service per analysis: the size of a service's 24 lessons (JSON and gzipped, as the
 * PostgreSQL store keeps them), the time to read and pool them, and the judge's time with and without them. Data:
 * the tuning simulator's Kafka broker stacks, 3 + 3 pods × 8 slices × 14,000 samples, lessons from 24 earlier
 * A/A analyses. Not a unit test: run by {@code bench/learned-noise.sh}; prints medians of {@code runs} runs.
 */
public final class LearnedNoiseBenchmark {
    private LearnedNoiseBenchmark() {
    }

    public static void main(String[] args) throws IOException, InvalidLearnedNoiseException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        TuningSetting setting = TuningSetting.base().with(TuningSetting.Service.KAFKA).pods(3, 3)
                .learned(NoiseLessons.MAX_LESSONS);
        TuningSimulator.Case simulated = new TuningSimulator().simulate(setting, 1);
        JudgeConfig config = JudgeConfig.defaults();
        NoiseLessons lessons = NoiseLessons.empty();
        int k = 0;
        for (TuningSimulator.Earlier earlier : simulated.earlier()) {
            Set<String> jvms = new LinkedHashSet<>();
            earlier.baseline().forEach(o -> jvms.add(o.instance()));
            LearnedNoise taught = new Judge().judge(earlier.baseline(), earlier.canary(), List.of(),
                    lessons.learnedFor(jvms), config).taught();
            lessons = lessons.with(new NoiseLessons.Lesson(jvms, taught));
            k++;
        }
        String json = LearnedNoiseJson.write(lessons);
        String out = System.getProperty("learned.json.out");
        if (out != null) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(out), json);
        }
        byte[] gzip = gzip(json);
        int functions = lessons.lessons().get(lessons.lessons().size() - 1).taught().entries().size();
        System.out.printf(Locale.ROOT, "%d lessons (from %d analyses), %d functions × measures in the last: JSON %,d bytes,"
                + " gzipped %,d bytes%n", lessons.lessons().size(), k, functions, json.length(), gzip.length);

        // Memory the in-memory store holds per application: 20 parsed copies, heap after GC before and after.
        List<NoiseLessons> copies = new java.util.ArrayList<>();
        long before = usedAfterGc();
        for (int i = 0; i < 20; i++) {
            copies.add(LearnedNoiseJson.read(json));
        }
        long after = usedAfterGc();
        System.out.printf(Locale.ROOT, "parsed: %.1f MB per application (24 lessons, %d copies measured)%n",
                (after - before) / 20 / 1e6, copies.size());

        Set<String> current = new LinkedHashSet<>();
        simulated.baseline().forEach(o -> current.add(o.instance()));
        double[] read = new double[runs];
        double[] judgeWithout = new double[runs];
        double[] judgeWith = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            LearnedNoise learned = LearnedNoiseJson.read(json).learnedFor(current);
            long t1 = System.nanoTime();
            new Judge().judge(simulated.baseline(), simulated.canary(), List.of(), LearnedNoise.empty(), config);
            long t2 = System.nanoTime();
            new Judge().judge(simulated.baseline(), simulated.canary(), List.of(), learned, config);
            long t3 = System.nanoTime();
            read[r] = (t1 - t0) / 1e6;
            judgeWithout[r] = (t2 - t1) / 1e6;
            judgeWith[r] = (t3 - t2) / 1e6;
            System.out.printf(Locale.ROOT, "run %d: read and pool %.1f ms, judge without %.1f ms, with %.1f ms%n", r + 1,
                    read[r], judgeWithout[r], judgeWith[r]);
        }
        System.out.printf(Locale.ROOT, "median: read and pool the lessons %.1f ms; judge %.1f ms without, %.1f ms with%n",
                median(read), median(judgeWithout), median(judgeWith));
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
