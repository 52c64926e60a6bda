package io.canaryjudge.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link FrameNames} are hand-written for start-up speed; the regexes they replaced
 * are their specification. Random names built from the pieces those rules look at must come out
 * the same both ways.
 */
class FrameNamesHandWrittenRulesTest {
    private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda(?:_(?![\\w$])|(?:\\$\\d+)?"
            + "(?:\\+0x[0-9a-fA-F]+(?:[/.]\\d+(?![\\w$]))?|[/.](?:0x)?[0-9a-fA-F]+(?![\\w$]))?)");
    private static final Pattern HIDDEN_CLASS_SUFFIX =
            Pattern.compile("\\+0x[0-9a-fA-F]+(?:[/.]\\d+(?![\\w$]))?|[/.]0x[0-9a-fA-F]+");
    private static final String[] PIECES = {
        "$$Lambda", "$$Lambda", "$", "$", "+0x", "0x", "/", ".", "_", "1", "45", "7f1b", "c0c4",
        "0000000800c1b840", "g", "Z", "x", "a", ";", " ", "-", "(", "run", "Foo", "$MH",
    };

    @Test
    void lambdaRuleAgreesWithItsRegex() {
        SplittableRandom random = new SplittableRandom(20261125);
        for (int i = 0; i < 200_000; i++) {
            String name = randomName(random, PIECES, 9);
            assertEquals(LAMBDA.matcher(name).replaceAll("\\$\\$Lambda"), FrameNames.stripLambdaSuffixes(name), name);
        }
    }

