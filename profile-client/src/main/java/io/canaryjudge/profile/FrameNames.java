package io.canaryjudge.profile;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalises frame names so that the same code gets the same name across JVM runs and producers:
 * {@code java/lang/Thread.run:833} and {@code java.lang.Thread.run(Ljava/lang/Runnable;)V_[j]}
 * both become {@code java.lang.Thread.run}.
 *
 * <p>Rules, in order: drop async-profiler's frame-type suffixes ({@code _[j]}, {@code _[i]},
 * {@code _[k]}, {@code _[0]}, {@code _[1]}); drop the signature (from the first {@code (} outside
 * C++ template brackets); drop a trailing {@code :line}; give volatile generated names a stable
 * form (lambdas and other hidden classes lose their {@code $45/0x0000000800c1b840} suffix,
 * {@code GeneratedMethodAccessor123} loses its number, CGLIB/ByteBuddy/Hibernate/JDK proxies lose
 * their hash or counter, native libraries extracted to temporary files lose their per-run UUID
 * or number); finally slashes become dots in Java names. Called once per distinct frame.
 */
public final class FrameNames {
    /**
     * Rules for rarer generated names, each compiled on first use and applied only when a literal
     * its regex needs is in the name: compiling them all cost ~10 ms of a command's start-up, and
     * most frames need none. Lambdas and hidden classes, in nearly every Java profile, are stripped
     * by hand ({@link #stripLambdaSuffixes}, {@link #stripHiddenClassSuffixes}). Applied in this order.
     */
    private enum GeneratedName {
        CGLIB("\\$\\$(\\w*CGLIB\\w*)\\$\\$\\w+", "\\$\\$$1", "", "CGLIB"),
        BYTE_BUDDY("\\$(ByteBuddy|HibernateProxy|MockitoMock)\\$\\w+", "\\$$1", "", "$ByteBuddy$", "$HibernateProxy$", "$MockitoMock$"),
        BYTE_BUDDY_AUXILIARY("\\$auxiliary\\$\\w+", "\\$auxiliary", "", "$auxiliary$"),
        JDK_PROXY_CLASS("\\$Proxy\\d+", "\\$Proxy", "", "$Proxy"),
        JDK_PROXY_PACKAGE("(?<![\\w$])jdk[/.]proxy\\d+", "jdk.proxy", "", "jdk/proxy", "jdk.proxy"),
        /** {@code GeneratedMethodAccessor123}, and {@code GeneratedMethodAccessor_} as Pyroscope stores it. */
        GENERATED_ACCESSOR("(Generated\\w*?Accessor)(?:\\d+|_(?![\\w$]))", "$1", "", "Generated"),
        /**
         * Native libraries that Java code extracts to a temporary file get a new name in every JVM:
         * snappy-java's {@code snappy-1.1.8-d1f9bd24-4cc8-4571-b71c-1698b83f1af1-libsnappyjava.so}
         * (a UUID), async-profiler's and Netty's {@code libasyncProfiler-10950710338813627510.so}
         * ({@code File.createTempFile}'s random number). The per-run part goes.
         */
        EXTRACTED_LIBRARY_UUID("-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?=\\.so|-)", "", "-", ".so"),
        EXTRACTED_LIBRARY_NUMBER("-?\\d{10,}(?=\\.so)", "", "", "0.so", "1.so", "2.so", "3.so", "4.so", "5.so", "6.so", "7.so",
                "8.so", "9.so");

        private static final GeneratedName[] ALL = values();
        private final String regex;
        private final String replacement;
        /** The rule can match only names containing this ("" for no such condition) and one of {@link #needsOneOf}. */
        private final String needs;
        private final String[] needsOneOf;
        private volatile Pattern pattern;

        GeneratedName(String regex, String replacement, String needs, String... needsOneOf) {
            this.regex = regex;
            this.replacement = replacement;
            this.needs = needs;
            this.needsOneOf = needsOneOf;
        }

        String apply(String name) {
            if (name.indexOf(needs) < 0) {
                return name;
            }
            for (String need : needsOneOf) {
                if (name.indexOf(need) >= 0) {
                    Pattern p = pattern;
                    if (p == null) {
                        pattern = p = Pattern.compile(regex);
                    }
                    return replaceAll(p, name, replacement);
                }
            }
            return name;
        }
    }

    private static final String LAMBDA = "$$Lambda";

    private FrameNames() {
    }

    /** The stable, display-ready name of a frame; never {@code null}. */
    public static String normalize(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "[unknown]";
        }
        String name = stripTypeSuffix(raw.strip());
        int paren = signatureStart(name);
        if (paren > 0) {
            name = name.substring(0, paren).stripTrailing(); // "f<a, (b)2>" keeps no trailing space: normalize stays idempotent
        }
        name = stripLineSuffix(name);
        if (name.indexOf(LAMBDA) >= 0) {
            name = stripLambdaSuffixes(name);
        }
        if (name.indexOf("0x") >= 0) {
            name = stripHiddenClassSuffixes(name);
        }
        for (GeneratedName rule : GeneratedName.ALL) {
            name = rule.apply(name);
        }
        if (isJavaName(name)) {
            name = name.replace('/', '.');
        }
        return name.isEmpty() ? "[unknown]" : name;
    }

    /**
     * Drops what follows each {@code $$Lambda}: {@code $45/0x0000000800c1b840}, {@code /0x...} (JDK 21),
     * {@code $45/1234} (JDK 8), {@code +0x00007f1b6c031c60/1262607708} (JDK 17's Flight Recorder), and
     * {@code _} as Pyroscope stores them (its JFR parser replaces the suffix by {@code _}). The rule,
     * as a regex: {@code \$\$Lambda(?:_(?![\w$])|(?:\$\d+)?(?:\+0x[0-9a-fA-F]+(?:[/.]\d+(?![\w$]))?|[/.](?:0x)?[0-9a-fA-F]+(?![\w$]))?)}
     * becomes {@code $$Lambda} (FrameNamesHandWrittenRulesTest checks the two agree).
     */
    static String stripLambdaSuffixes(String name) {
        StringBuilder out = new StringBuilder(name.length());
        int from = 0;
        for (int at = name.indexOf(LAMBDA); at >= 0; at = name.indexOf(LAMBDA, from)) {
            int p = at + LAMBDA.length();
            out.append(name, from, p);
            if (p < name.length() && name.charAt(p) == '_' && !isWordOrDollar(name, p + 1)) {
                p++;
            } else {
                if (p + 1 < name.length() && name.charAt(p) == '$' && isDigit(name, p + 1)) {
                    p = skipDigits(name, p + 1);
                }
                p = afterHiddenSuffix(name, p, true);
            }
            from = p;
        }
        return out.append(name, from, name.length()).toString();
    }

    /**
     * Drops the suffix of other hidden classes: {@code LambdaForm$MH/0x0000000800c0c400},
     * {@code LambdaForm$MH+0x00007f.../123} (JDK 17 JFR). As a regex:
     * {@code \+0x[0-9a-fA-F]+(?:[/.]\d+(?![\w$]))?|[/.]0x[0-9a-fA-F]+} becomes nothing.
     */
    static String stripHiddenClassSuffixes(String name) {
        StringBuilder out = null;
        int from = 0;
        for (int i = 0; i < name.length(); ) {
            int end = afterHiddenSuffix(name, i, false);
            if (end > i) {
                if (out == null) {
                    out = new StringBuilder(name.length());
                }
                out.append(name, from, i);
                from = i = end;
            } else {
                i++;
            }
        }
        return out == null ? name : out.append(name, from, name.length()).toString();
    }

    /**
     * Where a hidden-class suffix starting at {@code p} ends, or {@code p} when there is none:
     * {@code +0x}hex (then {@code /}digits or {@code .}digits ending the word, if present), or
     * {@code /0x}hex / {@code .0x}hex. After {@code $$Lambda} ({@code lambda}) the {@code 0x} of the
     * second form is optional and the hex must end the word.
     */
    private static int afterHiddenSuffix(String name, int p, boolean lambda) {
        int n = name.length();
        if (p >= n) {
            return p;
        }
        char c = name.charAt(p);
        if (c == '+' && name.startsWith("0x", p + 1) && isHex(name, p + 3)) {
            int end = skipHex(name, p + 3);
            if (end + 1 < n && (name.charAt(end) == '/' || name.charAt(end) == '.') && isDigit(name, end + 1)) {
                int digits = skipDigits(name, end + 1);
                if (!isWordOrDollar(name, digits)) {
                    end = digits;
                }
            }
            return end;
        }
        if (c == '/' || c == '.') {
            if (name.startsWith("0x", p + 1) && isHex(name, p + 3)) {
                int end = skipHex(name, p + 3);
                if (!lambda || !isWordOrDollar(name, end)) {
                    return end;
                }
            }
            if (lambda && isHex(name, p + 1)) {
                int end = skipHex(name, p + 1);
                if (!isWordOrDollar(name, end)) {
                    return end;
                }
            }
        }
        return p;
    }

    private static boolean isDigit(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    private static boolean isHex(String s, int i) {
        if (i >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Regex {@code [\w$]}: ASCII letter, digit, underscore or dollar; false past the end. */
    private static boolean isWordOrDollar(String s, int i) {
        if (i >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
    }

    private static int skipDigits(String s, int i) {
        while (isDigit(s, i)) {
            i++;
        }
        return i;
    }

    private static int skipHex(String s, int i) {
        while (isHex(s, i)) {
            i++;
        }
        return i;
    }

    /** Drops async-profiler's frame-type suffix: {@code _[j]}, {@code _[i]}, {@code _[k]}, {@code _[0]}, {@code _[1]}. */
    private static String stripTypeSuffix(String name) {
        int n = name.length();
        if (n >= 4 && name.charAt(n - 1) == ']' && name.charAt(n - 3) == '[' && name.charAt(n - 4) == '_') {
            char c = name.charAt(n - 2);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                return name.substring(0, n - 4);
            }
        }
        return name;
    }

    /** Drops a trailing {@code :line} (one or more digits). */
    private static String stripLineSuffix(String name) {
        int i = name.length();
        while (i > 0 && name.charAt(i - 1) >= '0' && name.charAt(i - 1) <= '9') {
            i--;
        }
        return i < name.length() && i > 0 && name.charAt(i - 1) == ':' ? name.substring(0, i - 1) : name;
    }

    /**
     * Index of the {@code (} that starts a signature or parameter list, or -1: the first one outside
     * angle brackets, so C++ template arguments such as
     * {@code G1ParCopyClosure<(G1Barrier)1, false>::do_oop} are kept whole.
     */
    private static int signatureStart(String name) {
        int angle = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '<') {
                angle++;
            } else if (c == '>' && angle > 0) {
                angle--;
            } else if (c == '(' && angle == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A Java frame ({@code java/lang/Thread.run}) rather than a native one with a path or a
     * C++ name: slashes between identifier characters, no spaces, not an absolute path. A
     * {@code -} is allowed after the last slash only: classes the JVM generates may have one in
     * their name (JFR's {@code jdk/jfr/internal/handlers/EventHandler4285_1795627074943-26102}),
     * a path to a native library has one in a directory ({@code ./lib/x86_64-linux-gnu/libc-2.31.so})
     * or starts with {@code ./} as async-profiler writes them ({@code ./tmp/snappy-1.1.8-libsnappyjava.so}).
     */
    private static boolean isJavaName(String name) {
        if (name.indexOf('/') < 0 || name.charAt(0) == '/' || name.charAt(0) == '.' || name.indexOf(' ') >= 0
                || name.contains("::")) {
            return false;
        }
        int lastSlash = name.lastIndexOf('/');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isJavaIdentifierPart(c) || c == '/' || c == '.' || c == '<' || c == '>'
                    || (c == '-' && i > lastSlash))) {
                return false;
            }
        }
        return true;
    }

    private static String replaceAll(Pattern pattern, String input, String replacement) {
        Matcher matcher = pattern.matcher(input);
        return matcher.find() ? matcher.replaceAll(replacement) : input;
    }
}
