package io.canaryjudge.heldout4;

import io.canaryjudge.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs many {@code canary-judge} command lines in one JVM through {@link Cli#run} — the code
 * {@code java -jar canary-judge.jar} runs, without a JVM start per comparison (bench/heldout4-evaluate.sh).
 * Input file: one comparison a line, {@code key<TAB>arg<TAB>arg...}; writes {@code OUT/KEY.json} (stdout) and
 * {@code OUT/KEY.err} (stderr) and prints {@code key<TAB>exit<TAB>millis} per line.
 *
 * <p>Arguments: {@code INPUT OUT THREADS}.
 */
public final class CliBatch {
    private CliBatch() {
    }

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        Path out = Files.createDirectories(Path.of(args[1]));
        ExecutorService pool = Executors.newFixedThreadPool(Integer.parseInt(args[2]));
        List<Future<String>> results = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t");
            String key = fields[0];
            String[] command = Arrays.copyOfRange(fields, 1, fields.length);
            results.add(pool.submit(() -> {
                ByteArrayOutputStream stdout = new ByteArrayOutputStream();
                ByteArrayOutputStream stderr = new ByteArrayOutputStream();
                long start = System.nanoTime();
                int exit;
                try (PrintStream o = new PrintStream(stdout, true, StandardCharsets.UTF_8);
                     PrintStream e = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
                    exit = Cli.run(command, o, e);
                }
                Files.write(out.resolve(key + ".json"), stdout.toByteArray());
                Files.write(out.resolve(key + ".err"), stderr.toByteArray());
                return key + "\t" + exit + "\t" + (System.nanoTime() - start) / 1_000_000;
            }));
        }
        pool.shutdown();
        for (Future<String> f : results) {
            System.out.println(f.get());
        }
    }
}
