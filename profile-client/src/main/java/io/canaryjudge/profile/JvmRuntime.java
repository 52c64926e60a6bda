package io.canaryjudge.profile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM a recording was taken in, as the recording says ({@code jdk.JVMInformation}: the JDK's recorder and
 * async-profiler both write it): its version and the options it was started with. A canary that changes no
 * application code — a JDK upgrade, another garbage collector, a JVM flag — differs from its baseline here, and
 * the judge names that as what changed.
 *
 * @param version   the JVM's version, e.g. {@code 25.0.3+9-LTS} ({@link #of}); null when the recording does not say
 * @param arguments {@code jvmArguments}, the JVM's options as started; null when the recording does not say
 */
public record JvmRuntime(String version, String arguments) {
    private static final Pattern VM_RELEASE = Pattern.compile(" VM \\(([^()]+)\\)");

    /**
     * From a recording's {@code jvmVersion} and {@code jvmArguments} (blank = unknown). async-profiler writes the
     * version ({@code 25.0.3+9-LTS}, the {@code java.vm.version} property), the JDK's recorder the JVM's banner
     * ({@code OpenJDK 64-Bit Server VM (25.0.3+9-LTS) for linux-amd64 JRE (25.0.3+9-LTS), built on ...}): the version
     * is taken out of the banner, so that one JVM recorded both ways is one version.
     */
    public static JvmRuntime of(String jvmVersion, String jvmArguments) {
        String version = jvmVersion == null || jvmVersion.isBlank() ? null : jvmVersion.strip();
        if (version != null) {
            Matcher banner = VM_RELEASE.matcher(version);
            if (banner.find()) {
                version = banner.group(1).strip();
            }
        }
        return new JvmRuntime(version, jvmArguments == null || jvmArguments.isBlank() ? null : jvmArguments.strip());
    }

    /** Whether the recording says anything about its JVM. */
    public boolean known() {
        return version != null || arguments != null;
    }

    /**
     * The JVM options that change how the same code runs: {@code -XX:} flags, the heap and stack sizes, {@code -Xint},
     * {@code -Xcomp}, {@code -server}/{@code -client}, agents. System properties ({@code -D}) and the class path are
     * the application's configuration, different in every deployment, and are left out; so are the profiler's own
     * settings (JFR's {@code -XX:StartFlightRecording}/{@code FlightRecorderOptions}, async-profiler as an agent), which
     * the sampling warnings cover.
     */
    public Set<String> jvmOptions() {
        Set<String> options = new LinkedHashSet<>();
        if (arguments == null) {
            return options;
        }
        for (String option : arguments.trim().split("\\s+")) {
            if (profilerSetting(option)) {
                continue;
            }
            if (option.startsWith("-XX:") || option.startsWith("-X") || option.startsWith("-agent")
                    || option.startsWith("-javaagent") || option.equals("-server") || option.equals("-client")) {
                options.add(option);
            }
        }
        return options;
    }

    private static boolean profilerSetting(String option) {
        return option.startsWith("-XX:StartFlightRecording") || option.startsWith("-XX:FlightRecorderOptions")
                || option.equals("-XX:+FlightRecorder") || option.startsWith("-agentpath:") && option.contains("asyncProfiler");
    }

    /** The options in {@code these} that are not in {@code others}, in {@code these}' order. */
    public static List<String> added(Set<String> these, Set<String> others) {
        List<String> added = new ArrayList<>();
        for (String option : these) {
            if (!others.contains(option)) {
                added.add(option);
            }
        }
        return added;
    }
}
