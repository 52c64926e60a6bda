package io.canaryjudge.heldout.search;

import java.util.SplittableRandom;

/**
 * The synthetic catalogue the service indexes and stores: made-up words drawn from a Zipf-like
 * vocabulary (a few words are common, most are rare, as in real text), so queries hit posting lists
 * of very different lengths. Deterministic from its seed: every pod indexes the same documents.
 */
public final class Corpus {
    /** Documents in the catalogue. */
    public static final int DOCUMENTS = 12_000;
    private static final int VOCABULARY = 4_000;
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ren", "sto", "va", "qui", "del", "ar", "tun",
        "be", "nor", "sel", "pha", "gri", "om", "zu", "tel", "wes", "ix"};

    private final String[] words = new String[VOCABULARY];
    private final double[] cumulative = new double[VOCABULARY];

    public Corpus() {
        SplittableRandom random = new SplittableRandom(20_261_119);
        double sum = 0;
        for (int w = 0; w < VOCABULARY; w++) {
            StringBuilder word = new StringBuilder();
            int syllables = 2 + random.nextInt(3);
            for (int s = 0; s < syllables; s++) {
                word.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            words[w] = word.append(w % 97).toString();
            sum += 1.0 / Math.pow(w + 1, 1.05);
            cumulative[w] = sum;
        }
        for (int w = 0; w < VOCABULARY; w++) {
            cumulative[w] /= sum;
        }
    }

    /** A word drawn from the vocabulary's Zipf distribution. */
    public String word(SplittableRandom random) {
        double u = random.nextDouble();
        int lo = 0;
        int hi = VOCABULARY - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return words[lo];
    }

    /** A word of frequency rank {@code rank} (0 = most common). */
    public String wordOfRank(int rank) {
        return words[Math.floorMod(rank, VOCABULARY)];
    }

    /** Title of document {@code id}: 3–6 words. */
    public String title(int id) {
        SplittableRandom random = new SplittableRandom(id * 31L + 7);
        return text(random, 3 + random.nextInt(4));
    }

    /** Body of document {@code id}: 40–90 words. */
    public String body(int id) {
        SplittableRandom random = new SplittableRandom(id * 131L + 11);
        return text(random, 40 + random.nextInt(51));
    }

    /** Stored payload of document {@code id}: 600–1,400 bytes of text-like data. */
    public byte[] payload(int id) {
        SplittableRandom random = new SplittableRandom(id * 17L + 3);
        String text = text(random, 90 + random.nextInt(110));
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return java.util.Arrays.copyOf(bytes, Math.min(bytes.length, 1400));
    }

    private String text(SplittableRandom random, int count) {
        StringBuilder text = new StringBuilder(count * 8);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(word(random));
        }
        return text.toString();
    }
}
