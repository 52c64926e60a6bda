package io.canaryjudge.profile;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalises frame names so that the same code gets the same name across JVM runs and producers:
 * {@code java/lang/Thread.run:833} and {@code java.lang.Thread.run(Ljava/lang/Runnable;)V_[j]}
 * both become {@code java.lang.Thread.run}.
 *
 * <p>Rules, in order: drop async-profiler's frame-type suffixes ({@code _[j]}, {@code _[i]},
 * {@code _[k]}, {@code _[0]}, {@code _[1]}); drop the signature (from the first {@code (});
 * drop a trailing {@code :line}; give volatile generated names a stable form (lambdas and other
 * hidden classes lose their {@code $45/0x0000000800c1b840} suffix, {@code GeneratedMethodAccessor123}
 * loses its number, CGLIB/ByteBuddy/Hibernate/JDK proxies lose their hash or counter); finally
 * slashes become dots in Java names. Called once per distinct frame, so clarity wins over speed.
 */
public final class FrameNames {
    private static final Pattern TYPE_SUFFIX = Pattern.compile("_\\[[a-z0-9]\\]$");
    private static final Pattern LINE_SUFFIX = Pattern.compile(":\\d+$");
    /**
     * {@code $$Lambda$45/0x0000000800c1b840}, {@code $$Lambda/0x...} (JDK 21), {@code $$Lambda$45/1234} (JDK 8),
     * and {@code $$Lambda_} as Pyroscope stores them (its JFR parser replaces the suffix by {@code _}).
     */
    private static final Pattern LAMBDA = Pattern.compile(
            "\\$\\$Lambda(?:_(?![\\w$])|(?:\\$\\d+)?(?:[/.](?:0x)?[0-9a-fA-F]+(?![\\w$]))?)");
    /** Other hidden classes: {@code LambdaForm$MH/0x0000000800c0c400}. */
    private static final Pattern HIDDEN_CLASS_SUFFIX = Pattern.compile("[/.]0x[0-9a-fA-F]+");
    /** {@code GeneratedMethodAccessor123}, and {@code GeneratedMethodAccessor_} as Pyroscope stores it. */
    private static final Pattern GENERATED_ACCESSOR = Pattern.compile("(Generated\\w*?Accessor)(?:\\d+|_(?![\\w$]))");
    private static final Pattern CGLIB = Pattern.compile("\\$\\$(\\w*CGLIB\\w*)\\$\\$\\w+");
    private static final Pattern BYTE_BUDDY = Pattern.compile("\\$(ByteBuddy|HibernateProxy|MockitoMock)\\$\\w+");
    private static final Pattern BYTE_BUDDY_AUXILIARY = Pattern.compile("\\$auxiliary\\$\\w+");
    private static final Pattern JDK_PROXY_CLASS = Pattern.compile("\\$Proxy\\d+");
    private static final Pattern JDK_PROXY_PACKAGE = Pattern.compile("(?<![\\w$])jdk[/.]proxy\\d+");

    private FrameNames() {
    }

    /** The stable, display-ready name of a frame; never {@code null}. */
    public static String normalize(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "[unknown]";
        }
        String name = raw.strip();
        name = replaceAll(TYPE_SUFFIX, name, "");
        int paren = name.indexOf('(');
        if (paren > 0) {
            name = name.substring(0, paren).stripTrailing(); // "f<a, (b)2>" keeps no trailing space: normalize stays idempotent
        }
        name = replaceAll(LINE_SUFFIX, name, "");
        if (name.indexOf('$') >= 0 || name.indexOf("0x") >= 0 || name.indexOf("roxy") >= 0) {
            name = replaceAll(LAMBDA, name, "\\$\\$Lambda");
            name = replaceAll(HIDDEN_CLASS_SUFFIX, name, "");
            name = replaceAll(CGLIB, name, "\\$\\$$1");
            name = replaceAll(BYTE_BUDDY, name, "\\$$1");
            name = replaceAll(BYTE_BUDDY_AUXILIARY, name, "\\$auxiliary");
            name = replaceAll(JDK_PROXY_CLASS, name, "\\$Proxy");
            name = replaceAll(JDK_PROXY_PACKAGE, name, "jdk.proxy");
        }
        if (name.indexOf("Accessor") >= 0) {
            name = replaceAll(GENERATED_ACCESSOR, name, "$1");
        }
        if (isJavaName(name)) {
            name = name.replace('/', '.');
        }
        return name.isEmpty() ? "[unknown]" : name;
    }

    /**
     * A Java frame ({@code java/lang/Thread.run}) rather than a native one with a path or a
     * C++ name: slashes between identifier characters, no spaces, not an absolute path.
     */
    private static boolean isJavaName(String name) {
        if (name.indexOf('/') < 0 || name.charAt(0) == '/' || name.indexOf(' ') >= 0 || name.contains("::")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isJavaIdentifierPart(c) || c == '/' || c == '.' || c == '<' || c == '>')) {
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
