package io.canaryjudge.report;

import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.profile.GoFunctionNames;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.GroupQuality;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The text of every cell the human-readable reports share (text, Markdown, HTML), so the three say
 * the same thing; each renderer only adds its own layout and escaping. Missing or non-finite values
 * render as an empty cell, never as "NaN".
 */
final class ReportCells {
    /** Incidents listed before the tables; the rest are counted (every finding stays in the tables). */
    static final int INCIDENTS_SHOWN = 8;

    /** Frames of a call path shown before eliding the outer (root-side) ones. */
    static final int CALL_PATH_FRAMES = 12;

    private final JudgeConfig config;

    /**
     * @param config the judge's configuration, for per-function q thresholds; null when rendering a
     *               stored report, where a finding is credible by construction (the judge lists only
     *               findings within their threshold) and only UNCHANGED rows are "~"
     */
    ReportCells(JudgeConfig config) {
        this.config = config;
    }

    /** A finite value or null: NaN and infinities do not exist in reports. */
    static Double finite(Double value) {
        return value == null || !Double.isFinite(value) ? null : value;
    }

    /**
     * Credible at the finding's own q-value threshold (per-function rules included), or failing.
     * A finding that is not is shown with "~" as its change, as benchstat does.
     */
    boolean significant(Finding finding) {
        if (finding.failing()) {
            return true;
        }
        if (config == null) {
            return finding.kind() != null && finding.kind() != FindingKind.UNCHANGED;
        }
        Double q = finite(finding.qValue());
        return q != null && q <= config.thresholdsFor(finding.function()).maxQValue();
    }

    /** The first line: result, score and the summary sentence (without repeating the result). */
    static String headline(Verdict verdict) {
        String result = verdict.result() == null ? "UNKNOWN" : verdict.result().name();
        String summary = verdict.summary() == null ? "" : verdict.summary().strip();
        if (summary.startsWith(result)) {
            return summary + " (score " + verdict.score() + ")";
        }
        return result + " (score " + verdict.score() + ")" + (summary.isEmpty() ? "" : ": " + summary);
    }

    String value(Finding finding, Double value) {
        return value(finding.profileType(), finding.measure(), finding.valueUnit(), value);
    }

    /**
     * {@link #value(Measure, String, Double)} of a type: an amount per request of a type whose counts are sampled
     * events, not objects ({@link ProfileType#countsSamples}), reads "—" — "0.00199/req" of allocated objects was one
     * allocation sample every 500 requests, for requests that allocate 4 KiB each (recorded shop example, qa38).
     */
    static String value(ProfileType type, Measure measure, String unit, Double value) {
        if (type != null && type.countsSamples() && !per(measure).isEmpty() && finite(value) != null) {
            return "—";
        }
        return value(measure, unit, value);
    }

    /**
     * A share as a percentage, or a per-request value in {@code unit} (the verdict's unit of the type:
     * {@code samples} for collapsed cpu); empty when it does not exist.
     */
    static String value(Measure measure, String unit, Double value) {
        Double v = finite(value);
        if (v == null) {
            return "";
        }
        String per = per(measure);
        return per.isEmpty() ? percent(v) : amount(measure, unit, v) + per;
    }

    /**
     * What a value that is not a share is counted per, as a suffix: {@code /h} (heap growth, bytes per hour),
     * {@code /1k req} (heap growth per 1,000 requests), {@code /req} (cost per request); empty for shares.
     * Values, intervals and charts take it from here so that one measure reads the same everywhere.
     */
    static String per(Measure measure) {
        if (measure == null) {
            return "";
        }
        return switch (measure) {
            case HEAP_GROWTH, MEMORY_AREA_GROWTH -> "/h";
            case HEAP_GROWTH_PER_REQUEST -> "/1k req";
            case SELF_PER_REQUEST, INCLUSIVE_PER_REQUEST, TOTAL_PER_REQUEST -> "/req";
            case SELF, INCLUSIVE -> "";
        };
    }

