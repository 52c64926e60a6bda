package io.canaryjudge.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The running service serves the report page's script and style sheet at the paths a served page
 * links (Spring Boot's static resources, no code of ours), byte for byte what the page expects.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReportAssetsServedTest {
    @LocalServerPort
    int port;

    @Test
    void linkedAssetsAreServedByTheApp() throws Exception {
        String page = new ReportPage().render(Report.of(ReportFixtures.judge(ReportFixtures.hostile())),
                ReportAssets.served(ReportAssets.SERVED_PATH));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String asset : new String[] {ReportAssets.SCRIPT, ReportAssets.STYLE}) {
            Matcher link = Pattern.compile("(?:src|href)=\"(" + Pattern.quote(ReportAssets.SERVED_PATH + asset) + "\\?v=[0-9a-f]+)\"")
                    .matcher(page);
            assertThat(link.find()).as(asset + " linked from the page").isTrue();
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + link.group(1))).timeout(java.time.Duration.ofSeconds(60)).GET().build(), // a bound, not a speed check: a hang fails
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(link.group(1)).isEqualTo(200);
            assertThat(response.body()).isEqualTo(ReportAssets.text(asset));
            assertThat(response.headers().firstValue("Content-Type").orElse(""))
                    .startsWith(asset.endsWith(".js") ? "text/javascript" : "text/css");
        }
    }
}
