package io.canaryjudge.profile.source.pyroscope;

import io.canaryjudge.profile.source.LabelMatcher;
import java.util.List;

/**
 * Renders equality matchers as the label selector Pyroscope parses with Prometheus' selector parser:
 * {@code {service_name="checkout",pod="checkout-6d4f-x2k"}}. Names are already checked by
 * {@link LabelMatcher}; every value is written as a PromQL double-quoted string literal, so a value
 * holding {@code "}, {@code \}, a newline or {@code }} stays one value and can never end the string or
 * the selector: {@code \} and {@code "} are backslash-escaped, newline, carriage return and tab use
 * their short escapes, other control characters {@code \}{@code uXXXX} (the PromQL lexer rejects a raw
 * newline and unescapes the rest as Go's {@code strconv.Unquote} does).
 */
final class LabelSelector {
    private LabelSelector() {
    }

    static String render(List<LabelMatcher> matchers) {
        StringBuilder out = new StringBuilder("{");
        for (LabelMatcher matcher : matchers) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(matcher.name()).append('=');
            quote(matcher.value(), out);
        }
        return out.append('}').toString();
    }

    static void quote(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
