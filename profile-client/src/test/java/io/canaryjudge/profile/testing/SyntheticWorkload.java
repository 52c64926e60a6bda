package io.canaryjudge.profile.testing;

/**
 * A small, deterministic workload with one CPU-bound and one allocation-bound hot spot under
 * names that are easy to find in a profile. Same code path on every call, no I/O, no locks, no
 * randomness, so two recordings differ only by sampling.
 *
 * <ul>
 *   <li>{@link #mixHashes(int)}: integer hashing in registers, no allocation (CPU samples).</li>
 *   <li>{@link #allocateBuffers(int, int)}: many small arrays (the most allocated objects).</li>
 *   <li>{@link #allocateLargeBuffer(int)}: one larger array per step (fewer objects, similar
 *       bytes), a second allocation site whose byte and object shares differ.</li>
 * </ul>
 */
public final class SyntheticWorkload {
    /** Size of the array {@link #allocateLargeBuffer} makes per step, bytes. */
    public static final int LARGE_BUFFER_BYTES = 128 * 1024;

    private static volatile long cpuSink;
    private static volatile Object allocationSink;

    private SyntheticWorkload() {
    }

    /** One step of the workload: about 2 ms of CPU, about 200 KB of small arrays and one 128 KB array. */
    public static void step() {
        cpuSink += mixHashes(200_000);
        cpuSink += allocateBuffers(1_000, 200);
        cpuSink += allocateLargeBuffer(LARGE_BUFFER_BYTES);
    }

    /** Mixes {@code rounds} integers (MurmurHash3's finaliser); pure CPU, no allocation. */
    public static long mixHashes(int rounds) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < rounds; i++) {
            long k = h + i;
            k ^= k >>> 33;
            k *= 0xff51afd7ed558ccdL;
            k ^= k >>> 33;
            k *= 0xc4ceb9fe1a85ec53L;
            k ^= k >>> 33;
            h = k;
        }
        return h;
    }

    /** Allocates {@code count} byte arrays of {@code size} bytes each and touches each one. */
    public static int allocateBuffers(int count, int size) {
        int sum = 0;
        for (int i = 0; i < count; i++) {
            byte[] buffer = new byte[size];
            buffer[i % size] = (byte) i;
            allocationSink = buffer;
            sum += buffer[0];
        }
        return sum;
    }

    /** Allocates one long array of {@code bytes} bytes (rounded down to 8). */
    public static int allocateLargeBuffer(int bytes) {
        long[] buffer = new long[bytes / Long.BYTES];
        buffer[buffer.length - 1] = bytes;
        allocationSink = buffer;
        return buffer.length;
    }
}
