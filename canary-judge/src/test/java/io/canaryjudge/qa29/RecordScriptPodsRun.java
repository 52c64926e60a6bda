package io.canaryjudge.qa29;

import one.profiler.AsyncProfiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.expression.Expression;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Records the rule-script pods ({@link ScriptPod}), one JVM after another, each into {@code DIR/NAME/}
 * ({@code profile.jfr}, {@code requests.csv}): {@code -Dqa29.record=DIR}, {@code -Dqa29.pods=aa-1:aa:1,...}
 * (NAME:VARIANT:SEED; default six A/A pods and three of each change), {@code -Dqa29.seconds=30},
 * {@code -Dqa29.port=18910}, {@code -Dqa29.interval=1ms} (the sampling interval), {@code -Dqa29.warmupMillis=10000}.
 * Groovy 5.0.8 and Rhino 1.9.2 come from the local Maven repository
 * ({@code mvn dependency:get -Dartifact=org.apache.groovy:groovy:5.0.8}, {@code org.mozilla:rhino:1.9.2}) or
 * {@code -Dqa29.engineJars=A.jar:B.jar}. Not run in CI.
 */
@EnabledIfSystemProperty(named = "qa29.record", matches = ".+")
class RecordScriptPodsRun {
    static final String DEFAULT_PODS = "aa-1:aa:1,exp-1:expensive:11,aa-2:aa:2,new-1:newpath:21,aa-3:aa:3,"
            + "rec-1:recompile:31,aa-4:aa:4,exp-2:expensive:12,aa-5:aa:5,new-2:newpath:22,aa-6:aa:6,rec-2:recompile:32,"
            + "exp-3:expensive:13,new-3:newpath:23,rec-3:recompile:33";

    @Test
    void record() throws Exception {
        Path dir = Path.of(System.getProperty("qa29.record"));
        String m2 = System.getProperty("user.home") + "/.m2/repository/";
        String engines = System.getProperty("qa29.engineJars", m2 + "org/apache/groovy/groovy/5.0.8/groovy-5.0.8.jar"
                + File.pathSeparator + m2 + "org/mozilla/rhino/1.9.2/rhino-1.9.2.jar");
        String classPath = String.join(File.pathSeparator, location(ScriptPod.class), location(AsyncProfiler.class),
                location(Expression.class), location(org.springframework.core.SpringVersion.class),
                location(org.apache.commons.logging.LogFactory.class), engines);
        int port = Integer.getInteger("qa29.port", 18910);
        for (String pod : System.getProperty("qa29.pods", DEFAULT_PODS).split(",")) {
            String[] parts = pod.split(":");
            Path out = Files.createDirectories(dir.resolve(parts[0]));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints", "-Xms256m", "-Xmx256m",
                    "-Dqa29.interval=" + System.getProperty("qa29.interval", "1ms"),
                    "-Dqa29.warmupMillis=" + System.getProperty("qa29.warmupMillis", "10000"), "-cp", classPath,
                    ScriptPod.class.getName(), parts[1], parts[2], out.toString(),
                    System.getProperty("qa29.seconds", "30"), Integer.toString(port++)));
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
