package io.canaryjudge.qa31;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds the Kotlin quote service ({@code src/test/resources/qa31/QuoteService.kt}) for one variant with
 * kotlin-compiler-embeddable 2.4.21 in a child JVM, into {@code target/qa31/VARIANT/}. The compiler, kotlin-stdlib
 * 2.4.21 and kotlinx-coroutines-core-jvm 1.11.0 come from the local Maven repository
 * ({@code mvn dependency:get -Dartifact=org.jetbrains.kotlin:kotlin-compiler-embeddable:2.4.21}, the same for
 * {@code org.jetbrains.kotlinx:kotlinx-coroutines-core-jvm:1.11.0}); Kotlin is not part of the main build.
 */
final class KotlinBuild {
    private static final String M2 = System.getProperty("user.home") + "/.m2/repository/";
    private static final String K = M2 + "org/jetbrains/kotlin/";

    /** What each variant changes in the source: tokens and their text. */
    static final Map<String, Map<String, String>> VARIANTS = Map.of(
            "aa", tokens("", "Dispatchers.Default", "0.0", "4000"),
            // a suspend function's own body twice as expensive
            "cpu2x", tokens("", "Dispatchers.Default", "0.0", "8000"),
            // a new suspend function (its own coroutine on Dispatchers.Default) per request
            "newpath", tokens("", "Dispatchers.Default", "fraudScore(order)", "4000"),
            // the inline helper mix does twice the work: the cost lands in its callers
            "inline", tokens("h = (h xor (h ushr 31)) * 0x5851f42d4c957f2dL + i", "Dispatchers.Default", "0.0", "4000"),
            // the same pricing work, dispatched to Dispatchers.IO instead of Dispatchers.Default
            "io", tokens("", "Dispatchers.IO", "0.0", "4000"));

    private KotlinBuild() {
    }

    private static Map<String, String> tokens(String mixExtra, String pricing, String fraud, String rounds) {
        return Map.of("__MIX_EXTRA__", mixExtra, "__PRICING__", pricing, "__FRAUD__", fraud,
                "__DISCOUNT_ROUNDS__", rounds);
    }

    /** The run-time class path of the service: kotlin-stdlib and kotlinx-coroutines. */
    static String runtimeClassPath() {
        return String.join(File.pathSeparator, jar(K + "kotlin-stdlib/2.4.21/kotlin-stdlib-2.4.21.jar"),
                jar(M2 + "org/jetbrains/kotlinx/kotlinx-coroutines-core-jvm/1.11.0/kotlinx-coroutines-core-jvm-1.11.0.jar"));
    }

    /** Compiles VARIANT into {@code dir/VARIANT} (again only when its source changed); returns that folder. */
    static Path build(String variant, Path dir) throws IOException, InterruptedException {
        Map<String, String> tokens = VARIANTS.get(variant);
        if (tokens == null) {
            throw new IllegalArgumentException("variant " + variant + ", expected one of " + VARIANTS.keySet());
        }
        String source;
        try (InputStream in = KotlinBuild.class.getResourceAsStream("/qa31/QuoteService.kt")) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            source = source.replace(token.getKey(), token.getValue());
        }
        Path out = dir.resolve(variant);
        Path src = dir.resolve(variant + "-src").resolve("QuoteService.kt");
        if (Files.exists(src) && Files.readString(src).equals(source)
                && Files.exists(out.resolve("com/example/quotes/QuoteServer.class"))) {
            return out;
        }
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        String compiler = String.join(File.pathSeparator,
                jar(K + "kotlin-compiler-embeddable/2.4.21/kotlin-compiler-embeddable-2.4.21.jar"),
                jar(K + "kotlin-stdlib/2.4.21/kotlin-stdlib-2.4.21.jar"),
                jar(K + "kotlin-script-runtime/2.4.21/kotlin-script-runtime-2.4.21.jar"),
                jar(K + "kotlin-reflect/1.6.10/kotlin-reflect-1.6.10.jar"),
                jar(K + "kotlin-daemon-embeddable/2.4.21/kotlin-daemon-embeddable-2.4.21.jar"),
                jar(K + "kotlin-build-tools-api/2.4.21/kotlin-build-tools-api-2.4.21.jar"),
                jar(M2 + "org/jetbrains/intellij/deps/trove4j/1.0.20200330/trove4j-1.0.20200330.jar"),
                jar(M2 + "org/jetbrains/annotations/13.0/annotations-13.0.jar"),
                jar(M2 + "org/jetbrains/kotlinx/kotlinx-coroutines-core-jvm/1.8.0/kotlinx-coroutines-core-jvm-1.8.0.jar"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", compiler, "org.jetbrains.kotlin.cli.jvm.K2JVMCompiler", "-no-stdlib", "-no-reflect",
                "-jvm-target", "17", "-cp", runtimeClassPath(), "-d", out.toString(), src.toString()));
        Path log = dir.resolve(variant + "-kotlinc.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("kotlinc timed out: " + log);
        }
        if (process.exitValue() != 0) {
            throw new IOException("kotlinc failed (" + process.exitValue() + "): " + Files.readString(log));
        }
        return out;
    }

    private static String jar(String path) {
        if (!Files.exists(Path.of(path))) {
            throw new IllegalStateException(String.format(Locale.ROOT, "%s is missing: fetch it with mvn dependency:get", path));
        }
        return path;
    }
}
