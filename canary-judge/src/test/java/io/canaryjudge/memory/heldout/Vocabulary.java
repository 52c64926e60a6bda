package io.canaryjudge.memory.heldout;

import java.util.SplittableRandom;

/** Synthetic words with a Zipf-like frequency (rank ~ exp(uniform * ln size)). */
final class Vocabulary {
    private final String[] words;
    private final SplittableRandom random;

    Vocabulary(int size, SplittableRandom random) {
        this.random = random;
        words = new String[size];
        char[] letters = "etaoinshrdlucmfwypvbgkqjxz".toCharArray();
        for (int i = 0; i < size; i++) {
            int len = 3 + random.nextInt(8);
            char[] w = new char[len];
            for (int j = 0; j < len; j++) {
                w[j] = letters[Math.min(25, (int) (-Math.log(1 - random.nextDouble()) * 5))];
            }
            words[i] = new String(w) + i % 97;
        }
    }

    String zipfWord() {
        int rank = (int) Math.exp(random.nextDouble() * Math.log(words.length)) - 1;
        return words[Math.min(rank, words.length - 1)];
    }
}
