package io.canaryjudge.metrics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A PromQL expression with placeholders, checked when it is created (configuration is validated at
 * start-up, so a typo fails there, not in the middle of a canary):
 * <pre>
 * sum(rate(http_server_requests_seconds_count{{{selector}},status=~"5.."}[{{range}}]))
 * </pre>
 * A placeholder is {@code {{name}}} (spaces inside allowed). Outside string literals PromQL never has
 * two braces in a row — selectors do not nest — so {@code {{} always opens a placeholder; in a run of
 * three or more the last two open it and the others are the selector's own braces
 * ({@code {{{selector}}}} is {@code {} + placeholder + {@code }}). Placeholders inside string literals
 * are refused: {@code {{application}}} renders its own quotes.
 *
 * <p>Placeholders ({@link Placeholder}): {@code selector} — the group's equality matchers, values
 * escaped ({@link PromQl#matchers}); required, or baseline and canary would select the same series;
 * {@code range} — a Prometheus duration; {@code application}, {@code namespace} — escaped, quoted string
 * literals; {@code instance_label} — a checked label name, for {@code sum by ({{instance_label}})}.
 *
 * <p>Parsing also checks that {@code ()}, {@code []} and {@code {}} balance outside string literals
 * and comments, and that every string literal is closed. It does not check the rest of PromQL's
 * grammar; Prometheus answers a remaining error with a {@code REJECTED} naming the query.
 *
 * @param name what the template is for, used in messages (e.g. {@code error_ratio})
 * @param text the template text
 * @throws InvalidQueryTemplateException naming the template and the problem
 */
public record QueryTemplate(String name, String text) {

    /** The names a template may use between {@code {{ }}}. */
    public enum Placeholder {
        SELECTOR, RANGE, APPLICATION, NAMESPACE, INSTANCE_LABEL;

        /** The name as written in a template: {@code selector}, {@code instance_label}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Placeholder byKey(String key) {
            for (Placeholder placeholder : values()) {
                if (placeholder.key().equals(key)) {
                    return placeholder;
                }
            }
            return null;
        }
    }

    private static final Pattern PLACEHOLDER_BODY = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final String KNOWN = Arrays.stream(Placeholder.values()).map(Placeholder::key)
            .collect(Collectors.joining(", "));

    public QueryTemplate {
        Objects.requireNonNull(name, "name");
        if (text == null || text.isBlank()) {
            throw new InvalidQueryTemplateException(name, "is empty");
        }
        List<Segment> segments = parse(name, text);
        if (segments.stream().noneMatch(s -> s instanceof Slot slot && slot.placeholder == Placeholder.SELECTOR)) {
            throw new InvalidQueryTemplateException(name, "has no {{selector}}; without it baseline and canary"
                    + " select the same series");
        }
    }

    /** The placeholders this template uses. */
    public Set<Placeholder> placeholders() {
        Set<Placeholder> used = EnumSet.noneOf(Placeholder.class);
        for (Segment segment : parse(name, text)) {
            if (segment instanceof Slot slot) {
                used.add(slot.placeholder);
            }
        }
        return used;
    }

    /**
     * The PromQL expression for one group.
     *
     * @throws IllegalArgumentException when the template uses a placeholder {@code parameters} leave empty
     */
    public String render(QueryParameters parameters) {
        StringBuilder out = new StringBuilder(text.length() + 64);
        for (Segment segment : parse(name, text)) {
            if (segment instanceof Literal literal) {
                out.append(literal.text);
            } else {
                out.append(value(((Slot) segment).placeholder, parameters));
            }
        }
        return out.toString();
    }

    private String value(Placeholder placeholder, QueryParameters parameters) {
        return switch (placeholder) {
            case SELECTOR -> PromQl.matchers(parameters.selector());
            case RANGE -> parameters.range();
            case APPLICATION -> PromQl.quote(required(placeholder, parameters.application()));
            case NAMESPACE -> PromQl.quote(required(placeholder, parameters.namespace()));
            case INSTANCE_LABEL -> PromQl.checkLabelName(required(placeholder, parameters.instanceLabel()));
        };
    }

    private String required(Placeholder placeholder, String value) {
        if (value == null) {
            throw new IllegalArgumentException("query template \"" + name + "\" uses {{" + placeholder.key()
                    + "}} but no " + placeholder.key() + " was given");
        }
        return value;
    }

    private sealed interface Segment permits Literal, Slot {
    }

    private record Literal(String text) implements Segment {
    }

    private record Slot(Placeholder placeholder) implements Segment {
    }

    /** An opening bracket and where it is (0-based). */
    private record Open(char bracket, int at) {
    }

    private static List<Segment> parse(String name, String text) {
        List<Segment> segments = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        Deque<Open> open = new ArrayDeque<>();
        char quote = 0;
        int quoteAt = -1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote != '`' && i + 1 < text.length()) {
                    literal.append(c).append(text.charAt(i + 1));
                    i += 2;
                    continue;
                }
                if (c == quote) {
                    quote = 0;
                } else if (c == '{' && text.startsWith("{{", i)
                        && PLACEHOLDER_BODY.matcher(text).region(i + 2, text.length()).lookingAt()) {
                    throw new InvalidQueryTemplateException(name, "placeholder at character " + (i + 1)
                            + " is inside a string literal; placeholders render their own quotes");
                }
                literal.append(c);
                i++;
                continue;
            }
            switch (c) {
                case '"', '\'', '`' -> {
                    quote = c;
                    quoteAt = i;
                }
                case '#' -> {
                    // A PromQL comment runs to the end of the line; its brackets do not count.
                    int end = text.indexOf('\n', i);
                    end = end < 0 ? text.length() : end;
                    literal.append(text, i, end);
                    i = end;
                    continue;
                }
                case '{' -> {
                    int run = 1;
                    while (i + run < text.length() && text.charAt(i + run) == '{') {
                        run++;
                    }
                    if (run >= 2) {
                        for (int k = 0; k < run - 2; k++) {
                            open.push(new Open('{', i + k));
                            literal.append('{');
                        }
                        int at = i + run - 2;
                        Matcher body = PLACEHOLDER_BODY.matcher(text).region(at + 2, text.length());
                        if (!body.lookingAt()) {
                            throw new InvalidQueryTemplateException(name, "\"{{\" at character " + (at + 1)
                                    + " does not start a placeholder {{name}} closed by \"}}\"");
                        }
                        Placeholder placeholder = Placeholder.byKey(body.group(1));
                        if (placeholder == null) {
                            throw new InvalidQueryTemplateException(name, "unknown placeholder {{" + body.group(1)
                                    + "}} at character " + (at + 1) + " (known: " + KNOWN + ")");
                        }
                        if (literal.length() > 0) {
                            segments.add(new Literal(literal.toString()));
                            literal.setLength(0);
                        }
                        segments.add(new Slot(placeholder));
                        i = body.end();
                        continue;
                    }
                    open.push(new Open('{', i));
                }
                case '(', '[' -> open.push(new Open(c, i));
                case '}', ')', ']' -> {
                    char expected = c == '}' ? '{' : c == ')' ? '(' : '[';
                    if (open.isEmpty()) {
                        throw new InvalidQueryTemplateException(name, "'" + c + "' at character " + (i + 1)
                                + " closes nothing");
                    }
                    Open last = open.pop();
                    if (last.bracket != expected) {
                        throw new InvalidQueryTemplateException(name, "'" + c + "' at character " + (i + 1)
                                + " closes '" + last.bracket + "' from character " + (last.at + 1));
                    }
                }
                default -> {
                }
            }
            literal.append(c);
            i++;
        }
        if (quote != 0) {
            throw new InvalidQueryTemplateException(name, "string literal opened with " + quote + " at character "
                    + (quoteAt + 1) + " is not closed");
        }
        if (!open.isEmpty()) {
            Open last = open.peek();
            throw new InvalidQueryTemplateException(name, "'" + last.bracket + "' at character " + (last.at + 1)
                    + " is not closed");
        }
        if (literal.length() > 0) {
            segments.add(new Literal(literal.toString()));
        }
        return segments;
    }
}
