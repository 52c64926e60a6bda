package io.canaryjudge.profile.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses a Prometheus label selector of equality matchers, {@code {a="x", b="y\"z"}}, the way Prometheus'
 * lexer reads double-quoted strings (Go escapes: backslash followed by one of {@code \ " n r t a b f v},
 * by {@code x} and two hex digits, {@code u} and four, {@code U} and eight, or three octal digits; a raw
 * newline inside the string is an error).
 * Other operators ({@code !=}, {@code =~}, {@code !~}) are refused: the client under test must not need
 * them. Independent of the client's renderer, so an escaping mistake there shows up here as a wrong value.
 */
public final class SelectorParser {
    private final String text;
    private int pos;

    private SelectorParser(String text) {
        this.text = text;
    }

    /**
     * @return label name → value, in the selector's order; a name given twice must have one value
     * @throws IllegalArgumentException naming what is wrong and where
     */
    public static Map<String, String> parse(String selector) {
        return new SelectorParser(selector).selector();
    }

    private Map<String, String> selector() {
        Map<String, String> labels = new LinkedHashMap<>();
        space();
        expect('{');
        space();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                String name = name();
                space();
                if (text.startsWith("!=", pos) || text.startsWith("=~", pos) || text.startsWith("!~", pos)) {
                    throw error("only equality matchers are supported by the stand-in");
                }
                expect('=');
                space();
                String value = string();
                String previous = labels.putIfAbsent(name, value);
                if (previous != null && !previous.equals(value)) {
                    labels.put(name, "\u0000conflict"); // matches nothing, as two different values cannot both hold
                }
                space();
                char c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw error("expected ',' or '}'");
                }
                space();
            }
        }
        space();
        if (pos != text.length()) {
            throw error("unexpected text after the selector");
        }
        return labels;
    }

    private String name() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            boolean ok = c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || pos > start && c >= '0' && c <= '9';
            if (!ok) {
                break;
            }
            pos++;
        }
        if (pos == start) {
            throw error("expected a label name");
        }
        return text.substring(start, pos);
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated quoted string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\n') {
                throw error("unterminated quoted string (raw newline)");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("escape at the end");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '\\' -> out.append('\\');
                case '"' -> out.append('"');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000b');
                case 'x' -> out.appendCodePoint(hex(2));
                case 'u' -> out.appendCodePoint(hex(4));
                case 'U' -> out.appendCodePoint(hex(8));
                default -> {
                    if (e >= '0' && e <= '7') {
                        pos--;
                        out.appendCodePoint(octal());
                    } else {
                        throw error("unknown escape \\" + e);
                    }
                }
            }
        }
    }

    private int hex(int digits) {
        if (pos + digits > text.length()) {
            throw error("short hex escape");
        }
        try {
            int value = Integer.parseInt(text.substring(pos, pos + digits), 16);
            pos += digits;
            return value;
        } catch (NumberFormatException ex) {
            throw error("bad hex escape");
        }
    }

    private int octal() {
        if (pos + 3 > text.length()) {
            throw error("short octal escape");
        }
        try {
            int value = Integer.parseInt(text.substring(pos, pos + 3), 8);
            pos += 3;
            return value;
        } catch (NumberFormatException ex) {
            throw error("bad octal escape");
        }
    }

    private void space() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next() {
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(pos++);
    }

    private void expect(char c) {
        if (next() != c) {
            pos--;
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("parse error at char " + (pos + 1) + " of selector " + text + ": " + what);
    }
}
