package io.canaryjudge.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a command from the command jar the build stores inside the executable jar
 * ({@code commands/compare.jar}, written by {@code src/build/HoistCli.java}): {@code compare}
 * and everything it loads (the judge, Jackson, SnakeYAML, Commons Math), kept out of the jar's
 * root because the JVM reads the root's whole central directory at every start, also for
 * {@code collapse}.
 *
 * <p>The JDK cannot open a jar inside a jar, so the command jar is copied to a new file in
 * {@code java.io.tmpdir} (about 5 MB, a few milliseconds), opened by a {@link URLClassLoader} whose parent is the
 * platform class loader (the command sees only itself and the JDK, never the root's copies of
 * the same classes), and deleted as soon as it is open. Not used when the classes are on the
 * class path (tests, an IDE): {@link #run} then returns null.
 */
final class CommandJar {
    /** The command jar's entry name in the executable jar; HoistCli's COMMAND_JAR argument in canary-judge/pom.xml. */
    static final String ENTRY = "commands/compare.jar";
    private static final String CLI = "io.canaryjudge.cli.Cli";

    private CommandJar() {
    }

    /**
     * Runs {@code io.canaryjudge.cli.Cli.run(args, out, err)} from the command jar.
     *
     * @return the exit status, or null when this class was not loaded from an executable jar
     *         holding the command jar
     */
    static Integer run(String[] args, PrintStream out, PrintStream err) {
        URL entry = CommandJar.class.getResource("/" + ENTRY);
        if (entry == null || !"jar".equals(entry.getProtocol())) {
            return null;
        }
        Path copy;
        try {
            copy = createCopyFile();
        } catch (IOException | RuntimeException e) {
            err.println("canary-judge: cannot create a temporary file for the command's classes in "
                    + System.getProperty("java.io.tmpdir") + " (set -Djava.io.tmpdir): " + e);
            return 70;
        }
        try {
            try (InputStream in = entry.openStream(); OutputStream file = Files.newOutputStream(copy)) {
                byte[] buffer = new byte[COPY_BUFFER_BYTES];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    file.write(buffer, 0, n);
                }
            }
            URLClassLoader loader = new URLClassLoader("canary-judge-commands", new URL[] {copy.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Method run = Class.forName(CLI, true, loader)
                    .getMethod("run", String[].class, PrintStream.class, PrintStream.class);
            deleteOpenFile(copy);
            return (Integer) run.invoke(null, args, out, err);
        } catch (InvocationTargetException e) {
            // Cli.run reports its own failures; this is only what escaped it.
            err.println(("canary-judge: internal error: " + e.getCause()).replaceAll("[\\r\\n]+", " "));
            return 70;
        } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
            err.println(("canary-judge: cannot load the command from " + ENTRY + " in the jar (copied to " + copy
                    + "): " + e).replaceAll("[\\r\\n]+", " "));
            return 70;
        } finally {
            deleteOpenFile(copy);
        }
    }

    /** 256 KiB: the 5 MB copy in 20 reads instead of 600 with Files.copy's 8 KiB. */
    private static final int COPY_BUFFER_BYTES = 1 << 18;

    /**
     * A new, empty file in {@code java.io.tmpdir}. Not {@link Files#createTempFile}: its random
     * name comes from {@code SecureRandom}, whose set-up (security providers, a seed from the OS,
     * SHA) took 23 ms of a command's start, and {@code ProcessHandle}'s process id another 10 ms
     * (lambdas, an executor). The name here comes from the clock; {@code CREATE_NEW} refuses any
     * existing file or link, so it is never someone else's file, and a clash takes the next name.
     */
    private static Path createCopyFile() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        for (int attempt = 0; ; attempt++) {
            long unique = System.nanoTime() + attempt;
            Path file = dir.resolve("canary-judge-commands-" + Long.toUnsignedString(unique, 36) + ".jar");
            try {
                return Files.createFile(file); // CREATE_NEW
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * Deletes the copy: on Linux and macOS at once (the class loader keeps the open file), where a
     * file system refuses that (Windows) when the JVM exits.
     */
    private static void deleteOpenFile(Path copy) {
        try {
            Files.deleteIfExists(copy);
        } catch (IOException | RuntimeException stillOpen) {
            copy.toFile().deleteOnExit();
        }
    }
}
