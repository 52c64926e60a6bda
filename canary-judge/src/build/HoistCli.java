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
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step, run on the Spring Boot executable jar after {@code repackage} (see canary-judge/pom.xml):
 * makes the command line start without Spring Boot's nested-jar class loader.
 *
 * <ul>
 *   <li>moves the command line's own packages from {@code BOOT-INF/classes/} to the jar's root;</li>
 *   <li>copies the classes of the libraries they use from {@code BOOT-INF/lib/*.jar} to the root
 *       (the nested jars stay, so the service's class path is unchanged; the JVM's class loader is the
 *       parent of Spring Boot's and finds the root copy first, so each class is loaded once);</li>
 *   <li>sets {@code Main-Class} to the launcher, which runs a command itself and hands anything
 *       else to Spring Boot's {@code JarLauncher} ({@code Start-Class} is kept).</li>
 * </ul>
 *
 * Usage: {@code java HoistCli.java JAR MAIN_CLASS PACKAGES LIBRARIES}, where PACKAGES are
 * comma-separated class-path prefixes ({@code io/canaryjudge/cli/}) and LIBRARIES comma-separated
 * jar name prefixes ({@code jackson-core-}). Fails, and leaves the jar alone, when a package or
 * library is missing or two libraries hold the same class, so a renamed dependency cannot silently
 * break the command line.
 */
public final class HoistCli {
    private static final String CLASSES = "BOOT-INF/classes/";
    private static final String LIB = "BOOT-INF/lib/";

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: HoistCli JAR MAIN_CLASS PACKAGES LIBRARIES");
        }
        Path jar = Path.of(args[0]);
        String mainClass = args[1];
        List<String> packages = List.of(args[2].split(","));
        List<String> libraries = List.of(args[3].split(","));
        if (alreadyHoisted(jar, mainClass)) {
            // maven-jar-plugin leaves an up-to-date jar alone, and repackage then skips it: it is this step's own output.
            return;
        }
        Path out = jar.resolveSibling(jar.getFileName() + ".hoisting");
        try (ZipFile source = new ZipFile(jar.toFile());
             ZipOutputStream target = new ZipOutputStream(Files.newOutputStream(out))) {
            Set<String> written = new HashSet<>();
            writeManifest(source, target, mainClass, written);
            Set<String> movedPackages = new HashSet<>();
            List<ZipEntry> libraryJars = new ArrayList<>();
            Set<String> foundLibraries = new HashSet<>();
            for (Enumeration<? extends ZipEntry> e = source.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String name = entry.getName();
                if (name.equals(JarFile.MANIFEST_NAME)) {
                    continue;
                }
                String hoisted = hoistedName(name, packages);
                if (hoisted != null) {
                    movedPackages.add(packageOf(hoisted, packages));
                    if (!entry.isDirectory()) {
                        copy(source, entry, hoisted, target, written);
                    }
                    continue;
                }
                copy(source, entry, name, target, written);
                String library = libraryOf(name, libraries);
                if (library != null) {
                    libraryJars.add(entry);
                    foundLibraries.add(library);
                }
            }
            require(movedPackages, packages, "package");
            require(foundLibraries, libraries, "library");
            for (ZipEntry libraryJar : libraryJars) {
                unpack(source, libraryJar, target, written);
            }
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

    /** The root name of an entry in one of the hoisted packages, or null. */
    private static String hoistedName(String name, List<String> packages) {
        if (!name.startsWith(CLASSES)) {
            return null;
        }
        String path = name.substring(CLASSES.length());
        return packageOf(path, packages) == null ? null : path;
    }

    private static String packageOf(String path, List<String> packages) {
        for (String p : packages) {
            if (path.startsWith(p)) {
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

    /** Copies a nested jar's classes and resources to the root; its META-INF (manifest, signatures, versions) stays behind. */
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
