package io.canaryjudge.profile.testing;

/**
 * A deterministic workload with many distinct call stacks, as a large service has: each step
 * walks a path through a tree of four methods ({@code alpha}, {@code beta}, {@code gamma},
 * {@code delta}) {@value #DEPTH} levels deep, chosen by the bits of a step counter, and ends in
 * CPU work or allocation. Up to 4<sup>{@value #DEPTH}</sup> distinct stacks, so readers and
 * collapsers are measured on stack interning, not just on event decoding.
 */
public final class CallTreeWorkload {
    /** Levels of the call tree below {@link #step()}. */
    public static final int DEPTH = 6;

    private static volatile long sink;
    private static int counter;

    private CallTreeWorkload() {
    }

    /** One step: one root-to-leaf walk; about 0.1 ms of CPU. */
    public static void step() {
        int path = (counter++ * 0x9E3779B1) >>> 8; // 24 bits: 2 per level, the rest picks the leaf
        sink += branch(path, DEPTH);
    }

    private static long branch(int path, int depth) {
        if (depth == 0) {
            return (path & 1) == 0 ? SyntheticWorkload.mixHashes(20_000) : SyntheticWorkload.allocateBuffers(200, 128);
        }
        return switch (path & 3) {
            case 0 -> alpha(path >>> 2, depth - 1);
            case 1 -> beta(path >>> 2, depth - 1);
            case 2 -> gamma(path >>> 2, depth - 1);
            default -> delta(path >>> 2, depth - 1);
        };
    }

    private static long alpha(int path, int depth) {
        return branch(path, depth) + 1;
    }

    private static long beta(int path, int depth) {
        return branch(path, depth) + 2;
    }

    private static long gamma(int path, int depth) {
        return branch(path, depth) + 3;
    }

    private static long delta(int path, int depth) {
        return branch(path, depth) + 4;
    }
}
