package io.canaryjudge.judge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Measure;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A memory-growth incident says where the retained objects are allocated once. */
class MemoryIncidentWordsTest {
    private static final LeakSite SITE = new LeakSite("com.shop.SessionRegistry.register",
            List.of("java.lang.Thread.run", "com.shop.SessionRegistry.register"), ProfileType.LIVE_BYTES, 0.0, 0.022);
    private static final Finding GROWTH = new Finding(ProfileType.LIVE_BYTES, "com.shop.SessionRegistry.register",
            FindingKind.MEMORY_GROWTH, Measure.HEAP_GROWTH_PER_REQUEST, 225.0, 826.0, 2.67, 601.0, 1.7e-5, 1.7e-5, 400.0, 800.0, true,
            false, List.of(), "");

    @Test
    void aSiteTheSummaryNamesIsNotRepeatedAsTheDetail() {
        // The text format printed "Canary retains …; live bytes allocated under `…register` rose from 0 % to 2.2 % of
        // the live set" and below it the same "live bytes allocated under `…register` rose from 0 % to 2.2 % …".
        String summary = "Canary retains +826 KiB per 1,000 requests after GC (baseline +225 KiB, p = 1.7e-05); "
                + MemoryFindings.siteWords(SITE);
        Incident incident = MemoryFindings.incident(GROWTH, SITE, summary);
        assertThat(incident.summary()).contains("rose from 0 % to 2.2 % of the live set");
        assertThat(incident.detail()).isNull();
    }

    @Test
    void aSiteTheSummaryDoesNotNameIsTheDetail() {
        Incident incident = MemoryFindings.incident(GROWTH, SITE, "Canary retains +826 KiB per 1,000 requests after GC");
        assertThat(incident.detail()).isEqualTo(MemoryFindings.siteWords(SITE));
        assertThat(MemoryFindings.incident(GROWTH, null, "Canary retains +826 KiB").detail())
                .startsWith("no live-object profiles");
    }
}
