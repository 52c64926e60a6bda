package io.canaryjudge.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.MemoryQuality;
import io.canaryjudge.verdict.PodHeapSummary;
import io.canaryjudge.verdict.PodHeapSummary.HeapPoint;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's heap chart and the verdict JSON for a saw-tooth pod: its teeth and the troughs its slope used. */
class HeapChartTest {
    private static final long MINUTE = 60_000;
    private static final long MIB = 1024 * 1024;

    /** A saw-tooth: the heap climbs 4 MiB a minute and falls back at an old collection every 5 minutes. */
    private static PodHeapSummary sawTooth(String pod, String group) {
        List<HeapPoint> window = new ArrayList<>();
        List<HeapPoint> troughs = new ArrayList<>();
        for (int minute = 0; minute < 30; minute++) {
            HeapPoint point = new HeapPoint(1_800_000_000_000L + minute * MINUTE, (200 + 4L * (minute % 5)) * MIB);
            window.add(point);
            if (minute % 5 == 0) {
                troughs.add(point);
            }
        }
        return new PodHeapSummary(pod, group, 0.0, -1e6, 1e6, null, 60.0, true, troughs, window);
    }

    private static PodHeapSummary plain(String pod) {
        List<HeapPoint> points = new ArrayList<>();
        for (int minute = 0; minute < 30; minute++) {
            points.add(new HeapPoint(1_800_000_000_000L + minute * MINUTE, (300 + minute) * MIB));
        }
        return new PodHeapSummary(pod, "canary", 60.0 * MIB, 50.0 * MIB, 70.0 * MIB, null, 60.0, true, points);
    }

    @Test
    void aSawToothPodIsDrawnAsItsTeethWithItsTroughsAsDots() {
        String svg = HeapChart.svg(List.of(sawTooth("b-1", "baseline"), plain("c-1")));
        assertThat(svg.split("class=\"saw-tooth\"", -1)).hasSize(2);
        assertThat(svg.split("<circle class=\"trough\"", -1)).hasSize(7); // 6 troughs
        assertThat(svg).contains("baseline b-1: +0.0 MiB/h (through the troughs after old-generation collections)")
                .contains("canary c-1: +60.0 MiB/h</title>");
    }

    @Test
    void theVerdictJsonCarriesTheWindowOnlyForSawToothPods() {
        MemoryQuality memory = new MemoryQuality(true, "bytes/hour", 1, 1, 1, 0.0, 60.0 * MIB, 1.0 * MIB, 10.0 * MIB,
                "baseline pods", List.of(sawTooth("b-1", "baseline"), plain("c-1")), List.of());
        Verdict verdict = new Verdict("v-1", Result.PASS, true, 100, "PASS: test.", List.of(), List.of(),
                new DataQuality(List.of(), List.of(), List.of(), memory), null, List.of(), List.of());
        VerdictJson json = new VerdictJson();
        String text = json.render(verdict);
        assertThat(text.split("\"windowPoints\"", -1)).hasSize(2);
        Verdict read = json.read(text);
        assertThat(read.dataQuality().memory().pods()).isEqualTo(memory.pods());
    }
}
