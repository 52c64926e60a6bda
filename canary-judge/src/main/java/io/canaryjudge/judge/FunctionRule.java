package io.canaryjudge.judge;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Thresholds for the functions whose normalised name matches {@code pattern} (first matching rule wins).
 *
 * @param pattern    regular expression matched against the whole normalised function name
 * @param thresholds thresholds used for those functions instead of the defaults
 */
public record FunctionRule(Pattern pattern, Thresholds thresholds) {
    public FunctionRule {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(thresholds, "thresholds");
    }

    public boolean matches(String function) {
        return pattern.matcher(function).matches();
    }
}
