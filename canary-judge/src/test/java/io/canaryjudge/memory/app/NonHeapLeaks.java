package io.canaryjudge.memory.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import sun.misc.Unsafe;

/**
 * The memory kept outside the Java heap by the non-heap variants: what OOM-kills a pod while its heap after GC
 * stays flat. Rates at {@value OrderService#REQUESTS_PER_SECOND} requests per second.
 */
public final class NonHeapLeaks {
    /**
     * One class loader (with one class) per this many requests: 375 loaders a minute, about 2 KiB of metaspace each
     * (0.7 MiB a minute, 1 GiB in a day). The first recorded pod ({@code leak-classes-1}) ran with 10: 0.28 MiB a minute.
     */
    public static final int REQUESTS_PER_LOADER = 4;
    /** One 4 KiB direct buffer per this many requests: 0.73 MiB a minute. */
    public static final int REQUESTS_PER_BUFFER = 8;
    /** One parked thread per this many requests: 6 a minute, 8,640 a day. */
    public static final int REQUESTS_PER_THREAD = 250;
    /** One 4 KiB native block ({@code malloc} through {@code Unsafe.allocateMemory}) per this many requests: 0.73 MiB a minute. */
    public static final int REQUESTS_PER_NATIVE_BLOCK = 8;
    private static final long NATIVE_BLOCK_BYTES = 4096;
    /** One {@link Inflater} kept without {@code end()} per this many requests (qa48). */
    public static final int REQUESTS_PER_INFLATER = 8;
    private static final Unsafe UNSAFE = unsafe();
    private static final List<Long> NATIVE_BLOCKS = new ArrayList<>();
    private static final String PLUGIN = Plugin.class.getName();
    private static final byte[] PLUGIN_BYTES = pluginBytes();
    private static final List<Object> KEPT = new ArrayList<>();

    private NonHeapLeaks() {
    }

    /** The class each leaked loader defines; its instance is kept with the loader. */
    public static final class Plugin {
        private final long[] settings = new long[4];

        @Override
        public String toString() {
            return "plugin " + settings.length;
        }
    }

    /** A loader that defines its own copy of {@link Plugin} (never its parent's): one more class in metaspace. */
    private static final class PluginLoader extends ClassLoader {
        PluginLoader() {
            super(NonHeapLeaks.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(PLUGIN)) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> loaded = findLoadedClass(name);
                    return loaded != null ? loaded : defineClass(name, PLUGIN_BYTES, 0, PLUGIN_BYTES.length);
                }
            }
            return super.loadClass(name, resolve);
        }
    }

    static void classLoader(long id) {
        if (id % REQUESTS_PER_LOADER == 0) {
            keep(newPlugin());
        }
    }

    static void directBuffer(long id) {
        if (id % REQUESTS_PER_BUFFER == 0) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
            buffer.putLong(0, id);
            keep(buffer);
        }
    }

    static void parkedThread(long id) {
        if (id % REQUESTS_PER_THREAD == 0) {
            keep(parked("listener-" + id));
        }
    }

    /**
     * A native block written (so it is resident, as memory a library uses is) and its address kept: what a JNI library
     * that never frees, or an {@code Inflater} never ended, does outside every pool the JVM reports.
     */
    static void nativeBlock(long id) {
        if (id % REQUESTS_PER_NATIVE_BLOCK == 0) {
            long address = UNSAFE.allocateMemory(NATIVE_BLOCK_BYTES);
            UNSAFE.setMemory(address, NATIVE_BLOCK_BYTES, (byte) 1);
            synchronized (NATIVE_BLOCKS) {
                NATIVE_BLOCKS.add(address);
            }
        }
    }

    /**
     * An {@link Inflater} that inflates the compressed response and is kept, never ended: zlib's stream state
     * ({@code inflateInit2_}, ~7 KiB: recorded, qa48, 1.1 to 1.3 MiB a minute) stays {@code malloc}ed, as in code that
     * forgets {@code end()} on a pooled or cached inflater (kept reachable, so no cleaner frees it either).
     */
    static void keptInflater(long id, byte[] body) {
        if (id % REQUESTS_PER_INFLATER != 0) {
            return;
        }
        Deflater deflater = new Deflater();
        byte[] compressed = new byte[body.length + 64];
        deflater.setInput(body);
        deflater.finish();
        int length = deflater.deflate(compressed);
        deflater.end();
        Inflater inflater = new Inflater();
        inflater.setInput(compressed, 0, length);
        try {
            inflater.inflate(new byte[body.length]);
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        }
        keep(inflater);
    }

    /**
     * An {@link Inflater} as in {@link #keptInflater} but dropped without {@code end()} (qa51): nothing keeps it, so its
     * native state is freed by the JDK's {@code Cleaner} once a collection finds it unreachable, not by the request.
     */
    static void droppedInflater(long id, byte[] body) {
        if (id % REQUESTS_PER_INFLATER != 0) {
            return;
        }
        Deflater deflater = new Deflater();
        byte[] compressed = new byte[body.length + 64];
        deflater.setInput(body);
        deflater.finish();
        int length = deflater.deflate(compressed);
        deflater.end();
        Inflater inflater = new Inflater();
        inflater.setInput(compressed, 0, length);
        try {
            inflater.inflate(new byte[body.length]);
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The response's compressed length: a {@link Deflater} per request, ended, its native state freed (qa48). */
    static int compressed(byte[] body) {
        Deflater deflater = new Deflater();
        try {
            byte[] compressed = new byte[body.length + 64];
            deflater.setInput(body);
            deflater.finish();
            return deflater.deflate(compressed);
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

    /** The larger but flat set-up of {@code bigger-nonheap}. */
    static synchronized void bigger() {
        for (int i = 0; i < 100; i++) {
            keep(parked("worker-" + i));
        }
        ByteBuffer big = ByteBuffer.allocateDirect(32 << 20);
        for (int i = 0; i < big.capacity(); i += 4096) {
            big.put(i, (byte) 1); // touched: resident, as a buffer in use is
        }
        keep(big);
        for (int i = 0; i < 2_000; i++) {
            keep(newPlugin());
        }
    }

    private static Object newPlugin() {
        try {
            return new PluginLoader().loadClass(PLUGIN).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Thread parked(String name) {
        Thread thread = new Thread(() -> {
            while (true) {
                LockSupport.park();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void keep(Object object) {
        synchronized (KEPT) {
            KEPT.add(object);
        }
    }

    private static byte[] pluginBytes() {
        String resource = PLUGIN.replace('.', '/') + ".class";
        try (InputStream in = NonHeapLeaks.class.getClassLoader().getResourceAsStream(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
