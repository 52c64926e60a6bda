package io.canaryjudge.qa31;

import one.profiler.AsyncProfiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Records the Kotlin quote pods ({@link KotlinPod}), one JVM after another, each into {@code DIR/NAME/}
 * ({@code profile.jfr}, {@code requests.csv}): {@code -Dqa31.record=DIR}, {@code -Dqa31.pods=aa-1:aa,...}
 * (NAME:VARIANT of {@link KotlinBuild#VARIANTS}; default six A/A pods and three of each change),
 * {@code -Dqa31.seconds=30}, {@code -Dqa31.port=19110}. Not run in CI.
 */
@EnabledIfSystemProperty(named = "qa31.record", matches = ".+")
class RecordKotlinPodsRun {
    static final String DEFAULT_PODS = "aa-1:aa,cpu2x-1:cpu2x,new-1:newpath,aa-2:aa,inline-1:inline,io-1:io,"
            + "aa-3:aa,cpu2x-2:cpu2x,new-2:newpath,aa-4:aa,inline-2:inline,io-2:io,"
            + "aa-5:aa,cpu2x-3:cpu2x,new-3:newpath,aa-6:aa,inline-3:inline,io-3:io";

    @Test
    void record() throws Exception {
        Path dir = Path.of(System.getProperty("qa31.record"));
        Path builds = Path.of("target", "qa31");
        int port = Integer.getInteger("qa31.port", 19110);
        for (String pod : System.getProperty("qa31.pods", DEFAULT_PODS).split(",")) {
            String[] parts = pod.split(":");
            Path classes = KotlinBuild.build(parts[1], builds);
            String classPath = String.join(File.pathSeparator, classes.toString(), KotlinBuild.runtimeClassPath(),
                    location(KotlinPod.class), location(AsyncProfiler.class));
            Path out = Files.createDirectories(dir.resolve(parts[0]));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints", "-Xms256m", "-Xmx256m", "-cp", classPath,
                    KotlinPod.class.getName(), out.toString(), System.getProperty("qa31.seconds", "30"),
                    Integer.toString(port++)));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(parts[0] + ".log").toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
            assertEquals(0, process.exitValue(), "pod " + pod + ": see " + dir.resolve(parts[0] + ".log"));
        }
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
