package io.canaryjudge.report;

import io.canaryjudge.verdict.MemoryQuality;
import io.canaryjudge.verdict.PodHeapSummary;
import io.canaryjudge.verdict.Verdict;
import java.util.List;
import java.util.Locale;

/**
 * Each pod's heap after GC over time (the points the memory-growth check fitted its slopes to, the
 * lowest per minute) as an inline SVG line chart: baseline pods grey, canary pods in the verdict's
 * colour, earlier baseline windows dashed. Time is minutes since each pod's first point, so windows
 * of history line up with the current one. A saw-tooth pod (slope fitted through the troughs after its
 * old-generation collections) is drawn as its saw-tooth — every minute's lowest point, a thin line — with
 * the troughs as dots joined by the line its slope was fitted along.
 */
final class HeapChart {
    static final int WIDTH = 560;
    static final int HEIGHT = 220;
    private static final int LEFT = 64;
    private static final int RIGHT = 14;
    private static final int TOP = 10;
    private static final int BOTTOM = 30;
    private static final double MIB = 1024.0 * 1024.0;

    private HeapChart() {
    }

    /** The "Heap after GC" section, when the verdict has heap data. */
    static void section(StringBuilder out, Verdict verdict) {
        MemoryQuality memory = verdict.dataQuality() == null ? null : verdict.dataQuality().memory();
        if (memory == null || memory.pods().stream().allMatch(p -> p.points().size() < 2)) {
            return;
        }
        out.append("<section id=\"heap\">\n<h2>Heap after GC <span class=\"muted\">each pod's lowest heap after GC per minute;")
                .append(" grey: baseline, coloured: canary, dashed: earlier baseline windows; a saw-tooth heap thin, its troughs")
                .append(" after old-generation collections as dots</span></h2>\n")
                .append(svg(memory.pods()));
        for (String note : memory.notes()) {
            out.append("<p class=\"muted small\">").append(Html.text(note)).append("</p>\n");
        }
        out.append("</section>\n");
    }

    static String svg(List<PodHeapSummary> pods) {
        double maxMinutes = 1;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (PodHeapSummary pod : pods) {
            if (pod.points().size() < 2) {
                continue;
            }
            long start = start(pod);
            for (List<PodHeapSummary.HeapPoint> line : List.of(pod.points(), pod.windowPoints())) {
                for (PodHeapSummary.HeapPoint p : line) {
                    maxMinutes = Math.max(maxMinutes, (p.timestampMillis() - start) / 60_000.0);
                    lo = Math.min(lo, p.bytes() / MIB);
                    hi = Math.max(hi, p.bytes() / MIB);
                }
            }
        }
        if (hi - lo < 1) {
            hi = lo + 1;
        }
        double pad = (hi - lo) * 0.05;
        lo = Math.max(0, lo - pad);
        hi += pad;
        StringBuilder out = new StringBuilder(4096);
        out.append("<svg class=\"heap\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" width=\"")
                .append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"heap after GC of each pod over time, MiB\">");
        for (int i = 0; i <= 4; i++) {
            double mib = lo + (hi - lo) * i / 4;
            double y = y(mib, lo, hi);
            out.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"").append(num(y))
                    .append("\" y2=\"").append(num(y)).append("\" stroke=\"#ddd\"/>")
                    .append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(num(y + 4))
                    .append("\" text-anchor=\"end\" font-size=\"11\">").append(String.format(Locale.ROOT, "%.0f MiB", mib))
                    .append("</text>");
        }
        for (int i = 0; i <= 4; i++) {
            double minutes = maxMinutes * i / 4;
            out.append("<text x=\"").append(num(x(minutes, maxMinutes))).append("\" y=\"").append(HEIGHT - 10)
                    .append("\" text-anchor=\"middle\" font-size=\"11\">").append(String.format(Locale.ROOT, "%.0f min", minutes))
                    .append("</text>");
        }
        for (PodHeapSummary pod : pods) {
            if (pod.points().size() < 2) {
                continue;
            }
            String colour = pod.group().equals("canary") ? "#c0392b" : "#7f8c8d";
            long start = start(pod);
            String title = pod.group() + " " + pod.instance() + (pod.slopeBytesPerHour() == null ? ""
                    : String.format(Locale.ROOT, ": %+.1f MiB/h", pod.slopeBytesPerHour() / MIB));
            if (!pod.windowPoints().isEmpty()) {
                out.append("<polyline class=\"saw-tooth\" fill=\"none\" stroke=\"").append(colour)
                        .append("\" stroke-width=\"0.75\" stroke-opacity=\"0.5\" points=\"");
                appendPoints(out, pod.windowPoints(), start, maxMinutes, lo, hi);
                out.append("\"><title>").append(Html.text(title + " (every minute's lowest heap after GC)"))
                        .append("</title></polyline>");
                for (PodHeapSummary.HeapPoint p : pod.points()) {
                    out.append("<circle class=\"trough\" r=\"2.5\" fill=\"").append(colour).append("\" cx=\"")
                            .append(num(x((p.timestampMillis() - start) / 60_000.0, maxMinutes))).append("\" cy=\"")
                            .append(num(y(p.bytes() / MIB, lo, hi))).append("\"/>");
                }
                title += " (through the troughs after old-generation collections)";
            }
            out.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\"")
                    .append(pod.group().equals("history") ? " stroke-dasharray=\"4 3\"" : "")
                    .append(pod.used() ? "" : " stroke-opacity=\"0.35\"").append(" points=\"");
            appendPoints(out, pod.points(), start, maxMinutes, lo, hi);
            out.append("\"><title>").append(Html.text(title)).append("</title></polyline>");
        }
        return out.append("</svg>\n").toString();
    }

    /** The pod's first point: of its saw-tooth when it has one (the troughs come later). */
    private static long start(PodHeapSummary pod) {
        long start = pod.points().get(0).timestampMillis();
        return pod.windowPoints().isEmpty() ? start : Math.min(start, pod.windowPoints().get(0).timestampMillis());
    }

    private static void appendPoints(StringBuilder out, List<PodHeapSummary.HeapPoint> points, long start,
                                     double maxMinutes, double lo, double hi) {
        for (PodHeapSummary.HeapPoint p : points) {
            out.append(num(x((p.timestampMillis() - start) / 60_000.0, maxMinutes))).append(',')
                    .append(num(y(p.bytes() / MIB, lo, hi))).append(' ');
        }
    }

    private static double x(double minutes, double maxMinutes) {
        return LEFT + (WIDTH - LEFT - RIGHT) * minutes / maxMinutes;
    }

    private static double y(double mib, double lo, double hi) {
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (mib - lo) / (hi - lo));
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
