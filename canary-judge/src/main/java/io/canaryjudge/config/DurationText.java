package io.canaryjudge.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations people write on command lines and in config files: {@code 500ms},
 * {@code 10s}, {@code 2m}, {@code 1h}, or ISO-8601 {@code PT10S}.
 */
public final class DurationText {
    /** The accepted forms, for error messages. */
    public static final String FORMS = "a whole number with a unit ms, s, m or h (500ms, 10s, 2m, 1h) or ISO-8601 (PT10S)";

    private static final Pattern SHORT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)");

    private DurationText() {
    }

    /**
     * @throws IllegalArgumentException naming the bad text and the accepted forms
     */
    public static Duration parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = SHORT.matcher(value);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        if (value.startsWith("pt") || value.startsWith("p")) {
            try {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException("duration \"" + text + "\" must be " + FORMS);
    }
}
