package io.canaryjudge.profile.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.FrameNames;
import io.canaryjudge.profile.JitEvents;
import io.canaryjudge.profile.Profile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording that carries the JDK's JIT events (async-profiler's {@code jfrsync} with them enabled) says what the JIT
 * compiled and deoptimised in each profile's time ({@link Profile#jitEvents()}), so that a canary that keeps its JIT
 * busy can be named for what it recompiles (qa73). The JDK's own reader is the oracle; the recording is
 * resources/jfr/README.md's {@code jfrsync-jit.jfr.gz}: RoutingPod's {@code deopt} variant, whose call site re-pointed
 * per request makes C2 compile the request path again and again.
 */
class JfrJitEventsTest {
    @TempDir
    Path tmp;

    @Test
    void compilationsAndDeoptimisationsAreCountedPerMethodAsTheJdksReaderCountsThem() throws Exception {
        Path file = tmp.resolve("jfrsync-jit.jfr");
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/jfr/jfrsync-jit.jfr.gz"))) {
            Files.copy(in, file);
        }
        Map<String, long[]> compiled = new HashMap<>();
        Map<List<String>, Long> deoptimised = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.Compilation")) {
                long[] c = compiled.computeIfAbsent(name(e.getValue("method")), k -> new long[3]);
                c[0]++;
                c[1] += e.getInt("compileLevel") == 4 ? 1 : 0;
                c[2] += e.getBoolean("succeded") ? 0 : 1;
            } else if (type.equals("jdk.Deoptimization")) {
                deoptimised.merge(List.of(name(e.getValue("method")), e.getString("reason"), e.getString("action")), 1L,
                        Long::sum);
            }
        }
        assertThat(compiled.get("io.canaryjudge.qa45.RoutingPod$Gateway.handle")[0]).isGreaterThan(100);

        Profile profile = JfrFixtures.readOne(Files.readAllBytes(file), file.toString());
        JitEvents events = profile.jitEvents();
        assertThat(events).isNotNull();
        Map<String, long[]> read = new HashMap<>();
        events.compilations().forEach(c -> read.put(c.name(), new long[] {c.count(), c.topTier(), c.failed()}));
        assertThat(read.keySet()).isEqualTo(compiled.keySet());
        compiled.forEach((method, c) -> assertThat(read.get(method)).as(method).containsExactly(c));
        Map<List<String>, Long> readDeoptimised = new HashMap<>();
        events.deoptimisations().forEach(d -> readDeoptimised.put(List.of(d.method(), d.reason(), d.action()), d.count()));
        assertThat(readDeoptimised).isEqualTo(deoptimised).isNotEmpty();
        // The request path compiled by C2 over and over, some compiles given up ("call site target change").
        assertThat(events.compilations().get(0).name()).isEqualTo("io.canaryjudge.qa45.RoutingPod$Gateway.handle");
        assertThat(events.compilations().get(0).failed()).isPositive();
    }

    @Test
    void aRecordingWithoutTheJitEventsSaysNothingOfTheJit() throws Exception {
        // async-profiler's own recording (nativemem, no jfrsync): no JDK events at all.
        Path file = tmp.resolve("nativemem.jfr");
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/jfr/nativemem.jfr.gz"))) {
            Files.copy(in, file);
        }
        Profile profile = JfrFixtures.readOne(Files.readAllBytes(file), file.toString());
        assertThat(profile.jitEvents()).isNull();
    }

    /** A method as profiles name it: class, ".", method, generated suffixes stripped. */
    private static String name(RecordedMethod method) {
        return FrameNames.normalize(method.getType().getName() + "." + method.getName());
    }
}
