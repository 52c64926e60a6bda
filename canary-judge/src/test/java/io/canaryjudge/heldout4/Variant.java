package io.canaryjudge.heldout4;

import java.util.Locale;

/** The builds of the ingestion pipeline: the baseline and the canary builds the evaluation judges. */
enum Variant {
    BASELINE(10), AA(10), SLOW20(12), SLOW50(15), NEWPATH(10), ALLOC(10), OTHER(10);

    private final int fingerprintRounds;

    Variant(int fingerprintRounds) {
        this.fingerprintRounds = fingerprintRounds;
    }

    int fingerprintRounds() {
        return fingerprintRounds;
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Variant of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