    /** A value that is not a share in its unit, without {@link #per}: heap growth is bytes whatever the finding's type. */
    static String amount(Measure measure, String unit, double value) {
        boolean heap = measure == Measure.HEAP_GROWTH || measure == Measure.HEAP_GROWTH_PER_REQUEST;
        // An area outside the heap carries its own unit (bytes, threads) on the finding.
        return perRequest(value, heap ? ProfileType.LIVE_BYTES.unit() : unit);
    }

    /**
     * The unit of an incident's amounts: its finding's own where the finding carries one of its measure (an area
     * outside the heap counts threads or bytes whatever its type), else {@link #unit(Verdict, ProfileType)}.
     */
    static String unit(Verdict verdict, Incident incident) {
        for (Finding finding : verdict.findings()) {
            if (finding.measure() == Measure.MEMORY_AREA_GROWTH && finding.measure() == incident.measure()
                    && finding.function().equals(incident.entryFrame())) {
                return finding.valueUnit();
            }
        }
        return unit(verdict, incident.profileType());
    }

    /** The unit of a type's amounts in a verdict: its data-quality entry's ({@code samples} for collapsed cpu), else the type's own. */
    static String unit(Verdict verdict, ProfileType type) {
        TypeQuality quality = typeQuality(verdict, type);
        return quality != null && quality.unit() != null ? quality.unit() : type == null ? "count" : type.unit();
    }

    String change(Finding finding) {
        if (finding.kind() == FindingKind.NEW_HOT_PATH && finite(finding.relativeChange()) == null) {
            return "new";
        }
        if (finding.kind() == FindingKind.VANISHED) {
            return "gone";
        }
        if (finding.kind() == FindingKind.UNCHANGED || !significant(finding)) {
            return "~";
        }
        Double change = finite(finding.relativeChange());
        if (change == null) {
            return risesFromZero(finding.kind()) ? "from 0" : "";
        }
        return signedPercent(change);
    }

    /** Kinds whose missing relative change means the baseline was (within noise of) zero. */
    static boolean risesFromZero(FindingKind kind) {
        return kind == FindingKind.REGRESSION || kind == FindingKind.MEMORY_GROWTH;
    }

    static String qValue(Double q) {
        Double v = finite(q);
        if (v == null) {
            return "";
        }
        return "q=" + probability(v);
    }

    static String probability(double p) {
        if (p == 0) {
            // Underflow of a double, not a certainty: the verdict's sentences say "q < 1e-300" too.
            return "<1e-300";
        }
        return p < 0.001 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.3f", p);
    }

    static String measure(Finding finding) {
        if (finding.measure() == null) {
            return "";
        }
        return switch (finding.measure()) {
            case SELF -> "self";
            case INCLUSIVE -> "inclusive";
            case SELF_PER_REQUEST -> "self/req";
            case INCLUSIVE_PER_REQUEST -> "inclusive/req";
            case TOTAL_PER_REQUEST -> "total/req";
            case HEAP_GROWTH -> "heap after GC/h";
            case HEAP_GROWTH_PER_REQUEST -> "heap after GC/1k req";
            case MEMORY_AREA_GROWTH -> "outside the heap/h";
        };
    }

    /** Kind in words, plus what the finding does to the verdict. */
    static String kind(Finding finding) {
        String kind = finding.kind() == null ? "" : finding.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        List<String> marks = new ArrayList<>();
        if (finding.failing()) {
            marks.add("FAILS");
        }
        if (finding.jvmInternal()) {
            // Go's runtime, syscalls and profiler are reported apart as a JVM's are; "jvm" would misname them.
            marks.add(GoFunctionNames.importPath(finding.function()) != null ? "runtime" : "jvm-internal");
        }
        return marks.isEmpty() ? kind : kind + " (" + String.join(", ", marks) + ")";
    }

    /** The hottest call path, root first, the outer frames elided when it is long. */
    static List<String> callPath(Finding finding) {
        return callPath(finding.callPath());
    }

    /** A call path, root first, the outer frames elided when it is long. */
    static List<String> callPath(List<String> path) {
        if (path.size() <= CALL_PATH_FRAMES) {
            return path;
        }
        List<String> shown = new ArrayList<>();
        shown.add("… " + (path.size() - CALL_PATH_FRAMES) + " frames");
        shown.addAll(path.subList(path.size() - CALL_PATH_FRAMES, path.size()));
        return shown;
    }

