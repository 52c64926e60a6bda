package io.canaryjudge.heldout.search;

import java.util.List;

/**
 * Re-scores the hits with a small learned-to-rank model: a feature vector per row (byte
 * histogram of the payload, price, stock, the Lucene score) pushed through {@code BASE_PASSES × rerankFactor} rounds of
 * a dense layer. All the work is this method's own loop, so a change of {@code rerankFactor} is a
 * change of this method's self time.
 */
public final class ResultRanker {
    /** Feature passes per row at rerankFactor 1; sets the method's share of CPU (about 8 % measured). */
    static final int BASE_PASSES = 6;
    private static final int FEATURES = 32;
    /** Passes over the dense layer, in tenths (66 = six whole passes and 60 % of a seventh). */
    private final int tenthPasses;
    private final float[] weights = new float[FEATURES * FEATURES];

    public ResultRanker(double rerankFactor) {
        tenthPasses = Math.max(1, (int) Math.round(BASE_PASSES * rerankFactor * 10));
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) Math.sin(i * 0.37) * 0.05f;
        }
    }

    /** A score per row, same order as {@code rows}; {@code luceneScores[i]} belongs to {@code ids[i]}. */
    public float[] rerank(List<RecordStore.Row> rows, int[] ids, float[] luceneScores) {
        float[] scores = new float[rows.size()];
        float[] features = new float[FEATURES];
        float[] next = new float[FEATURES];
        for (int r = 0; r < rows.size(); r++) {
            RecordStore.Row row = rows.get(r);
            java.util.Arrays.fill(features, 0f);
            byte[] payload = row.payload();
            for (int i = 0; i < payload.length; i += 4) {
                features[payload[i] & (FEATURES - 1)] += 1f / 64;
            }
            features[0] = (float) row.price() / 500f;
            features[1] = row.stock() / 400f;
            features[2] = luceneScore(row.id(), ids, luceneScores);
            int whole = tenthPasses / 10;
            int partRows = FEATURES * (tenthPasses % 10) / 10;
            for (int p = 0; p <= whole; p++) {
                int outputs = p < whole ? FEATURES : partRows;
                for (int o = 0; o < outputs; o++) {
                    float sum = 0;
                    int base = o * FEATURES;
                    for (int i = 0; i < FEATURES; i++) {
                        sum += weights[base + i] * features[i];
                    }
                    next[o] = sum > 0 ? sum : 0.01f * sum;
                }
                for (int o = 0; o < outputs; o++) {
                    features[o] = 0.5f * features[o] + next[o];
                }
            }
            float score = 0;
            for (float feature : features) {
                score += feature;
            }
            scores[r] = score;
        }
        return scores;
    }

    private static float luceneScore(int id, int[] ids, float[] scores) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return scores[i];
            }
        }
        return 0;
    }
}
