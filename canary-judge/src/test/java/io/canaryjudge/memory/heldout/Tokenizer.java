package io.canaryjudge.memory.heldout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Lower-cases and splits text into terms (short-lived garbage per request). */
final class Tokenizer {
    private Tokenizer() {
    }

    static List<String> terms(String text) {
        List<String> out = new ArrayList<>();
        for (String raw : text.split("[^\\p{Alnum}]+")) {
            if (raw.length() > 1) {
                out.add(raw.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
