package io.canaryjudge.judge.memory;

import io.canaryjudge.judge.memory.MemoryGrowthAnalysis.GrowthFigures;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Measure;
import java.util.List;
import java.util.Locale;

/** The words and the finding of a growing canary. */
final class MemoryFindings {
    /** Function of a MEMORY_GROWTH finding when no live-object profile names the site. */
    static final String HEAP = "<heap>";
    /** How {@link MemoryGrowthAnalysis#unexplained} begins: the summary already says why no site is named. */
    static final String NO_SITE = "the live-object profiles name no allocation site";

    private MemoryFindings() {
    }

    /** The MEMORY_GROWTH finding, or null when the canary does not grow abnormally. */
    static Finding finding(GrowthFigures figures, LeakSite site, MemoryGrowthConfig config) {
        if (!figures.growth()) {
            return null;
        }
        boolean failing = config.fail();
        String text = capitalise(phrase(figures, site)) + "."
                + (failing ? "" : " Reported only: memoryGrowth.fail is false for this application.")
                + (site != null && site.callPath().size() > 1 ? " Hottest path: " + shortPath(site.callPath()) + "." : "");
        // A ratio to a baseline slope within noise of zero says nothing ("+1169731 %" from 0.06 B per 1,000
        // requests): no relative change, as for a share that rose from 0; the report reads "from 0".
        Double relative = figures.baseline() > figures.baselineHalfWidth()
                ? figures.canary() / figures.baseline() - 1 : null;
        return new Finding(ProfileType.LIVE_BYTES, site == null ? HEAP : site.function(), FindingKind.MEMORY_GROWTH,
                figures.perRequest() ? Measure.HEAP_GROWTH_PER_REQUEST : Measure.HEAP_GROWTH, figures.baseline(),
                figures.canary(), relative, figures.canary() - figures.baseline(), figures.pValue(), figures.pValue(),
                figures.ciLow(), figures.ciHigh(), failing, false, site == null ? List.of() : site.callPath(), text,
                site != null && failing);
    }

    /**
     * The incident of a growing canary, named at the allocation site (the entry frame of the extra live
     * objects) — the same name the finding carries.
     */
    static Incident incident(Finding finding, LeakSite site, String summary) {
        // The summary names the site when there is one ("…; live bytes allocated under `X` rose …"): the detail
        // below it repeated that sentence word for word.
        String detail = finding.measure() == Measure.MEMORY_AREA_GROWTH
                ? site != null ? (summary.contains(siteWords(site)) ? null : siteWords(site))
                : "memory outside the Java heap, which neither the heap after GC nor allocation profiles measure"
                : site == null ? (finding.explanation().contains(NO_SITE) ? null
                        : "no live-object profiles to name where the retained objects are allocated")
                : summary.contains(siteWords(site)) ? null : siteWords(site);
        return new Incident(finding.profileType(), finding.function(), FindingKind.MEMORY_GROWTH, finding.measure(),
                finding.baseline(), finding.canary(), finding.relativeChange(), finding.ciLow(), finding.ciHigh(),
                finding.qValue(), finding.failing(), finding.callPath(), List.of(finding.function()), detail, summary);
    }

