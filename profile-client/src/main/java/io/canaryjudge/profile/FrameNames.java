package io.canaryjudge.profile;

import java.nio.charset.StandardCharsets;

/**
 * Normalises frame names so that the same code gets the same name across JVM runs and producers:
 * {@code java/lang/Thread.run:833} and {@code java.lang.Thread.run(Ljava/lang/Runnable;)V_[j]}
 * both become {@code java.lang.Thread.run}.
 *
 * <p>Rules, in order: drop async-profiler's frame-type suffixes ({@code _[j]}, {@code _[i]},
 * {@code _[k]}, {@code _[0]}, {@code _[1]}); drop the signature (from the first {@code (} outside
 * C++ template brackets); drop a trailing {@code :line} or {@code @bci} (async-profiler's {@code lines} and
 * {@code bci} options, jfrconv's {@code --lines} and {@code --bci}: one function would otherwise be as many
 * functions as it has sampled lines, and an edit elsewhere in its file would rename them all in the canary);
 * give volatile generated names a stable
 * form (lambdas and other hidden classes lose their {@code $45/0x0000000800c1b840} suffix,
 * {@code GeneratedMethodAccessor123} loses its number, CGLIB/ByteBuddy/Hibernate/JDK proxies lose
 * their hash or counter, native libraries extracted to temporary files lose their per-run UUID
 * or number, Groovy's {@code Script12} and Rhino's {@code org.mozilla.javascript.gen.rules_js_3} lose their
 * compile counter); finally slashes become dots in Java names (not in Go's import paths, {@link GoFunctionNames#slashed}).
 * A JavaScript frame as Pyroscope's Node SDK names it ({@code ./server.js:priceOrder:43}) follows
 * {@link NodeFunctionNames} instead.
 * Called once per distinct frame.
 */
public final class FrameNames {
    private static final String LAMBDA = "$$Lambda";

    private FrameNames() {
    }

