package io.canaryjudge.analysis;

import java.util.Locale;

/** The role a set of profiles plays in an analysis. */
enum Group {
    /** The stable version: the level the canary is compared with. */
    BASELINE,
    /** The new version. */
    CANARY,
    /** Earlier observations of the baseline version: noise only, never the level. */
    HISTORY;

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