    static String percent(double share) {
        double pct = share * 100;
        if (pct != 0 && Math.abs(pct) < 0.01) {
            return String.format(Locale.ROOT, "%.4f%%", pct);
        }
        return String.format(Locale.ROOT, "%.2f%%", pct);
    }

    /**
     * The typical between-pod CV fitted to zero (it shows as "0.0%"): pods differ no more than their slices' sampling
     * noise says, which "CV 0.0%" hid behind a figure that reads as a measured absence of noise.
     */
    static boolean noPodNoise(double cv) {
        return cv < 0.0005;
    }

    /** A relative quantity (change, coefficient of variation) as a percentage: 15%, 4.2%. */
    static String relativePercent(double value) {
        double pct = value * 100;
        return String.format(Locale.ROOT, Math.abs(pct) >= 10 ? "%.0f%%" : "%.1f%%", pct);
    }

    static String signedPercent(double change) {
        double pct = change * 100;
        return (pct >= 0 ? "+" : "") + String.format(Locale.ROOT, Math.abs(pct) >= 100 ? "%.0f%%" : "%.1f%%", pct);
    }

    static String perRequest(double value, ProfileType type) {
        return perRequest(value, type == null ? "count" : type.unit());
    }

    /** A value in {@code unit} (a verdict's unit of a type: {@code samples} for collapsed cpu). */
    static String perRequest(double value, String unit) {
        return switch (unit) {
            case "samples" -> threeDigits(value) + " samples";
            case "nanoseconds" -> scaled(value, new double[] {1e9, 1e6, 1e3, 1}, new String[] {"s", "ms", "µs", "ns"});
            case "bytes" -> scaled(value, new double[] {1L << 30, 1L << 20, 1L << 10, 1},
                    new String[] {"GiB", "MiB", "KiB", "B"});
            default -> threeDigits(value);
        };
    }

    private static String scaled(double value, double[] factors, String[] units) {
        for (int i = 0; i < factors.length; i++) {
            if (Math.abs(value) >= factors[i] || i == factors.length - 1) {
                return threeDigits(value / factors[i]) + " " + units[i];
            }
        }
        throw new AssertionError();
    }

