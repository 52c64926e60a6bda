package io.canaryjudge.ci;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records {@link CiBench} runs for docs/CLI.md "In CI", one JVM after another (a CI job runs one at a time): each
 * {@code VARIANT:COUNT} of {@code -Dci.runs} (default {@code A:3,B:3,H:5}; {@code H} = earlier main runs, variant A)
 * as {@code DIR/VARIANT/run-N/run-N.jfr} beside its requests.csv, {@code -Dci.seconds} (30) each after 3 s of
 * warm-up. Only with {@code -Dci.record=true}; {@code -Dci.jvmOptions} passes JVM options to the runs.
 */
@EnabledIfSystemProperty(named = "ci.record", matches = "true")
class CiBenchRecordings {
    @Test
    void record() throws Exception {
        Path root = Path.of(System.getProperty("ci.dir", "target/ci-bench"));
        double seconds = Double.parseDouble(System.getProperty("ci.seconds", "30"));
        for (String spec : System.getProperty("ci.runs", "A:3,B:3,H:5").split(",")) {
            String[] parts = spec.split(":");
            String variant = parts[0].equals("H") ? "A" : parts[0];
            for (int i = 0; i < Integer.parseInt(parts[1]); i++) {
                Path out = root.resolve(parts[0]).resolve("run-" + i).resolve("run-" + i + ".jfr");
                CiBenchRun.start(variant, out, seconds, 3000).await();
            }
        }
    }
}
