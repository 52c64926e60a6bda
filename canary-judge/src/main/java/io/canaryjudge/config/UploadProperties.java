package io.canaryjudge.config;

import io.canaryjudge.profile.ReadOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of multipart uploads ({@code canary-judge.upload.*}). An upload is held in memory for one analysis;
 * with {@code canary-judge.analysis.max-concurrent} analyses at once, memory for uploads stays below
 * max-concurrent × max-total-size (plus what the profiles inflate to, bounded by max-decompressed-size per file).
 *
 * @param maxFileSize         one uploaded file
 * @param maxTotalSize        all files of one request
 * @param maxFiles            files in one request
 * @param maxDecompressedSize what one gzipped file may inflate to
 * @param maxStackDepth       frames in one stack of an uploaded profile; a deeper stack makes the upload invalid (400).
 *                            Recordings made with a deeper async-profiler {@code jstackdepth} need it raised; at most
 *                            1,000,000, since each stack is read into arrays of its declared depth
 */
@ConfigurationProperties("canary-judge.upload")
public record UploadProperties(@DefaultValue("32MB") DataSize maxFileSize, @DefaultValue("128MB") DataSize maxTotalSize,
                               @DefaultValue("500") int maxFiles, @DefaultValue("256MB") DataSize maxDecompressedSize,
                               @DefaultValue("8192") int maxStackDepth) {

    private static final String P = "canary-judge.upload.";

    public UploadProperties {
        positive(maxFileSize, P + "max-file-size");
        positive(maxTotalSize, P + "max-total-size");
        positive(maxDecompressedSize, P + "max-decompressed-size");
        PropertyCheck.atLeast(maxFiles, 1, P + "max-files");
        if (maxStackDepth < 1 || maxStackDepth > 1_000_000) {
            throw new IllegalArgumentException(P + "max-stack-depth must be from 1 to 1000000 (frames), was "
                    + maxStackDepth);
        }
        if (maxFileSize.compareTo(maxTotalSize) > 0) {
            throw new IllegalArgumentException(P + "max-file-size (" + maxFileSize + ") must not exceed " + P
                    + "max-total-size (" + maxTotalSize + ")");
        }
        if (maxTotalSize.toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(P + "max-total-size must be below 2GB, was " + maxTotalSize);
        }
    }

    public static UploadProperties defaults() {
        return new UploadProperties(DataSize.ofMegabytes(32), DataSize.ofMegabytes(128), 500, DataSize.ofMegabytes(256),
                ReadOptions.DEFAULT_MAX_STACK_DEPTH);
    }

    private static void positive(DataSize size, String property) {
        if (size == null || size.toBytes() <= 0) {
            throw new IllegalArgumentException(property + " must be a positive size (e.g. 32MB), was " + size);
        }
    }
}