    private static String threeDigits(double value) {
        double abs = Math.abs(value);
        String pattern = abs >= 100 || abs == 0 ? "%.0f" : abs >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, value);
    }

    /** A metric value with 4 significant digits and no trailing zeros; empty when it does not exist. */
    static String number(Double value) {
        Double v = finite(value);
        if (v == null) {
            return "";
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    static String count(long value) {
        return value < 0 ? "?" : String.format(Locale.ROOT, "%,d", value);
    }

    /** "2 pods, 4 slices, 12,345 samples" — how much data one group gave for one type. */
    static String group(GroupQuality group) {
        if (group == null) {
            return "no data";
        }
        String text = plural(group.instances(), "pod") + ", " + plural(group.observations(), "slice");
        if (group.samples() >= 0) {
            text += ", " + count(group.samples()) + " samples";
        }
        if (group.excludedWarmup() > 0) {
            text += " (" + group.excludedWarmup() + " in warm-up excluded)";
        }
        return text;
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Footnotes of one type: what these data could detect, noise estimates, the judge's notes. */
    static List<String> typeNotes(TypeQuality type) {
        List<String> notes = new ArrayList<>();
        if (!type.judged()) {
            notes.add("not judged");
        }
        Double mdc1 = finite(type.minimumDetectableChange1pct());
        Double mdc5 = finite(type.minimumDetectableChange5pct());
        if (mdc1 != null || mdc5 != null) {
            List<String> parts = new ArrayList<>();
            if (mdc5 != null) {
                parts.add("±" + relativePercent(mdc5) + " for a function at 5 % of total");
            }
            if (mdc1 != null) {
                parts.add("±" + relativePercent(mdc1) + " at 1 %");
            }
            notes.add("smallest change these data detect (80 % power): " + String.join(", ", parts));
        }
        List<String> noise = new ArrayList<>();
        if (type.functionsTested() > 0) {
            noise.add(type.functionsTested() + " functions tested");
        }
        Double cv = finite(type.betweenInstanceCv());
        if (cv != null) {
            noise.add(noPodNoise(cv) ? "no between-pod noise beyond sampling (pods differ no more than sampling alone "
                    + "makes them)"
                    : "between-pod noise CV " + relativePercent(cv));
        }
        Double od = finite(type.overdispersion());
        if (od != null) {
            noise.add(String.format(Locale.ROOT, "overdispersion %.1f× binomial", od));
        }
        if (!noise.isEmpty()) {
            notes.add(String.join("; ", noise));
        }
        if (type.noiseSource() != null) {
            notes.add("noise learned from " + type.noiseSource());
        }
        notes.addAll(type.notes());
        return notes;
    }

    /**
     * Findings grouped by profile type, in the order of the data-quality entries (then any other type
     * that has findings); within a type the verdict's order (most severe first) is kept.
     */
    static Map<ProfileType, List<Finding>> findingsByType(Verdict verdict) {
        Map<ProfileType, List<Finding>> byType = new LinkedHashMap<>();
        DataQuality quality = verdict.dataQuality();
        if (quality != null) {
            for (TypeQuality type : quality.types()) {
                byType.put(type.profileType(), new ArrayList<>());
            }
        }
        for (Finding finding : verdict.findings()) {
            byType.computeIfAbsent(finding.profileType(), t -> new ArrayList<>()).add(finding);
        }
        return byType;
    }

    static TypeQuality typeQuality(Verdict verdict, ProfileType type) {
        if (verdict.dataQuality() == null) {
            return null;
        }
        return verdict.dataQuality().types().stream().filter(t -> t.profileType() == type).findFirst().orElse(null);
    }

    static String typeId(ProfileType type) {
        return type == null ? "unknown" : type.id();
    }

    /**
     * What a row or incident is about: its profile type's id, or "memory" for memory growth (the heap after GC and
     * areas outside the heap), which no profile measures though such findings are filed under live_bytes: a thread
     * leak read "FAIL live_bytes" with a count of threads beside it.
     */
    static String label(ProfileType type, Measure measure) {
        return measure != null && measure.memoryGrowth() ? "memory" : typeId(type);
    }

    static String typeTitle(ProfileType type) {
        return typeTitle(type, null);
    }

    /** "cpu (nanoseconds)", or "cpu (samples)" when the verdict's values were sample counts (collapsed input). */
    static String typeTitle(ProfileType type, TypeQuality quality) {
        if (type == null) {
            return "unknown type";
        }
        return type.id() + " (" + (quality == null || quality.unit() == null ? type.unit() : quality.unit()) + ")";
    }

    /**
     * The judge's sentences for a markup: text between backticks (the judge quotes function names
     * that way) goes through {@code code}, the rest through {@code escape}. A quote opens at a
     * backtick after a space, an opening bracket or the start, and closes at the next backtick
     * followed by a space, punctuation or the end — so a function name that holds backticks itself
     * (a JVM method name may: {@code Orders.`audit|log`}) stays one name; a backtick that opens
     * nothing is escaped as text.
     */
    static String prose(String text, UnaryOperator<String> escape,
                        UnaryOperator<String> code) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int plain = 0;
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) == '`' && opensQuote(text, i)) {
                int close = closingQuote(text, i + 1);
                if (close > i + 1) {
                    out.append(escape.apply(text.substring(plain, i))).append(code.apply(text.substring(i + 1, close)));
                    i = close + 1;
                    plain = i;
                    continue;
                }
            }
            i++;
        }
        return out.append(escape.apply(text.substring(plain))).toString();
    }

    private static boolean opensQuote(String text, int at) {
        return at == 0 || Character.isWhitespace(text.charAt(at - 1)) || "([{\"'".indexOf(text.charAt(at - 1)) >= 0;
    }

    private static int closingQuote(String text, int from) {
        for (int j = from; j < text.length(); j++) {
            if (text.charAt(j) != '`') {
                continue;
            }
            if (j + 1 == text.length()) {
                return j;
            }
            char next = text.charAt(j + 1);
            if (Character.isWhitespace(next) || ",.;:)]}!?'\"".indexOf(next) >= 0) {
                return j;
            }
        }
        return -1;
    }
}
