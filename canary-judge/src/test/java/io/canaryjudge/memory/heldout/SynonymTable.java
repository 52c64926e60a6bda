package io.canaryjudge.memory.heldout;

import java.util.SplittableRandom;

/** The {@code bigger-flat} variant: a synonym table of {@code mib} MiB loaded once at start and kept. */
final class SynonymTable {
    private final int[][] blocks;

    private SynonymTable(int[][] blocks) {
        this.blocks = blocks;
    }

    static SynonymTable load(int mib, SplittableRandom random) {
        int[][] blocks = new int[mib][];
        for (int i = 0; i < mib; i++) {
            blocks[i] = new int[(1 << 20) / 4];
            for (int j = 0; j < blocks[i].length; j += 64) {
                blocks[i][j] = random.nextInt();
            }
        }
        return new SynonymTable(blocks);
    }

    int lookup(int key) {
        int[] block = blocks[key % blocks.length];
        return block[(key >>> 6) % block.length];
    }
}
