package io.canaryjudge.metrics;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Safe PromQL text from request input: label values are escaped as PromQL string literals, label
 * names are checked, nothing is concatenated raw (a value such as {@code x"} or {@code "} or {@code 1}
 * must stay a value).
 */
public final class PromQl {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private PromQl() {
    }

    /**
     * A double-quoted PromQL string literal holding {@code value}: backslash, double quote and line
     * breaks escaped (PromQL strings follow Go's escaping).
     */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /**
     * Equality matchers joined for use inside braces, in the map's iteration order:
     * {@code app="checkout",rollouts_pod_template_hash="6d4f8c7b9"}.
     *
     * @throws IllegalArgumentException naming a label name that is not {@code [a-zA-Z_][a-zA-Z0-9_]*}
     */
    public static String matchers(Map<String, String> equalities) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> entry : equalities.entrySet()) {
            checkLabelName(entry.getKey());
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(entry.getKey()).append('=').append(quote(entry.getValue()));
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException when {@code name} is not a valid label name */
    public static String checkLabelName(String name) {
        if (name == null || !LABEL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("label name \"" + name + "\" must match [a-zA-Z_][a-zA-Z0-9_]*");
        }
        return name;
    }
}
