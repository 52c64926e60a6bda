package io.canaryjudge.qa42;

import io.canaryjudge.cli.Cli;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs many {@code compare} command lines in one JVM (bench/qa42-judge.py): each stdin line is
 * {@code RESULT-FILE<TAB>arg<TAB>arg...}; stdout of each run goes to RESULT-FILE, its exit status and stderr's last
 * line to this process's stdout. One warm JVM instead of one per run: on the shared machine a cold start costs more
 * than the judging.
 */
public final class BatchCompare {
    private BatchCompare() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] parts = line.split("\t");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status;
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                status = Cli.run(Arrays.copyOfRange(parts, 1, parts.length), o, e);
            }
            Files.write(Path.of(parts[0]), out.toByteArray());
            String[] errLines = err.toString(StandardCharsets.UTF_8).strip().split("\n");
            System.out.println(parts[0] + "\t" + status + "\t" + errLines[errLines.length - 1]);
            System.out.flush();
        }
    }
}
