package io.canaryjudge.report;

import java.util.Locale;

/**
 * Frame names as people read them in a report: Java packages abbreviated to their initials except
 * the last one ({@code io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts} →
 * {@code i.c.s.shop.PriceCalculator.applyDiscounts}), over-long names cut in the middle, and
 * characters that would change how the text around them is displayed made visible. The full name
 * always goes beside it (an HTML {@code title}, the JSON). {@code report.js} applies the same rules
 * in the browser.
 */
public final class ShortNames {
    private ShortNames() {
    }

    /**
     * Abbreviates the package of a Java-style name: when the name is dot-separated, a segment starting
     * with an upper-case letter (the class) follows two or more all-lower-case package segments, all but
     * the last package segment become their first letter. Anything else (native frames, {@code ::},
     * names without a class) is returned as it is.
     */
    public static String abbreviate(String name) {
        if (name == null || name.indexOf('.') < 0 || name.contains("::") || name.indexOf(' ') >= 0) {
            return name;
        }
        String[] parts = name.split("\\.", -1);
        int classIndex = -1;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                return name;
            }
            if (Character.isUpperCase(part.codePointAt(0))) {
                classIndex = i;
                break;
            }
            if (!isPackageSegment(part)) {
                return name;
            }
        }
        if (classIndex < 2) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < classIndex - 1; i++) {
            out.appendCodePoint(parts[i].codePointAt(0)).append('.');
        }
        for (int i = classIndex - 1; i < parts.length; i++) {
            out.append(parts[i]);
            if (i < parts.length - 1) {
                out.append('.');
            }
        }
        return out.toString();
    }

    /**
     * The abbreviated name, cut to at most {@code maxCodePoints} by removing its middle (the method
     * at the end and the start stay readable), with invisible and direction-changing characters
     * shown as {@code <U+202E>}.
     */
    public static String display(String name, int maxCodePoints) {
        String shown = visible(abbreviate(name));
        int length = shown.codePointCount(0, shown.length());
        if (length <= maxCodePoints || maxCodePoints < 5) {
            return shown;
        }
        int keepEnd = (maxCodePoints - 1) * 2 / 3;
        int keepStart = maxCodePoints - 1 - keepEnd;
        int startEnd = shown.offsetByCodePoints(0, keepStart);
        int endStart = shown.offsetByCodePoints(0, length - keepEnd);
        return shown.substring(0, startEnd) + "…" + shown.substring(endStart);
    }

    /**
     * Replaces control, bidirectional-formatting, line-separator and other invisible characters with a
     * visible {@code <U+XXXX>}: a frame name carrying U+202E (right-to-left override) must not
     * reverse the text that follows it on the page ("Trojan Source", CVE-2021-42574).
     */
    public static String visible(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c);
            if (hidden(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(String.format(Locale.ROOT, "<U+%04X>", c));
            } else if (out != null) {
                out.appendCodePoint(c);
            }
            i = next;
        }
        return out == null ? text : out.toString();
    }

    /**
     * Control characters, format characters (Unicode category Cf: bidi controls, zero-width marks) and
     * the line and paragraph separators U+2028/U+2029 (which also end JavaScript string literals).
     */
    static boolean hidden(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static boolean isPackageSegment(String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
