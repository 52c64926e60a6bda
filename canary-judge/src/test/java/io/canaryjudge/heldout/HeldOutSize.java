package io.canaryjudge.heldout;

/**
 * How many cases the held-out evaluation runs: {@code -Dheldout.run=full} (the published figures)
 * or the small subset the normal test suite runs. Counts can be overridden one by one
 * ({@code -Dheldout.aaCases=…}).
 *
 * @param aaCases       simulated A/A cases per layout
 * @param changedCases  simulated cases per changed cell
 * @param recordedCap   recorded layouts per cell at most (drawn without repetition, seeded)
 * @param threads       judge threads
 */
public record HeldOutSize(int aaCases, int changedCases, int recordedCap, int threads) {

    public static HeldOutSize full() {
        return new HeldOutSize(Integer.getInteger("heldout.aaCases", 400), Integer.getInteger("heldout.changedCases", 150),
                Integer.getInteger("heldout.recordedCap", 120), Integer.getInteger("heldout.threads", 2));
    }

    /** A few cases per cell: checks that the harness runs end to end, not the judge's figures. */
    public static HeldOutSize smoke() {
        return new HeldOutSize(3, 2, 2, 1);
    }
}
