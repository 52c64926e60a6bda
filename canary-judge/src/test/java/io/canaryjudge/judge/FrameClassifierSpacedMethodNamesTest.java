package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.GeneratedBusyMethod;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.testing.SyntheticWorkload;
import io.canaryjudge.profile.testing.WorkloadRecording;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kotlin test and DSL methods are named in backticks and may hold spaces ({@code fun `checkout applies discount`()});
 * the JVM keeps the name as written, and async-profiler prints the frame as
 * {@code com.example.OrderTest.checkout applies discount}. The classifier took every name with a space for native
 * code (C++ with a return type, {@code itable stub}), so such a frame was the kernel's and C library's: never the
 * application's, never named as an incident's entry. Here the method is generated at run time with that name, run
 * while async-profiler records this JVM, and its frame is read back from the recording.
 */
class FrameClassifierSpacedMethodNamesTest {
    private static final String CLASS = "com/example/OrderTest";
    private static final String METHOD = "checkout applies discount";

    @TempDir
    static Path dir;
    private static String recordedName;

    @BeforeAll
    static void record() throws Throwable {
        MethodHandle checkout = GeneratedBusyMethod.define(CLASS.replace('/', '.'), METHOD);
        long[] sink = new long[1];
        Path jfr = dir.resolve("kotlin-names.jfr");
        WorkloadRecording.record(jfr, Duration.ofMillis(1500), Duration.ofMillis(4), 0, () -> {
            SyntheticWorkload.step();
            try {
                sink[0] += (long) checkout.invokeExact(sink[0]);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> names = new ArrayList<>();
        for (Profile profile : ProfileFiles.read(jfr, ReadOptions.defaults())) {
            if (profile.sampleTypeIndex(ProfileType.CPU) < 0) {
                continue;
            }
            for (int f = 0; f < profile.functionCount(); f++) {
                if (profile.functionName(f).contains(METHOD)) {
                    names.add(profile.functionName(f));
                }
            }
        }
        assertThat(names).as("the generated method's frame in the recording").hasSize(1);
        recordedName = names.get(0);
    }

    @Test
    void theRecordedFrameIsJavaCodeOfItsPackage() {
        assertThat(recordedName).isEqualTo("com.example.OrderTest." + METHOD);
        FrameClassifier defaults = FrameClassifier.defaults();
        assertThat(defaults.classify(recordedName)).isEqualTo(FrameClass.APPLICATION);
        assertThat(defaults.label(recordedName)).isEqualTo("application code");
        assertThat(new FrameClassifier(List.of("com.example"), List.of(), Map.of()).classify(recordedName))
                .isEqualTo(FrameClass.APPLICATION);
        assertThat(new FrameClassifier(List.of("com.shop"), List.of("com.example"), Map.of()).classify(recordedName))
                .as("classed by its package, as other JVM frames are").isEqualTo(FrameClass.LIBRARY);
        assertThat(new FrameClassifier(List.of(), List.of("com.example"), Map.of()).label(recordedName))
                .isEqualTo("com.example");
    }

    /** Names with spaces that are Java or Kotlin methods, and native ones that must keep their classes. */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "com.example.OrderTest.checkout applies discount | APPLICATION",
            "com.example.OrderTest.checkout applies discount$lambda$0 | APPLICATION",
            "com.example.OrderTest$Nested.given an empty cart, total is zero | APPLICATION",
            "org.springframework.boot.Startup.run with spaces | LIBRARY",
            "kotlin.coroutines.Foo.a b | LIBRARY",
            "java.lang.Foo.odd name | JDK",
            // native names with spaces keep their classes
            ".itable stub | JVM_INTERNAL",
            "itable stub | JVM_INTERNAL",
            "I2C/C2I adapters | JVM_INTERNAL",
            "libjvm.so.void G1CMTask::process_grey_task_entry<true> | JVM_INTERNAL",
            "void G1CMTask::process_grey_task_entry<true> | JVM_INTERNAL",
            "StubRoutines (1) | JVM_INTERNAL",
            "[unknown] | NATIVE_SYSTEM",
            "finish_task_switch.isra.0 [clone .cold] | NATIVE_SYSTEM",
            "do_syscall_64 | NATIVE_SYSTEM"})
    void spacedNames(String name, FrameClass expected) {
        assertThat(FrameClassifier.defaults().classify(name)).isEqualTo(expected);
    }
}
