import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step, run on the Spring Boot executable jar after {@code repackage} (see canary-judge/pom.xml):
 * makes the command line start without Spring Boot's nested-jar class loader, and keeps the jar's
 * root small so that {@code collapse} starts as fast as a small tool.
 *
 * <ul>
 *   <li><b>Root</b>: moves the classes {@code collapse} needs from {@code BOOT-INF/classes/} to the
 *       jar's root and copies the classes of the libraries they use there from
 *       {@code BOOT-INF/lib/*.jar} (the nested jars stay, so the service's class path is unchanged;
 *       the JVM's class loader is the parent of Spring Boot's and finds the root copy first, so
 *       each class is loaded once). The JVM reads the whole central directory of the jar at every
 *       start: each root entry costs every command (~3.3 µs, docs/BENCHMARKS.md).</li>
 *   <li><b>Command jar</b>: writes one more jar, stored uncompressed inside this one, with
 *       everything {@code compare} needs (our packages and their libraries, some also at the root
 *       or in {@code BOOT-INF/}); {@code io.canaryjudge.launch.CommandJar} loads {@code compare}
 *       from it in a class loader of its own.</li>
 *   <li>sets {@code Main-Class} to the launcher, which runs a command itself and hands anything
 *       else to Spring Boot's {@code JarLauncher} ({@code Start-Class} is kept).</li>
 * </ul>
 *
 * Usage: {@code java HoistCli.java JAR MAIN_CLASS ROOT_CLASSES ROOT_LIBRARIES COMMAND_JAR
 * COMMAND_PACKAGES COMMAND_LIBRARIES}. Classes and packages are comma-separated class-path
 * prefixes: one ending in {@code /} is a package ({@code io/canaryjudge/cli/}), any other a class
 * and its nested classes ({@code io/canaryjudge/cli/Cli}). Libraries are comma-separated jar name
 * prefixes ({@code jackson-core-}). COMMAND_JAR is the entry name of the command jar. Fails, and
 * leaves the jar alone, when a class, package or library is missing or two libraries hold the
 * same class, so a renamed dependency cannot silently break the command line.
 */
public final class HoistCli {
    private static final String CLASSES = "BOOT-INF/classes/";
    private static final String LIB = "BOOT-INF/lib/";

    public static void main(String[] args) throws IOException {
        if (args.length != 7) {
            throw new IllegalArgumentException(
                    "usage: HoistCli JAR MAIN_CLASS ROOT_CLASSES ROOT_LIBRARIES COMMAND_JAR COMMAND_PACKAGES COMMAND_LIBRARIES");
        }
        Path jar = Path.of(args[0]);
        String mainClass = args[1];
        List<String> rootClasses = List.of(args[2].split(","));
        List<String> rootLibraries = List.of(args[3].split(","));
        String commandJarName = args[4];
        List<String> commandPackages = List.of(args[5].split(","));
        List<String> commandLibraries = List.of(args[6].split(","));
        if (alreadyHoisted(jar, mainClass)) {
            // maven-jar-plugin leaves an up-to-date jar alone, and repackage then skips it: it is this step's own output.
            return;
        }
        Path out = jar.resolveSibling(jar.getFileName() + ".hoisting");
        ByteArrayOutputStream commandJarBytes = new ByteArrayOutputStream(8 << 20);
        try (ZipFile source = new ZipFile(jar.toFile());
             ZipOutputStream target = new ZipOutputStream(Files.newOutputStream(out))) {
            Set<String> written = new HashSet<>();
            writeManifest(source, target, mainClass, written);
            Set<String> found = new HashSet<>();
            List<ZipEntry> rootJars = new ArrayList<>();
            List<ZipEntry> commandJars = new ArrayList<>();
            try (ZipOutputStream commandJar = new ZipOutputStream(commandJarBytes)) {
                Set<String> inCommandJar = new HashSet<>();
                for (Enumeration<? extends ZipEntry> e = source.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    String name = entry.getName();
                    if (name.equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    String path = name.startsWith(CLASSES) ? name.substring(CLASSES.length()) : null;
                    String rootClass = path == null ? null : matching(path, rootClasses);
                    String commandPackage = path == null ? null : matching(path, commandPackages);
                    if (commandPackage != null) {
                        found.add(commandPackage);
                        if (!entry.isDirectory()) {
                            copy(source, entry, path, commandJar, inCommandJar);
                        }
                    }
                    if (rootClass != null) {
                        found.add(rootClass); // moved: the service finds it at the root, through the parent class loader
                        if (!entry.isDirectory()) {
                            copy(source, entry, path, target, written);
                        }
                        continue;
                    }
                    copy(source, entry, name, target, written);
                    String rootLibrary = libraryOf(name, rootLibraries);
                    if (rootLibrary != null) {
                        rootJars.add(entry);
                        found.add(rootLibrary);
                    }
                    String commandLibrary = libraryOf(name, commandLibraries);
                    if (commandLibrary != null) {
                        commandJars.add(entry);
                        found.add(commandLibrary);
                    }
                }
                require(found, rootClasses, "class or package");
                require(found, rootLibraries, "library");
                require(found, commandPackages, "package");
                require(found, commandLibraries, "library");
                for (ZipEntry library : rootJars) {
                    unpack(source, library, target, written);
                }
                for (ZipEntry library : commandJars) {
                    unpack(source, library, commandJar, inCommandJar);
                }
            }
            writeStored(commandJarName, commandJarBytes.toByteArray(), target, written);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(out);
            throw e;
        }
        Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean alreadyHoisted(Path jar, String mainClass) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            return manifest != null && mainClass.equals(manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS));
        }
    }

    private static void writeManifest(ZipFile source, ZipOutputStream target, String mainClass, Set<String> written)
            throws IOException {
        ZipEntry entry = source.getEntry(JarFile.MANIFEST_NAME);
        if (entry == null) {
            throw new IllegalStateException(source.getName() + " has no manifest");
        }
        Manifest manifest;
        try (InputStream in = source.getInputStream(entry)) {
            manifest = new Manifest(in);
        }
        Attributes main = manifest.getMainAttributes();
        if (main.getValue("Start-Class") == null) {
            throw new IllegalStateException(source.getName() + " is not a Spring Boot executable jar (no Start-Class)");
        }
        main.put(Attributes.Name.MAIN_CLASS, mainClass);
        ZipEntry copy = new ZipEntry(JarFile.MANIFEST_NAME);
        copy.setTime(entry.getTime());
        target.putNextEntry(copy);
        manifest.write(target);
        target.closeEntry();
        written.add(JarFile.MANIFEST_NAME);
    }

    /**
     * The prefix of {@code prefixes} that {@code path} (relative to {@code BOOT-INF/classes/})
     * falls under, or null: a package prefix ({@code .../}) takes everything below it, a class
     * prefix the class and its nested classes.
     */
    private static String matching(String path, List<String> prefixes) {
        for (String p : prefixes) {
            boolean match = p.endsWith("/")
                    ? path.startsWith(p)
                    : path.equals(p + ".class") || path.startsWith(p + "$");
            if (match) {
                return p;
            }
        }
        return null;
    }

    private static String libraryOf(String name, List<String> libraries) {
        if (!name.startsWith(LIB) || !name.endsWith(".jar")) {
            return null;
        }
        String file = name.substring(LIB.length());
        for (String library : libraries) {
            if (file.startsWith(library) && file.length() > library.length()
                    && Character.isDigit(file.charAt(library.length()))) {
                return library;
            }
        }
        return null;
    }

    private static void require(Set<String> found, List<String> wanted, String what) {
        for (String w : wanted) {
            if (!found.contains(w)) {
                throw new IllegalStateException("no " + what + " " + w + " in the jar: update canary-judge/pom.xml");
            }
        }
    }

    /** Copies one entry, keeping nested jars stored (uncompressed), as Spring Boot's loader requires. */
    private static void copy(ZipFile source, ZipEntry entry, String name, ZipOutputStream target, Set<String> written)
            throws IOException {
        if (!written.add(name)) {
            throw new IllegalStateException("duplicate entry " + name);
        }
        ZipEntry copy = new ZipEntry(name);
        copy.setTime(entry.getTime());
        if (entry.getMethod() == ZipEntry.STORED) {
            copy.setMethod(ZipEntry.STORED);
            copy.setSize(entry.getSize());
            copy.setCompressedSize(entry.getSize());
            copy.setCrc(entry.getCrc());
        }
        target.putNextEntry(copy);
        try (InputStream in = source.getInputStream(entry)) {
            in.transferTo(target);
        }
        target.closeEntry();
    }

    /** Writes {@code bytes} as a stored (uncompressed) entry: the launcher copies it out as it is. */
    private static void writeStored(String name, byte[] bytes, ZipOutputStream target, Set<String> written)
            throws IOException {
        if (!written.add(name)) {
            throw new IllegalStateException("duplicate entry " + name);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        entry.setCrc(crc.getValue());
        target.putNextEntry(entry);
        target.write(bytes);
        target.closeEntry();
    }

    /** Copies a nested jar's classes and resources to {@code target}; its META-INF (manifest, signatures, versions) stays behind. */
    private static void unpack(ZipFile source, ZipEntry libraryJar, ZipOutputStream target, Set<String> written)
            throws IOException {
        Path tmp = Files.createTempFile("hoist", ".jar");
        try {
            try (InputStream in = source.getInputStream(libraryJar); OutputStream o = Files.newOutputStream(tmp)) {
                in.transferTo(o);
            }
            try (ZipFile library = new ZipFile(tmp.toFile())) {
                for (Enumeration<? extends ZipEntry> e = library.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    String name = entry.getName();
                    if (entry.isDirectory() || name.startsWith("META-INF/") || name.equals("module-info.class")) {
                        continue;
                    }
                    if (written.contains(name)) {
                        throw new IllegalStateException(libraryJar.getName() + " holds " + name + ", already in the jar");
                    }
                    copy(library, entry, name, target, written);
                }
            }
        } finally {
            Files.delete(tmp);
        }
    }
}
