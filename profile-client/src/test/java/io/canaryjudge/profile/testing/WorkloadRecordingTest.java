package io.canaryjudge.profile.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * Checks the recorder with the JDK's own JFR parser, independent of the project's readers: the
 * recording must hold CPU samples in the workload's hot method and allocation samples at both
 * allocation sites (async-profiler on JDK 11+ reports every sampled allocation as
 * {@code jdk.ObjectAllocationInNewTLAB}, weighted by the sampling interval), so the cross-format
 * tests that build on it have something to compare.
 */
class WorkloadRecordingTest {

    @Test
    void recordsCpuAndAllocationSamplesOfTheWorkload() throws IOException {
        WorkloadRecording.Recording recording = WorkloadRecording.shared();

        Map<String, Integer> events = new HashMap<>();
        Map<String, Integer> leafMethods = new HashMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording.jfr())) {
            String type = event.getEventType().getName();
            events.merge(type, 1, Integer::sum);
            if (event.getStackTrace() != null && !event.getStackTrace().getFrames().isEmpty()) {
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                RecordedFrame leaf = frames.get(0);
                leafMethods.merge(type + " " + leaf.getMethod().getType().getName() + "."
                        + leaf.getMethod().getName(), 1, Integer::sum);
            }
        }

        String workload = SyntheticWorkload.class.getName();
        assertThat(events.getOrDefault("jdk.ExecutionSample", 0))
                .as("CPU samples in %s: %s", recording.jfr(), events).isGreaterThan(20);
        assertThat(leafMethods).containsKey("jdk.ExecutionSample " + workload + ".mixHashes");
        assertThat(leafMethods).containsKey("jdk.ObjectAllocationInNewTLAB " + workload + ".allocateBuffers");
        assertThat(leafMethods).containsKey("jdk.ObjectAllocationInNewTLAB " + workload + ".allocateLargeBuffer");
    }
}