    /** The finding's first sentence without its full stop: what the summary quotes. */
    static String headline(Finding finding) {
        String text = finding.explanation();
        for (String next : List.of(". Reported only", ". Hottest path")) {
            int at = text.indexOf(next);
            if (at >= 0) {
                return text.substring(0, at);
            }
        }
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    /** "canary retains +7.0 MiB per 10 min after GC (baseline +0.2 MiB, p = 3.1e-05); live bytes …". */
    static String phrase(GrowthFigures f, LeakSite site) {
        String growth;
        if (f.perRequest()) {
            growth = String.format(Locale.ROOT, "canary retains %s per 1,000 requests after GC (baseline %s; %s per 10 min"
                            + " at the baseline's request rate, %s)", signed(f.canary()), signed(f.baseline()),
                    signed(f.canaryPerHour() / 6), pText(f.pValue()));
            if (f.load() < MemoryGrowthAnalysis.LIGHTER_CANARY || f.load() > 1 / MemoryGrowthAnalysis.LIGHTER_CANARY) {
                // A canary at another load than the baseline's (a router's weight, uneven balancing) grows per hour by
                // its own traffic: said, so the per-hour figure at the baseline's rate is not read as what it did (qa56).
                growth += String.format(Locale.ROOT, "; the canary pods served %.0f %% of a baseline pod's requests: %s"
                        + " per 10 min at their own", 100 * f.load(), signed(f.canaryPerHour() * f.load() / 6));
            }
        } else {
            growth = String.format(Locale.ROOT, "canary retains %s per 10 min after GC (baseline %s, %s)",
                    signed(f.canaryPerHour() / 6), signed(f.baselinePerHour() / 6), pText(f.pValue()));
        }
        return site != null ? growth + "; " + siteWords(site) : f.noSite() != null ? growth + "; " + f.noSite() : growth;
    }

    static String siteWords(LeakSite site) {
        if (site.profileType() == ProfileType.MALLOC_LEAK_BYTES) {
            return String.format(Locale.ROOT, "native bytes malloc'ed under `%s` and not freed within their recording"
                    + " rose from %s to %s of those sampled (a leak, or blocks a Cleaner frees only after a collection)",
                    site.function(), share(site.baselineShare()), share(site.canaryShare()));
        }
        if (site.oldObjects() != null && site.oldObjects().beyondNoise()) {
            OldObjects old = site.oldObjects();
            // Counts of samples, not of objects: the JDK keeps a few hundred sampled objects whatever the heap holds.
            String baseline = old.baselineOld() == 0 ? "none in any baseline recording"
                    : String.format(Locale.ROOT, "at most %.0f of %.0f in a baseline recording", old.baselineOld(),
                            old.baselineSampled());
            return String.format(Locale.ROOT, "%.0f of the %.0f live objects the JDK sampled per canary recording were"
                            + " allocated under `%s` more than %d min earlier, %s: objects kept there longer than the"
                            + " baseline keeps them (a cache or registry whose bound or expiry broke)", old.canaryOld(),
                    old.canarySampled(), site.function(), old.ageMinutes(), baseline);
        }
        if (site.profileType() == ProfileType.GOROUTINES) {
            return String.format(Locale.ROOT, "goroutines in `%s` rose from %s to %s of the pod's goroutines (Go's"
                    + " goroutine profiles, net/http's and gRPC's goroutines serving connections left out)", site.function(), share(site.baselineShare()), share(site.canaryShare()));
        }
        String what = site.profileType() == ProfileType.LIVE_BYTES ? "live bytes" : "live objects";
        String words = String.format(Locale.ROOT, "%s allocated under `%s` rose from %s to %s of the live set", what,
                site.function(), share(site.baselineShare()), share(site.canaryShare()));
        if (site.oldObjects() == null) {
            return words;
        }
        // The recordings carry ages and no frame holds old objects beyond the baseline pods' spread: the shares' site
        // is kept (a broken cache's site there is right, qa72's broken-100) with what the ages showed, so a reader can
        // weigh it. The JDK keeps a few hundred sampled objects and takes few new ones once they are held long.
        OldObjects old = site.oldObjects();
        return words + String.format(Locale.ROOT, "; the JDK's old-object ages do not confirm it: %.0f of %.0f sampled"
                        + " live objects per canary recording were allocated there more than %d min earlier, at most %.0f"
                        + " of %.0f in a baseline recording (the baseline pods' spread %.1f)", old.canaryOld(),
                old.canarySampled(), old.ageMinutes(), old.baselineOld(), old.baselineSampled(), old.baselineSpread());
    }

    private static String share(double fraction) {
        double pct = fraction * 100;
        return String.format(Locale.ROOT, pct >= 10 || pct == 0 ? "%.0f %%" : "%.1f %%", pct);
    }

    /** Bytes with a sign, readable: +7.0 MiB, −310 KiB, +12 B. */
    static String signed(double bytes) {
        String sign = bytes < 0 ? "−" : "+";
        double v = Math.abs(bytes);
        if (v >= 1 << 20) {
            return sign + String.format(Locale.ROOT, "%.1f MiB", v / (1 << 20));
        }
        if (v >= 1 << 10) {
            return sign + String.format(Locale.ROOT, "%.0f KiB", v / (1 << 10));
        }
        return sign + String.format(Locale.ROOT, "%.0f B", v);
    }

    private static String pText(double p) {
        return p < 0.001 ? String.format(Locale.ROOT, "p = %.1e", p) : String.format(Locale.ROOT, "p = %.3f", p);
    }

    static String shortPath(List<String> path) {
        if (path.size() <= 6) {
            return String.join(" → ", path);
        }
        return String.join(" → ", path.subList(0, 2)) + " → … → " + String.join(" → ", path.subList(path.size() - 3, path.size()));
    }

    private static String capitalise(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
