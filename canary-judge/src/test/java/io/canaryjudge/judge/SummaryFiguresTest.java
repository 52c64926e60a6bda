package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The one place that writes a share and a q-value in the verdict's sentences (qa38): a small share keeps two
 * significant digits ("bounds its baseline share below 0.00 %" was a bound of nothing) and a q-value that underflowed
 * a double is not written as zero.
 */
class SummaryFiguresTest {

    @Test
    void aSmallShareKeepsItsDigits() {
        assertThat(Summaries.share(0.000043)).isEqualTo("0.0043 %");
        assertThat(Summaries.share(0.00005)).isEqualTo("0.005 %");
        assertThat(Summaries.share(0.0022)).isEqualTo("0.22 %");
        assertThat(Summaries.share(0.413)).isEqualTo("41.3 %");
        assertThat(Summaries.share(0)).isEqualTo("0.0 %");
    }

    @Test
    void anUnderflowedQIsBelowTheSmallestDouble() {
        assertThat(Summaries.qText(0.0)).isEqualTo("q < 1e-300");
        assertThat(Summaries.qText(2.1e-4)).isEqualTo("q = 2.1e-04");
        assertThat(Summaries.qText(0.006)).isEqualTo("q = 0.006");
    }
}
