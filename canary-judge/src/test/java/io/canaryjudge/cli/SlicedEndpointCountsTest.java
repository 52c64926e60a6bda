package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --slice} cuts a file into slices that share its endpoints.csv row (qa79 review): each slice carries its part of
 * the file's endpoint counts, so the pooled mix counts each request once (before, each slice carried the whole file's
 * counts and a pod cut in 6 weighed 6 times its requests, distorting the pooled mix and its noise).
 */
class SlicedEndpointCountsTest {
    @Test
    void theSlicesOfAFileCountItsRequestsOnce() {
        Map<String, Long> file = Map.of("/search", 1_001L, "/cart", 7L, "/quote", 0L);
        Map<String, Long> pooled = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            Map<String, Long> slice = InstanceReader.sliceOf(file, i, 6);
            assertThat(slice.get("/search")).isBetween(166L, 167L);
            slice.forEach((endpoint, n) -> pooled.merge(endpoint, n, Long::sum));
        }
        assertThat(pooled).isEqualTo(file);
        assertThat(InstanceReader.sliceOf(file, 0, 1)).isEqualTo(file);
        assertThat(InstanceReader.sliceOf(null, 2, 6)).isNull();
    }
}
