package io.canaryjudge.config;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label value template such as {@code {name}-primary}: placeholders in braces are replaced by request
 * values (Flagger's {@code name} and {@code namespace}). The result is a label value — escaped by whoever
 * renders a selector, never spliced into one.
 */
public final class SelectorTemplate {
    /** The placeholders a template may use. */
    public static final Set<String> PLACEHOLDERS = Set.of("name", "namespace");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private SelectorTemplate() {
    }

    /** @throws IllegalArgumentException naming the property when a placeholder is unknown */
    static String check(String template, String property) {
        if (template == null) {
            throw new IllegalArgumentException(property + " must have a value");
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            if (!PLACEHOLDERS.contains(matcher.group(1))) {
                throw new IllegalArgumentException(property + ": unknown placeholder {" + matcher.group(1)
                        + "} in \"" + template + "\"; placeholders are {name} and {namespace}");
            }
        }
        return template;
    }

    /** The template with every placeholder replaced by its value ({@code null} values become empty). */
    public static String fill(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
