package io.canaryjudge.profile.source.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestCountsTest {
    private static final Set<String> FILES = Set.of("slice-0.jfr.gz", "slice-1.jfr.gz", "slice-2.jfr.gz");

    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        return Files.writeString(dir.resolve("requests.csv"), text);
    }

    @Test
    void rowsGiveRequestsPerFileAndFilesWithoutRowHaveNone() throws Exception {
        Path csv = csv("\uFEFFprofile,requests\r\n# warm\r\nslice-0.jfr.gz, 1200\r\n\r\nslice-2.jfr.gz,0\r\n");
        var counts = RequestCounts.read(csv, FILES);
        assertThat(counts).containsEntry("slice-0.jfr.gz", 1200L).containsEntry("slice-2.jfr.gz", 0L)
                .doesNotContainKey("slice-1.jfr.gz");
    }

    @Test
    void rowForMissingFileNamesTheLine() throws IOException {
        Path csv = csv("profile,requests\nslice-0.jfr.gz,10\nslice-9.jfr.gz,10\n");
        assertThatThrownBy(() -> RequestCounts.read(csv, FILES)).isInstanceOf(InvalidRequestCountsException.class)
                .hasMessageContaining(csv + " line 3").hasMessageContaining("\"slice-9.jfr.gz\"");
    }

    @Test
    void badNumberNamesTheLineAndValue() throws IOException {
        Path csv = csv("profile,requests\nslice-0.jfr.gz,12.5\n");
        assertThatThrownBy(() -> RequestCounts.read(csv, FILES))
                .hasMessageContaining("line 2").hasMessageContaining("\"12.5\"").hasMessageContaining("whole number");
        Path negative = csv("profile,requests\nslice-0.jfr.gz,-3\n");
        assertThatThrownBy(() -> RequestCounts.read(negative, FILES)).hasMessageContaining("\"-3\"");
    }

    @Test
    void headerIsRequired() throws IOException {
        Path csv = csv("slice-0.jfr.gz,10\n");
        assertThatThrownBy(() -> RequestCounts.read(csv, FILES))
                .hasMessageContaining("line 1").hasMessageContaining("profile,requests");
        Path empty = csv("");
        assertThatThrownBy(() -> RequestCounts.read(empty, FILES)).hasMessageContaining("empty");
    }

    @Test
    void duplicateAndShortRowsAreRefused() throws IOException {
        Path twice = csv("profile,requests\nslice-0.jfr.gz,1\nslice-0.jfr.gz,2\n");
        assertThatThrownBy(() -> RequestCounts.read(twice, FILES)).hasMessageContaining("line 3")
                .hasMessageContaining("second row");
        Path shortRow = csv("profile,requests\nslice-0.jfr.gz\n");
        assertThatThrownBy(() -> RequestCounts.read(shortRow, FILES)).hasMessageContaining("line 2")
                .hasMessageContaining("2 fields");
    }
}