    @Test
    void hiddenClassRuleAgreesWithItsRegex() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            String name = randomName(random, PIECES, 9);
            assertEquals(HIDDEN_CLASS_SUFFIX.matcher(name).replaceAll(""), FrameNames.stripHiddenClassSuffixes(name), name);
        }
    }

    /** The generated-name rules as regexes, in order, each with the literal the hand-written code checks first. */
    private static final Object[][] GENERATED_NAME_RULES = {
        {"CGLIB", Pattern.compile("\\$\\$(\\w*CGLIB\\w*)\\$\\$\\w+"), "\\$\\$$1"},
        {"$", Pattern.compile("\\$(ByteBuddy|HibernateProxy|MockitoMock)\\$\\w+"), "\\$$1"},
        {"$", Pattern.compile("\\$auxiliary\\$\\w+"), "\\$auxiliary"},
        {"$", Pattern.compile("\\$Proxy\\d+"), "\\$Proxy"},
        {"", Pattern.compile("(?<![\\w$])jdk[/.]proxy\\d+"), "jdk.proxy"},
        {"", Pattern.compile("(Generated\\w*?Accessor)(?:\\d+|_(?![\\w$]))"), "$1"},
        {".so", Pattern.compile("-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?=\\.so|-)"), ""},
        {"", Pattern.compile("-?\\d{10,}(?=\\.so)"), ""},
        {"Script", Pattern.compile("(?<![\\w$./])Script\\d+(?!\\w)"), "Script"},
        {"javascript", Pattern.compile("(org[/.]mozilla[/.]javascript[/.]gen[/.]\\w*_)\\d+(?=(?:ojsc\\d+)?(?!\\w))"), "$1"},
    };
    private static final String[] GENERATED_NAME_PIECES = {
        "$$", "$", "$", "CGLIB", "EnhancerBy", "$ByteBuddy$", "$HibernateProxy$", "$MockitoMock$", "$auxiliary$",
        "$Proxy", "jdk", "/", ".", "proxy", "Generated", "Method", "Accessor", "Accessor", "_", "1", "42",
        "0123456789", "98765", "-", "-", "d1f9bd24", "4cc8", "1698b83f1af1", ".so", ".so", "a", "x", " ", ";", "lib",
        "Script", "Script", "org/mozilla/javascript/gen/", "org.mozilla.javascript.gen.", "ojsc", "_js_", "_c_", "0",
    };

    @Test
    void generatedNameRulesAgreeWithTheirRegexes() {
        SplittableRandom random = new SplittableRandom(2026);
        for (int i = 0; i < 400_000; i++) {
            String name = randomName(random, GENERATED_NAME_PIECES, 12);
            String expected = name;
            for (Object[] rule : GENERATED_NAME_RULES) {
                if (expected.contains((String) rule[0])) {
                    expected = ((Pattern) rule[1]).matcher(expected).replaceAll((String) rule[2]);
                }
            }
            assertEquals(expected, FrameNames.stripGeneratedNameSuffixes(name), name);
        }
    }

    /** The first {@link #PLAIN_FIRST} pieces can make a plain name; the rest never do. */
    private static final int PLAIN_FIRST = 29;
    private static final String[] PLAIN_PIECES = {
        "java", "/", ".", "_", "Foo", "run", "0", "x", "0x", "12", "Generated", "Accessor", "jdk", "proxy", "so", ".so",
        "lib", "a", "Z", "9", "$", "$$", "CGLIB", "$Proxy", "$auxiliary$", "Script", "org/mozilla/javascript/gen/",
        "org.mozilla.javascript.gen.", "ojsc",
        "$$Lambda", "$ByteBuddy$", "(", ":", " ", "-", "<init>", "[j]", "+0x1f/12", "$$Lambda$45/0x0000000800c1b840",
    };

    /** The shortcut for plain names gives what all the rules give. */
    @Test
    void plainNameShortcutAgreesWithAllRules() {
        SplittableRandom random = new SplittableRandom(7);
        int plain = 0;
        for (int i = 0; i < 300_000; i++) {
            StringBuilder built = new StringBuilder();
            for (int n = random.nextInt(1, 8); n > 0; n--) {
                built.append(PLAIN_PIECES[random.nextInt(random.nextBoolean() ? PLAIN_FIRST : PLAIN_PIECES.length)]);
            }
            String name = built.toString();
            String all = FrameNames.normalizeAnyName(name);
            assertEquals(all, FrameNames.normalize(name), name);
            if (all.equals(name.replace('/', '.')) || all.equals(name)) {
                plain++;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(plain > 50_000, "too few plain names drawn: " + plain);
    }

    @Test
    void generatedNamesInRealForms() {
        assertEquals("com.example.Service$$EnhancerBySpringCGLIB.run",
                FrameNames.normalize("com/example/Service$$EnhancerBySpringCGLIB$$5a3b9c1d.run"));
        assertEquals("com.example.Repo$ByteBuddy.save", FrameNames.normalize("com.example.Repo$ByteBuddy$AbC123.save"));
        assertEquals("jdk.proxy.$Proxy.invoke", FrameNames.normalize("jdk/proxy2/$Proxy12.invoke"));
        assertEquals("jdk.internal.reflect.GeneratedMethodAccessor.invoke",
                FrameNames.normalize("jdk/internal/reflect/GeneratedMethodAccessor123.invoke"));
        assertEquals("jdk.internal.reflect.GeneratedMethodAccessor.invoke",
                FrameNames.normalize("jdk.internal.reflect.GeneratedMethodAccessor_.invoke"));
        assertEquals("./tmp/snappy-1.1.8-libsnappyjava.so",
                FrameNames.normalize("./tmp/snappy-1.1.8-d1f9bd24-4cc8-4571-b71c-1698b83f1af1-libsnappyjava.so"));
        assertEquals("/tmp/libasyncProfiler.so", FrameNames.normalize("/tmp/libasyncProfiler-10950710338813627510.so"));
    }

    /** Script classes named by a compile counter, as recorded from Groovy 5.0.8 and Rhino 1.9.2 (qa29). */
    @Test
    void scriptEngineClassesLoseTheirCompileCounter() {
        assertEquals("Script.score", FrameNames.normalize("Script6.score"));
        assertEquals("Script.score", FrameNames.normalize("Script12.score([D[II)D_[j]"));
        assertEquals("Script$_run_closure1.doCall", FrameNames.normalize("Script3$_run_closure1.doCall"));
        assertEquals("org.mozilla.javascript.gen.risk_js_._c_risk_0",
                FrameNames.normalize("org.mozilla.javascript.gen.risk_js_2._c_risk_0"));
        assertEquals("org.mozilla.javascript.gen.risk_js_ojsc0.execute",
                FrameNames.normalize("org/mozilla/javascript/gen/risk_js_17ojsc0.execute"));
        assertEquals("org.mozilla.javascript.gen.c_._c_script_0",
                FrameNames.normalize("org.mozilla.javascript.gen.c_3._c_script_0"));
        // not generated: a class of the application's own named like one, or Rhino's own code
        assertEquals("com.example.Script2.run", FrameNames.normalize("com/example/Script2.run"));
        assertEquals("ScriptRunner.run", FrameNames.normalize("ScriptRunner.run"));
        assertEquals("org.mozilla.javascript.ScriptRuntime.doTopCall",
                FrameNames.normalize("org/mozilla/javascript/ScriptRuntime.doTopCall"));
    }

    @Test
    void realForms() {
        assertEquals("com.example.Foo$$Lambda.run",
                FrameNames.normalize("com/example/Foo$$Lambda$45/0x0000000800c1b840.run"));
        assertEquals("com.example.Foo$$Lambda.run",
                FrameNames.normalize("com.example.Foo$$Lambda+0x00007f1b6c031c60/1262607708.run"));
        assertEquals("java.lang.invoke.LambdaForm$MH.invoke",
                FrameNames.normalize("java/lang/invoke/LambdaForm$MH/0x0000000800c0c400.invoke"));
        assertEquals("com.example.Foo$$Lambda.run", FrameNames.normalize("com.example.Foo$$Lambda_.run"));
        assertEquals("com.example.Foo.bar", FrameNames.normalize("com/example/Foo.bar:123"));
        assertEquals("com.example.Foo.bar", FrameNames.normalize("com.example.Foo.bar(I)V_[j]"));
        // JFR's generated event handlers carry a '-' in the class name; native library paths keep their slashes.
        assertEquals("jdk.jfr.internal.handlers.EventHandler4285_1795627074943-26102.write",
                FrameNames.normalize("jdk/jfr/internal/handlers/EventHandler4285_1795627074943-26102.write"));
        assertEquals("./lib/x86_64-linux-gnu/libc-2.31.so", FrameNames.normalize("./lib/x86_64-linux-gnu/libc-2.31.so"));
    }

    /** A name of 1 to {@code maxPieces − 1} pieces drawn at random. */
    private static String randomName(SplittableRandom random, String[] pieces, int maxPieces) {
        StringBuilder name = new StringBuilder();
        for (int n = random.nextInt(1, maxPieces); n > 0; n--) {
            name.append(pieces[random.nextInt(pieces.length)]);
        }
        return name.toString();
    }
}
