package io.canaryjudge.profile.source.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointRequestCountsTest {
    private static final Set<String> FILES = Set.of("slice-1.jfr", "slice-2.jfr");

    @Test
    void rowsGiveRequestsPerFileAndEndpoint() throws Exception {
        var counts = EndpointRequestCounts.parse("\uFEFFprofile,endpoint,requests\r\n# mix\r\nslice-1.jfr,/search,389\r\n"
                + "slice-1.jfr, /quote ,221\r\n\r\nslice-2.jfr,/search,0\r\n", "endpoints.csv", FILES);
        assertThat(counts.get("slice-1.jfr")).containsEntry("/search", 389L).containsEntry("/quote", 221L);
        assertThat(counts.get("slice-2.jfr")).containsEntry("/search", 0L).hasSize(1);
    }

    @Test
    void badRowsNameTheLineAndTheProblem() {
        assertThatThrownBy(() -> EndpointRequestCounts.parse("profile,requests\n", "e.csv", FILES))
                .isInstanceOf(InvalidRequestCountsException.class).hasMessageContaining("e.csv line 1")
                .hasMessageContaining("profile,endpoint,requests");
        assertThatThrownBy(() -> EndpointRequestCounts.parse("profile,endpoint,requests\nslice-9.jfr,/a,1\n", "e.csv",
                FILES)).hasMessageContaining("line 2").hasMessageContaining("\"slice-9.jfr\"");
        assertThatThrownBy(() -> EndpointRequestCounts.parse("profile,endpoint,requests\nslice-1.jfr,/a,1\n"
                + "slice-1.jfr,/a,2\n", "e.csv", FILES)).hasMessageContaining("line 3").hasMessageContaining("second row");
        assertThatThrownBy(() -> EndpointRequestCounts.parse("profile,endpoint,requests\nslice-1.jfr,/a,-1\n", "e.csv",
                FILES)).hasMessageContaining("\"-1\"").hasMessageContaining("whole number");
        assertThatThrownBy(() -> EndpointRequestCounts.parse("profile,endpoint,requests\nslice-1.jfr,,1\n", "e.csv",
                FILES)).hasMessageContaining("endpoint is empty");
        assertThatThrownBy(() -> EndpointRequestCounts.parse("", "e.csv", FILES)).hasMessageContaining("empty");
    }
}
