package io.canaryjudge.heldout.recording;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictTrainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How the held-out recordings are committed: every slice as its own file, its pprof bytes
 * compressed with zstd against one dictionary trained on all slices ({@code slices.dict}) instead
 * of gzip. Why, measured on the first recordings: a gzipped slice of the search service was
 * 53–62 KB (~1,900 distinct frames, most of the bytes the same Lucene/H2/JVM names repeated in every
 * slice's string table); several hundred slices would have been 15–20 MB. Against a shared
 * dictionary each slice keeps only what differs from the others.
 *
 * <p>Readers get the plain pprof bytes ({@link #read}); {@code --unpack DIR} writes the usual
 * gzipped pprof folders ({@code slice-K.pb.gz}) for the compare CLI.
 *
 * <pre>
 * java -cp CLASSPATH io.canaryjudge.heldout.recording.RecordingArchive --pack SCRATCH RESOURCES
 * java -cp CLASSPATH io.canaryjudge.heldout.recording.RecordingArchive --unpack RESOURCES DIR
 * </pre>
 */
public final class RecordingArchive {
    /** File name of the dictionary at the root of the committed folder. */
    public static final String DICTIONARY = "slices.dict";
    /** Extension of a committed slice. */
    public static final String SLICE_EXTENSION = ".pb.zst";
    private static final int DICTIONARY_BYTES = 256 * 1024;
    private static final int LEVEL = 19;

    private final byte[] dictionary;

    private RecordingArchive(byte[] dictionary) {
        this.dictionary = dictionary;
    }

    /** The archive rooted at {@code root} (the folder holding {@value #DICTIONARY}). */
    public static RecordingArchive at(Path root) throws IOException {
        Path file = root.resolve(DICTIONARY);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + DICTIONARY + " in " + root + ": not a held-out recording folder");
        }
        return new RecordingArchive(Files.readAllBytes(file));
    }

    /** The pprof bytes of one committed slice. */
    public byte[] read(Path slice) throws IOException {
        byte[] compressed = Files.readAllBytes(slice);
        long size = Zstd.getFrameContentSize(compressed);
        if (size <= 0 || size > 64L * 1024 * 1024) {
            throw new IOException(slice + ": not a zstd frame with a known content size (" + size + ")");
        }
        try (ZstdDecompressCtx context = new ZstdDecompressCtx()) {
            context.loadDict(dictionary);
            return context.decompress(compressed, (int) size);
        } catch (RuntimeException e) {
            throw new IOException(slice + ": cannot decompress with " + DICTIONARY + ": " + e.getMessage(), e);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("--pack")) {
            pack(Path.of(args[1]), Path.of(args[2]));
        } else if (args.length == 3 && args[0].equals("--unpack")) {
            unpack(Path.of(args[1]), Path.of(args[2]));
        } else {
            throw new IllegalArgumentException("usage: --pack SCRATCH RESOURCES | --unpack RESOURCES DIR");
        }
    }

    /**
     * Packs a {@link RecordHeldOut} scratch folder into {@code target} (replaced): the dictionary,
     * every {@code slice-K.pb.gz} as {@code slice-K.pb.zst}, every {@code requests.csv} and
     * {@code scenario.json}; {@code logs/} is left out.
     */
    static void pack(Path scratch, Path target) throws IOException {
        List<Path> slices = files(scratch, ".pb.gz");
        List<byte[]> raw = new ArrayList<>();
        long rawTotal = 0;
        for (Path slice : slices) {
            byte[] bytes = gunzip(slice);
            raw.add(bytes);
            rawTotal += bytes.length;
        }
        ZstdDictTrainer trainer = new ZstdDictTrainer((int) Math.min(Integer.MAX_VALUE - 64, rawTotal + 1024),
                DICTIONARY_BYTES);
        for (byte[] bytes : raw) {
            trainer.addSample(bytes);
        }
        byte[] dictionary = trainer.trainSamples();
        for (String name : List.of(".pb.zst", "requests.csv", "scenario.json")) {
            for (Path old : Files.exists(target) ? files(target, name) : List.<Path>of()) {
                Files.delete(old);
            }
        }
        Files.createDirectories(target);
        Files.write(target.resolve(DICTIONARY), dictionary);
        long packed = dictionary.length;
        try (ZstdCompressCtx context = new ZstdCompressCtx()) {
            context.loadDict(dictionary);
            context.setLevel(LEVEL);
            context.setContentSize(true);
            for (int i = 0; i < slices.size(); i++) {
                String relative = scratch.relativize(slices.get(i)).toString();
                Path out = target.resolve(relative.substring(0, relative.length() - ".pb.gz".length()) + SLICE_EXTENSION);
                Files.createDirectories(out.getParent());
                byte[] compressed = context.compress(raw.get(i));
                Files.write(out, compressed);
                packed += compressed.length;
            }
        }
        for (String name : List.of("requests.csv", "scenario.json")) {
            for (Path file : files(scratch, name)) {
                Path out = target.resolve(scratch.relativize(file).toString());
                Files.createDirectories(out.getParent());
                Files.copy(file, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        long gzipped = 0;
        for (Path slice : slices) {
            gzipped += Files.size(slice);
        }
        System.err.printf(Locale.ROOT, "packed %d slices: %.2f MB as gzipped pprof, %.2f MB with the dictionary "
                + "(%d KB of it)%n", slices.size(), gzipped / 1e6, packed / 1e6, dictionary.length / 1024);
    }

    /** Writes the committed recordings under {@code root} as gzipped pprof folders under {@code out}. */
    static void unpack(Path root, Path out) throws IOException {
        RecordingArchive archive = at(root);
        for (Path slice : files(root, SLICE_EXTENSION)) {
            String relative = root.relativize(slice).toString();
            Path target = out.resolve(relative.substring(0, relative.length() - SLICE_EXTENSION.length()) + ".pb.gz");
            Files.createDirectories(target.getParent());
            try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(target), 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_COMPRESSION);
                }
            }) {
                gz.write(archive.read(slice));
            }
        }
        for (String name : List.of("requests.csv", "scenario.json")) {
            for (Path file : files(root, name)) {
                Path target = out.resolve(root.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .filter(p -> !root.relativize(p).startsWith("logs"))
                    .sorted().toList();
        }
    }

    private static byte[] gunzip(Path file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
