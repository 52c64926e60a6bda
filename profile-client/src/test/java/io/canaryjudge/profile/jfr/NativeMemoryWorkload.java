package io.canaryjudge.profile.jfr;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import one.profiler.AsyncProfiler;
import sun.misc.Unsafe;

/**
 * Records {@code resources/jfr/nativemem.jfr.gz} (qa48; README there): run in its own JVM under async-profiler 4.2
 * {@code nativemem=16384}, it allocates native memory at three sites for {@value #SECONDS} seconds: 64 KiB blocks kept
 * ({@link #keepBlock}: the leak), 64 KiB blocks freed at once ({@link #freeBlock}) and a {@link Deflater} per round,
 * ended ({@link #deflate}). Argument: the JFR file to write.
 */
public final class NativeMemoryWorkload {
    static final int SECONDS = 3;
    static final long BLOCK_BYTES = 64 * 1024;
    private static final Unsafe UNSAFE = unsafe();
    private static final List<Long> KEPT = new ArrayList<>();
    private static final byte[] TEXT = "{\"order\":42,\"items\":[1,2,3],\"note\":\"native allocation sites\"}"
            .repeat(40).getBytes(StandardCharsets.UTF_8);

    private NativeMemoryWorkload() {
    }

    public static void main(String[] args) throws Exception {
        AsyncProfiler profiler = AsyncProfiler.getInstance();
        profiler.execute("start,nativemem=16384,jfr,file=" + args[0]);
        long sink = 0;
        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
        try {
            while (System.nanoTime() < end) {
                keepBlock();
                freeBlock();
                freeBlock();
                sink += deflate();
                Thread.sleep(50);
            }
        } finally {
            profiler.execute("stop");
        }
        System.out.println("kept " + KEPT.size() + " blocks, sink " + sink);
    }

    /** A 64 KiB block written and kept: never freed. */
    static void keepBlock() {
        long address = UNSAFE.allocateMemory(BLOCK_BYTES);
        UNSAFE.setMemory(address, BLOCK_BYTES, (byte) 1);
        KEPT.add(address);
    }

    /** A 64 KiB block written and freed. */
    static void freeBlock() {
        long address = UNSAFE.allocateMemory(BLOCK_BYTES);
        UNSAFE.setMemory(address, BLOCK_BYTES, (byte) 2);
        UNSAFE.freeMemory(address);
    }

    /** zlib's deflate state, malloc'ed by deflateInit2 and freed by end(). */
    static int deflate() {
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(TEXT);
            deflater.finish();
            byte[] out = new byte[TEXT.length];
            return deflater.deflate(out);
        } finally {
            deflater.end();
        }
    }

    private static Unsafe unsafe() {
        try {
            Field field = Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (Unsafe) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