    /** The stable, display-ready name of a frame; never {@code null}. */
    public static String normalize(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "[unknown]";
        }
        String plain = plainName(raw);
        return plain != null ? plain : normalizeAnyName(raw);
    }

    /**
     * The normalised form of a plain name, or null for any other: a plain name has only ASCII
     * letters, digits, {@code _}, {@code $}, {@code .} and {@code /}, and none of the literals the
     * rules for generated names look for ({@code 0x}, {@code Generated}, {@code proxy}, {@code .so},
     * {@code CGLIB}, {@code javascript}, {@code Script} at the start, {@link #DOLLAR_RULES}),
     * so no rule applies but slashes to dots (in a Java name). Most frames are plain
     * ({@code java/util/HashMap.get}, {@code memcpy}), and a file's first few hundred names are
     * normalised by the interpreter: one pass over a copy of the bytes here, where the rules cost
     * a dozen scans at several calls per character. {@code FrameNamesHandWrittenRulesTest}
     * checks this shortcut against all the rules.
     */
    /** The literals starting with {@code $} that a rule for generated names looks for. */
    private static final String[] DOLLAR_RULES = {
        "$$Lambda", "$ByteBuddy$", "$HibernateProxy$", "$MockitoMock$", "$auxiliary$", "$Proxy",
    };

    private static boolean startsWithAny(String name, int at, String[] prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix, at)) {
                return true;
            }
        }
        return false;
    }

    private static String plainName(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1); // a copy; any other character becomes '?', not plain
        int n = bytes.length;
        boolean slash = false;
        for (int i = 0; i < n; i++) {
            byte b = bytes[i];
            if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_') {
                if ((b == 'x' && i > 0 && bytes[i - 1] == '0') || (b == 'G' && name.startsWith("Generated", i))
                        || (b == 'p' && name.startsWith("proxy", i))) {
                    return null;
                }
                if ((b == 'C' && name.startsWith("CGLIB", i)) || (i == 0 && b == 'S' && name.startsWith("Script"))
                        || (b == 'j' && name.startsWith("javascript", i))) {
                    return null;
                }
            } else if (b == '/') {
                slash = true;
            } else if (b == '$') {
                if (startsWithAny(name, i, DOLLAR_RULES)) {
                    return null;
                }
            } else if (b != '.' || name.startsWith("so", i + 1)) {
                return null;
            }
        }
        if (!slash || bytes[0] == '/' || bytes[0] == '.' || GoFunctionNames.slashed(name)) {
            return name;
        }
        for (int i = 0; i < n; i++) {
            if (bytes[i] == '/') {
                bytes[i] = '.';
            }
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** {@link #normalize} by every rule, whatever the name. */
    static String normalizeAnyName(String raw) {
        String node = NodeFunctionNames.normalize(raw.strip());
        if (node != null) {
            return node; // a JavaScript frame: its "(anonymous)" and file name are no signature or Java class
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
        name = stripGeneratedNameSuffixes(name);
        if (isJavaName(name) && !GoFunctionNames.slashed(name)) {
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

    /**
     * Stable names for the rarer generated classes, each rule hand-written (a regex costs a
     * command ~30 ms of start-up: java.util.regex and the lambda machinery it pulls in) and tried
     * only when a literal it needs is in the name. In this order; the regex each implements is
     * its specification ({@code FrameNamesHandWrittenRulesTest} checks them against each other):
     * <ol>
     * <li>CGLIB: {@code \$\$(\w*CGLIB\w*)\$\$\w+} becomes {@code $$$1};
     * <li>ByteBuddy, Hibernate and Mockito proxies: {@code \$(ByteBuddy|HibernateProxy|MockitoMock)\$\w+}
     *     becomes {@code $$1}, and {@code \$auxiliary\$\w+} becomes {@code $auxiliary};
     * <li>JDK proxies: {@code \$Proxy\d+} becomes {@code $Proxy}, {@code (?<![\w$])jdk[/.]proxy\d+}
     *     becomes {@code jdk.proxy};
     * <li>{@code GeneratedMethodAccessor123}, and {@code GeneratedMethodAccessor_} as Pyroscope stores
     *     it: {@code (Generated\w*?Accessor)(?:\d+|_(?![\w$]))} becomes {@code $1};
     * <li>native libraries that Java code extracts to a temporary file get a new name in every JVM:
     *     snappy-java's {@code snappy-1.1.8-d1f9bd24-4cc8-4571-b71c-1698b83f1af1-libsnappyjava.so}
     *     (a UUID, {@code -[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?=\.so|-)}),
     *     async-profiler's and Netty's {@code libasyncProfiler-10950710338813627510.so}
     *     ({@code File.createTempFile}'s random number, {@code -?\d{10,}(?=\.so)}): the per-run part goes;
     * <li>script engines that compile each script to a class named by a per-JVM counter, so one script has
     *     another name in every JVM that compiled its scripts in another order (docs/EVALUATION.md "Scripts
     *     compiled at run time"): Groovy's {@code GroovyShell.parse} and JSR-223 engine name a script
     *     {@code Script1}, {@code Script2}, … in the default package, {@code (?<![\w$./])Script\d+(?!\w)}
     *     becomes {@code Script} (every such script is then one function: the counter is all that told them
     *     apart); Rhino's compiled JavaScript is {@code org.mozilla.javascript.gen.SOURCE_N} (and
     *     {@code …SOURCE_NojscK}), SOURCE the script's source name and N a JVM-wide counter,
     *     {@code (org[/.]mozilla[/.]javascript[/.]gen[/.]\w*_)\d+(?=(?:ojsc\d+)?(?!\w))} becomes
     *     {@code $1}: {@code org.mozilla.javascript.gen.risk_js_2._c_risk_0} becomes
     *     {@code org.mozilla.javascript.gen.risk_js_._c_risk_0}, the function keeps its name.
     * </ol>
     */
    static String stripGeneratedNameSuffixes(String name) {
        if (name.indexOf('$') >= 0) {
            if (name.indexOf("CGLIB") >= 0) {
                name = stripCglibSuffixes(name);
            }
            if (name.indexOf("$ByteBuddy$") >= 0 || name.indexOf("$HibernateProxy$") >= 0
                    || name.indexOf("$MockitoMock$") >= 0) {
                name = stripWordsAfter(name, PROXY_TAGS);
            }
            if (name.indexOf("$auxiliary$") >= 0) {
                name = stripWordsAfter(name, AUXILIARY_TAG);
            }
            if (name.indexOf("$Proxy") >= 0) {
                name = stripDigitsAfter(name, "$Proxy");
            }
        }
        if (name.indexOf("proxy") >= 0) {
            name = stripJdkProxyPackageNumbers(name);
        }
        if (name.indexOf("Generated") >= 0) {
            name = stripGeneratedAccessorNumbers(name);
        }
        if (name.indexOf(".so") >= 0) {
            name = stripExtractedLibraryUuids(name);
            name = stripExtractedLibraryNumbers(name);
        }
        if (name.indexOf("Script") >= 0) {
            name = stripGroovyScriptNumbers(name);
        }
        if (name.indexOf("javascript") >= 0) {
            name = stripRhinoClassNumbers(name);
        }
        return name;
    }

    /** {@code (?<![\w$./])Script\d+(?!\w)} becomes {@code Script}: Groovy's {@code Script1}, {@code Script2}, …. */
    static String stripGroovyScriptNumbers(String name) {
        StringBuilder out = null;
        int from = 0;
        for (int at = name.indexOf("Script"); at >= 0; ) {
            int digits = at + "Script".length();
            char before = at > 0 ? name.charAt(at - 1) : ' ';
            int end = skipDigits(name, digits);
            if (!isWordOrDollar(name, at - 1) && before != '.' && before != '/' && end > digits && !isWord(name, end)) {
                out = appendTo(out, name, from, digits);
                from = end;
                at = name.indexOf("Script", end);
            } else {
                at = name.indexOf("Script", at + 1);
            }
        }
        return finish(out, name, from);
    }

    private static final String RHINO_PACKAGE = "org.mozilla.javascript.gen.";

    /**
     * {@code (org[/.]mozilla[/.]javascript[/.]gen[/.]\w*_)\d+(?=(?:ojsc\d+)?(?!\w))} becomes {@code $1}: in a
     * class of Rhino's generated package, the digits after the last {@code _} that ends the class name (or comes
     * before its {@code ojsc} suffix) go.
     */
    static String stripRhinoClassNumbers(String name) {
        StringBuilder out = null;
        int from = 0;
        for (int at = name.indexOf("org"); at >= 0; ) {
            int wordStart = at + RHINO_PACKAGE.length();
            int end = -1;
            if (isRhinoPackage(name, at)) {
                int wordEnd = skipWord(name, wordStart);
                for (int u = name.lastIndexOf('_', wordEnd - 1); u >= wordStart; u = name.lastIndexOf('_', u - 1)) {
                    int digitsEnd = skipDigits(name, u + 1);
                    if (digitsEnd > u + 1 && (digitsEnd == wordEnd || (name.startsWith("ojsc", digitsEnd)
                            && isDigit(name, digitsEnd + 4) && skipDigits(name, digitsEnd + 4) == wordEnd))) {
                        out = appendTo(out, name, from, u + 1);
                        from = end = digitsEnd;
                        break;
                    }
                }
            }
            at = name.indexOf("org", end >= 0 ? end : at + 1);
        }
        return finish(out, name, from);
    }

    /** Whether {@code org[/.]mozilla[/.]javascript[/.]gen[/.]} starts at {@code at}. */
    private static boolean isRhinoPackage(String name, int at) {
        if (at + RHINO_PACKAGE.length() > name.length()) {
            return false;
        }
        for (int i = 0; i < RHINO_PACKAGE.length(); i++) {
            char want = RHINO_PACKAGE.charAt(i);
            char c = name.charAt(at + i);
            if (want == '.' ? c != '.' && c != '/' : c != want) {
                return false;
            }
        }
        return true;
    }

    private static final String[] PROXY_TAGS = {"$ByteBuddy$", "$HibernateProxy$", "$MockitoMock$"};
    private static final String[] AUXILIARY_TAG = {"$auxiliary$"};

    /** {@code \$\$(\w*CGLIB\w*)\$\$\w+} becomes {@code $$$1}. */
    static String stripCglibSuffixes(String name) {
        StringBuilder out = null;
        int from = 0;
        for (int at = name.indexOf("$$"); at >= 0; ) {
            int wordStart = at + 2;
            int wordEnd = skipWord(name, wordStart);
            int cglib = name.indexOf("CGLIB", wordStart);
            if (cglib >= 0 && cglib + 5 <= wordEnd && name.startsWith("$$", wordEnd) && isWord(name, wordEnd + 2)) {
                out = appendTo(out, name, from, wordEnd);
                from = skipWord(name, wordEnd + 2);
                at = name.indexOf("$$", from);
            } else {
                at = name.indexOf("$$", at + 1);
            }
        }
        return finish(out, name, from);
    }

    /** Each {@code tag} followed by one or more word characters keeps the tag without its last {@code $}. */
    private static String stripWordsAfter(String name, String[] tags) {
        StringBuilder out = null;
        int from = 0;
        for (int at = name.indexOf('$'); at >= 0; ) {
            int end = -1;
            for (String tag : tags) {
                if (name.startsWith(tag, at) && isWord(name, at + tag.length())) {
                    out = appendTo(out, name, from, at + tag.length() - 1);
                    end = skipWord(name, at + tag.length());
                    break;
                }
            }
            if (end >= 0) {
                from = end;
                at = name.indexOf('$', end);
            } else {
                at = name.indexOf('$', at + 1);
            }
        }
        return finish(out, name, from);
    }

    /** Each {@code tag} followed by one or more digits keeps the tag only. */
    private static String stripDigitsAfter(String name, String tag) {
        StringBuilder out = null;
        int from = 0;
        for (int at = name.indexOf(tag); at >= 0; ) {
            int digits = at + tag.length();
            if (isDigit(name, digits)) {
                out = appendTo(out, name, from, digits);
                from = skipDigits(name, digits);
                at = name.indexOf(tag, from);
            } else {
                at = name.indexOf(tag, at + 1);
            }
        }
        return finish(out, name, from);
    }

    /** {@code (?<![\w$])jdk[/.]proxy\d+} becomes {@code jdk.proxy}. */
    static String stripJdkProxyPackageNumbers(String name) {
        StringBuilder out = null;
        int from = 0;
        for (int at = name.indexOf("jdk"); at >= 0; ) {
            int digits = at + "jdk/proxy".length();
            if (!isWordOrDollar(name, at - 1) && digits <= name.length()
                    && (name.charAt(at + 3) == '/' || name.charAt(at + 3) == '.')
                    && name.startsWith("proxy", at + 4) && isDigit(name, digits)) {
                out = appendTo(out, name, from, at).append("jdk.proxy");
                from = skipDigits(name, digits);
                at = name.indexOf("jdk", from);
            } else {
                at = name.indexOf("jdk", at + 1);
            }
        }
        return finish(out, name, from);
    }

    /**
     * {@code (Generated\w*?Accessor)(?:\d+|_(?![\w$]))} becomes {@code $1}: after {@code Generated},
     * the first {@code Accessor} within the same word that is followed by digits or by an
     * {@code _} ending the word.
     */
    static String stripGeneratedAccessorNumbers(String name) {
        StringBuilder out = null;
        int from = 0;
        for (int at = name.indexOf("Generated"); at >= 0; ) {
            int wordEnd = skipWord(name, at + "Generated".length());
            int keepEnd = -1;
            int dropEnd = -1;
            for (int accessor = name.indexOf("Accessor", at + "Generated".length());
                    accessor >= 0 && accessor + "Accessor".length() <= wordEnd;
                    accessor = name.indexOf("Accessor", accessor + 1)) {
                int after = accessor + "Accessor".length();
                if (isDigit(name, after)) {
                    keepEnd = after;
                    dropEnd = skipDigits(name, after);
                    break;
                }
                if (after < name.length() && name.charAt(after) == '_' && !isWordOrDollar(name, after + 1)) {
                    keepEnd = after;
                    dropEnd = after + 1;
                    break;
                }
            }
            if (keepEnd >= 0) {
                out = appendTo(out, name, from, keepEnd);
                from = dropEnd;
                at = name.indexOf("Generated", from);
            } else {
                at = name.indexOf("Generated", at + 1);
            }
        }
        return finish(out, name, from);
    }

    /** The UUID form: {@code -} and hex groups of 8, 4, 4, 4 and 12, then {@code .so} or {@code -}; it goes. */
    static String stripExtractedLibraryUuids(String name) {
        StringBuilder out = null;
        int from = 0;
        for (int at = name.indexOf('-'); at >= 0; ) {
            int end = afterUuid(name, at);
            if (end > 0 && (name.startsWith(".so", end) || (end < name.length() && name.charAt(end) == '-'))) {
                out = appendTo(out, name, from, at);
                from = end;
                at = name.indexOf('-', end);
            } else {
                at = name.indexOf('-', at + 1);
            }
        }
        return finish(out, name, from);
    }

    private static final int[] UUID_GROUPS = {8, 4, 4, 4, 12};

    /** Where {@code -hex8-hex4-hex4-hex4-hex12} starting at {@code at} ends, or -1. */
    private static int afterUuid(String name, int at) {
        int p = at;
        for (int group : UUID_GROUPS) {
            if (p >= name.length() || name.charAt(p) != '-') {
                return -1;
            }
            p++;
            for (int k = 0; k < group; k++, p++) {
                if (!isHex(name, p)) {
                    return -1;
                }
            }
        }
        return p;
    }

    /** {@code -?\d{10,}(?=\.so)}: ten or more digits (and a {@code -} before them) right before {@code .so} go. */
    static String stripExtractedLibraryNumbers(String name) {
        StringBuilder out = null;
        int from = 0;
        for (int so = name.indexOf(".so"); so >= 0; so = name.indexOf(".so", so + 1)) {
            int digits = so;
            while (digits > from && isDigit(name, digits - 1)) {
                digits--;
            }
            if (so - digits >= 10) {
                int start = digits > from && name.charAt(digits - 1) == '-' ? digits - 1 : digits;
                out = appendTo(out, name, from, start);
                from = so;
            }
        }
        return finish(out, name, from);
    }

    private static StringBuilder appendTo(StringBuilder out, String name, int from, int to) {
        if (out == null) {
            out = new StringBuilder(name.length());
        }
        return out.append(name, from, to);
    }

    private static String finish(StringBuilder out, String name, int from) {
        return out == null ? name : out.append(name, from, name.length()).toString();
    }

    /** Regex {@code \w}: ASCII letter, digit or underscore; false outside the string. */
    private static boolean isWord(String s, int i) {
        if (i < 0 || i >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static int skipWord(String s, int i) {
        while (isWord(s, i)) {
            i++;
        }
        return i;
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

    /** Regex {@code [\w$]}: ASCII letter, digit, underscore or dollar; false outside the string. */
    private static boolean isWordOrDollar(String s, int i) {
        if (i < 0 || i >= s.length()) {
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

    /**
     * Drops a trailing {@code :line} or {@code @bci} (one or more digits): {@code Orders.checksum:112},
     * {@code Orders.checksum@25}. A native symbol's version ({@code memcpy@GLIBC_2.14}) has letters and stays.
     */
    private static String stripLineSuffix(String name) {
        int i = name.length();
        while (i > 0 && name.charAt(i - 1) >= '0' && name.charAt(i - 1) <= '9') {
            i--;
        }
        return i < name.length() && i > 0 && (name.charAt(i - 1) == ':' || name.charAt(i - 1) == '@')
                ? name.substring(0, i - 1) : name;
    }

    /**
     * Index of the {@code (} that starts a signature or parameter list, or -1: the first one outside
     * angle brackets, so C++ template arguments such as
     * {@code G1ParCopyClosure<(G1Barrier)1, false>::do_oop} are kept whole, and not a Go method's receiver:
     * Go's runtime names a method on a pointer type {@code compress/flate.(*compressor).deflate} (as
     * Pyroscope and {@code go tool pprof} show it), where a {@code (} right after a {@code .} starts the
     * receiver's type, never a Java or C signature; cutting there made every method of a package one frame.
     */
    private static int signatureStart(String name) {
        int paren = name.indexOf('(');
        if (paren < 0) {
            return -1;
        }
        int angleAt = name.indexOf('<');
        if ((angleAt < 0 || angleAt > paren) && !isGoReceiver(name, paren)) {
            return paren; // no template bracket before the first '(': the usual Java and C frame
        }
        int angle = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '<') {
                angle++;
            } else if (c == '>' && angle > 0) {
                angle--;
            } else if (c == '(' && angle == 0) {
                if (!isGoReceiver(name, i)) {
                    return i;
                }
                int close = name.indexOf(')', i);
                if (close < 0) {
                    return -1;
                }
                i = close;
            }
        }
        return -1;
    }

    /** Whether the {@code (} at {@code at} opens a Go receiver: {@code .(*} followed by {@code ).} after the type. */
    private static boolean isGoReceiver(String name, int at) {
        if (at == 0 || name.charAt(at - 1) != '.' || at + 1 >= name.length() || name.charAt(at + 1) != '*') {
            return false;
        }
        int close = name.indexOf(')', at);
        return close > at + 2 && close + 1 < name.length() && name.charAt(close + 1) == '.';
    }

    /**
     * A Java frame ({@code java/lang/Thread.run}) rather than a native one with a path or a
     * C++ name: slashes between identifier characters, no spaces in the class, not an absolute path. A
     * {@code -} is allowed after the last slash only: classes the JVM generates may have one in
     * their name (JFR's {@code jdk/jfr/internal/handlers/EventHandler4285_1795627074943-26102}),
     * a path to a native library has one in a directory ({@code ./lib/x86_64-linux-gnu/libc-2.31.so})
     * or starts with {@code ./} as async-profiler writes them ({@code ./tmp/snappy-1.1.8-libsnappyjava.so}).
     * The method name (after the first {@code .} past the last slash) may hold any printable character the
     * JVM allows in one, all but {@code . ; [ / < >}: Kotlin names a test {@code `checkout applies discount`}
     * and the JFR recording spells it {@code com/example/OrderTest.checkout applies discount}, which becomes
     * {@code com.example.OrderTest.checkout applies discount} as async-profiler's own output writes it.
     */
    private static boolean isJavaName(String name) {
        if (name.indexOf('/') < 0 || name.charAt(0) == '/' || name.charAt(0) == '.' || name.contains("::")) {
            return false;
        }
        int lastSlash = name.lastIndexOf('/');
        int method = name.indexOf('.', lastSlash);
        int classEnd = method < 0 ? name.length() : method;
        for (int i = 0; i < classEnd; i++) {
            if (!javaNameChar(name.charAt(i), i > lastSlash)) {
                return false;
            }
        }
        boolean plainMethod = true;
        for (int i = classEnd; i < name.length() && plainMethod; i++) {
            plainMethod = javaNameChar(name.charAt(i), true);
        }
        if (plainMethod) {
            return true;
        }
        for (int i = classEnd + 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '.' || c == ';' || c == '[' || c == '/' || c == '<' || c == '>') {
                return false;
            }
        }
        return classEnd + 1 < name.length();
    }

    /** A character of a Java name as {@link #isJavaName} allows it outside a method name that needs more. */
    private static boolean javaNameChar(char c, boolean afterLastSlash) {
        boolean asciiPart = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                || c == '$'; // Character.isJavaIdentifierPart's answer for ASCII letters, digits, _ and $, without the call
        return asciiPart || c == '/' || c == '.' || c == '<' || c == '>' || (c == '-' && afterLastSlash)
                || ((c < 0x20 || c >= 0x7f) && Character.isJavaIdentifierPart(c));
    }
}
