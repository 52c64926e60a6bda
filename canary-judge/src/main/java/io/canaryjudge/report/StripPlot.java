package io.canaryjudge.report;

import io.canaryjudge.verdict.Measure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One incident's evidence as an inline SVG strip plot: a row per group, each slice a small hollow
 * dot, each pod a filled dot (its pooled value), a tick at the group's mean of pods. A change that
 * every canary pod shows reads at a glance; so does one odd JVM.
 */
final class StripPlot {
    static final int WIDTH = 560;
    static final int HEIGHT = 92;
    private static final int LEFT = 74;
    private static final int RIGHT = 18;
    private static final int BASELINE_ROW = 24;
    private static final int CANARY_ROW = 52;
    private static final int AXIS = 70;

    private StripPlot() {
    }

    static String svg(IncidentEvidence evidence, String unit) {
        List<Double> all = new ArrayList<>();
        for (List<IncidentEvidence.PodValues> group : List.of(evidence.baseline(), evidence.canary())) {
            for (IncidentEvidence.PodValues pod : group) {
                all.add(pod.value());
                all.addAll(pod.slices());
            }
        }
        double lo = all.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = all.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (lo >= 0 && lo < hi - lo) {
            lo = 0; // near zero: start the axis at zero so "new" and "gone" read as such
        }
        if (hi - lo <= Math.abs(hi) * 1e-9) {
            double pad = hi == 0 ? 1e-3 : Math.abs(hi) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = niceStep((hi - lo) / 4);
        double axisLo = Math.floor(lo / step) * step;
        double axisHi = Math.ceil(hi / step) * step;
        Scale x = new Scale(axisLo, axisHi, LEFT, WIDTH - RIGHT);

        StringBuilder out = new StringBuilder(2048);
        out.append("<svg class=\"strip\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(Html.text(label(evidence))).append("\">");
        for (double t = axisLo; t <= axisHi + step / 2; t += step) {
            String px = num(x.at(t));
            out.append("<line class=\"grid\" x1=\"").append(px).append("\" x2=\"").append(px)
                    .append("\" y1=\"8\" y2=\"").append(AXIS).append("\"/>");
            out.append("<text class=\"tick\" x=\"").append(px).append("\" y=\"").append(AXIS + 14)
                    .append("\" text-anchor=\"middle\">").append(Html.text(format(evidence, unit, t, step))).append("</text>");
        }
        row(out, "baseline", "b", evidence.baseline(), BASELINE_ROW, x, evidence, unit);
        row(out, "canary", "c", evidence.canary(), CANARY_ROW, x, evidence, unit);
        out.append("</svg>");
        return out.toString();
    }

    private static void row(StringBuilder out, String name, String css, List<IncidentEvidence.PodValues> pods, int y,
                            Scale x, IncidentEvidence evidence, String unit) {
        out.append("<text class=\"row-label\" x=\"").append(LEFT - 10).append("\" y=\"").append(y + 4)
                .append("\" text-anchor=\"end\">").append(name).append("</text>");
        int k = 0;
        for (IncidentEvidence.PodValues pod : pods) {
            for (double slice : pod.slices()) {
                int jitter = (k++ * 37 % 9) - 4; // deterministic, so the picture is the same every time
                out.append("<circle class=\"slice ").append(css).append("\" cx=\"").append(num(x.at(slice)))
                        .append("\" cy=\"").append(y + jitter * 1.6).append("\" r=\"2.5\"><title>")
                        .append(Html.text(pod.instance() + " slice: " + format(evidence, unit, slice, 0))).append("</title></circle>");
            }
        }
        double mean = 0;
        for (IncidentEvidence.PodValues pod : pods) {
            out.append("<circle class=\"pod ").append(css).append("\" cx=\"").append(num(x.at(pod.value())))
                    .append("\" cy=\"").append(y).append("\" r=\"5.5\"><title>")
                    .append(Html.text(pod.instance() + ": " + format(evidence, unit, pod.value(), 0))).append("</title></circle>");
            mean += pod.value() / pods.size();
        }
        if (!pods.isEmpty()) {
            String px = num(x.at(mean));
            out.append("<line class=\"mean ").append(css).append("\" x1=\"").append(px).append("\" x2=\"").append(px)
                    .append("\" y1=\"").append(y - 11).append("\" y2=\"").append(y + 11).append("\"><title>")
                    .append(Html.text(name + " mean of pods: " + format(evidence, unit, mean, 0))).append("</title></line>");
        }
    }

    static String label(IncidentEvidence evidence) {
        return "each pod's and slice's " + measureWords(evidence.measure()) + " of " + evidence.function();
    }

    static String measureWords(Measure measure) {
        return switch (measure) {
            case SELF -> "self share";
            case INCLUSIVE -> "inclusive share";
            case SELF_PER_REQUEST -> "self cost per request";
            case INCLUSIVE_PER_REQUEST -> "inclusive cost per request";
            case TOTAL_PER_REQUEST -> "total cost per request";
            case HEAP_GROWTH -> "heap growth after GC per hour";
            case HEAP_GROWTH_PER_REQUEST -> "heap growth after GC per 1,000 requests";
            case MEMORY_AREA_GROWTH -> "growth outside the heap per hour";
        };
    }

    /** A value on the plot: a share as a percentage with the axis step's precision, else the type's unit. */
    static String format(IncidentEvidence evidence, String unit, double value, double step) {
        if (evidence.measure().perRequest()) {
            return ReportCells.perRequest(value, unit);
        }
        double pct = value * 100;
        double stepPct = step * 100;
        int decimals = stepPct <= 0 ? (Math.abs(pct) < 1 ? 3 : 2)
                : Math.max(0, Math.min(4, (int) Math.ceil(-Math.log10(stepPct) + 1e-9)));
        return String.format(Locale.ROOT, "%." + decimals + "f%%", pct);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private record Scale(double lo, double hi, double left, double right) {
        double at(double value) {
            return left + (value - lo) / (hi - lo) * (right - left);
        }
    }
}
