package io.canaryjudge.report;

import static io.canaryjudge.report.HeadlessChromium.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The report page in a real browser (Debian's headless Chromium), served over loopback HTTP as the
 * service serves it, and as the self-contained file {@code compare --format html} writes: it renders
 * without console errors or extra requests, the flame graph draws and answers hover, click, search
 * and reset, the verdict is visible without scrolling at 1280×800, and hostile frame names run no
 * script. Screenshots go to {@code target/report-screenshots/}.
 */
class ReportPageBrowserTest {
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 800;
    private static final Path SCREENSHOTS = Path.of("target", "report-screenshots");
    /** Counts alert/confirm/prompt calls and any script element executed that the page did not ship. */
    private static final String ALERT_TRAP = """
            window.__alerts = 0;
            window.alert = window.confirm = window.prompt = function () { window.__alerts++; };
            """;

    private static HeadlessChromium chromium;
    private static ReportServer server;

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        server = new ReportServer();
        chromium = new HeadlessChromium(WIDTH, HEIGHT);
        chromium.beforeEveryPage(ALERT_TRAP);
    }

    @AfterAll
    static void stop() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void viewport() {
        chromium.driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
        chromium.consoleProblems(); // drain what earlier tests left
        server.clearRequests();
    }

    @Test
    void failingCanaryPageDrawsTheFlameGraphAndAnswersTheMouse() throws Exception {
        String url = server.publish("new-hot-path", ReportFixtures.report(ReportFixtures.scenario("new-hot-path")));
        open(url);

        // the verdict and the first change are on the first screen
        assertThat(((Number) chromium.js("return window.innerHeight")).intValue()).isLessThanOrEqualTo(HEIGHT);
        assertThat(bottomOf("#summary")).isLessThanOrEqualTo(viewportHeight());
        assertThat(topOf("#changes tbody tr")).isLessThan(viewportHeight());
        assertThat(chromium.driver.findElement(By.id("result")).getText()).isEqualTo("FAIL");
        screenshot("new-hot-path-1280x800.png");

        int frames = chromium.driver.findElements(By.cssSelector("#flame-graph g.frame")).size();
        assertThat(frames).as("frames drawn").isGreaterThan(50);
        assertThat(chromium.driver.findElements(By.cssSelector("#flame-graph rect[fill='rgb(163,113,247)']")))
                .as("frames drawn in the 'new in canary' colour").isNotEmpty();

        // search highlights the new hot path and sums its share once per stack
        WebElement search = chromium.driver.findElement(By.id("flame-search"));
        search.sendKeys("AuditTrail.serializeSnapshot");
        await("search matches", () -> !chromium.driver.findElements(By.cssSelector("#flame-graph g.match")).isEmpty());
        assertThat(chromium.driver.findElement(By.id("flame-matches")).getText()).matches(".*canary 1[3-7]\\.\\d\\d %.*baseline 0\\.00 %.*");

        // hover shows its numbers, click zooms into it, reset zooms out
        WebElement match = chromium.driver.findElements(By.cssSelector("#flame-graph g.match")).get(0);
        String node = match.getAttribute("data-node");
        new Actions(chromium.driver).moveToElement(match).perform();
        await("details of the hovered frame", () -> chromium.driver.findElement(By.id("flame-details")).getText().contains("new in canary"));
        assertThat(chromium.driver.findElement(By.id("flame-details")).getText())
                .contains("io.canaryjudge.scenario.shop.AuditTrail.serializeSnapshot").contains("canary 1").contains("baseline 0.00 %");
        match.click();
        await("zoom", () -> node.equals(chromium.driver.findElement(By.id("flame-graph")).getAttribute("data-zoom")));
        double graphWidth = ((Number) chromium.js("return document.getElementById('flame-graph').clientWidth")).doubleValue();
        double zoomedWidth = ((Number) chromium.js(
                "return Number(document.querySelector(\"#flame-graph g.frame[data-node='\" + arguments[0] + \"']:not(.ancestor) rect\").getAttribute('width'))",
                node)).doubleValue();
        assertThat(zoomedWidth).as("zoomed frame fills the graph").isGreaterThan(graphWidth * 0.95);
        screenshotElement("#flame-section", "new-hot-path-flame-zoomed.png");
        chromium.driver.findElement(By.id("flame-reset")).click();
        await("reset", () -> "0".equals(chromium.driver.findElement(By.id("flame-graph")).getAttribute("data-zoom")));

        // another profile type
        chromium.driver.findElement(By.xpath("//span[@id='flame-types']/button[text()='alloc_bytes']")).click();
        await("alloc_bytes flame", () -> "alloc_bytes".equals(chromium.driver.findElement(By.id("flame-graph")).getAttribute("data-type")));
        chromium.driver.findElement(By.xpath("//span[@id='flame-types']/button[text()='cpu']")).click();
        search.clear();
        search.sendKeys(" ");
        search.clear();

        // per-pod strip plots: 3 pods a side
        assertThat(chromium.driver.findElements(By.cssSelector("#evidence svg.strip")).get(0)
                .findElements(By.cssSelector("circle.pod"))).hasSize(6);

        assertThat(chromium.consoleProblems()).as("console errors and warnings").isEmpty();
        assertThat(server.requests()).as("requests made by the page").allMatch(
                r -> r.equals("/reports/new-hot-path") || r.startsWith("/report-assets/report.js?v=")
                        || r.startsWith("/report-assets/report.css?v="));
        assertThat(server.requests()).hasSize(3);
        screenshotFullPage("new-hot-path-full.png");
    }

    @Test
    void passingCanaryPageStillShowsTheMoversAndTheFlameGraph() throws Exception {
        open(server.publish("aa", ReportFixtures.report(ReportFixtures.scenario("aa"))));
        assertThat(chromium.driver.findElement(By.id("result")).getText()).isEqualTo("PASS");
        assertThat(bottomOf("#summary")).isLessThanOrEqualTo(viewportHeight());
        assertThat(chromium.driver.findElements(By.cssSelector("#movers tbody tr"))).hasSizeGreaterThan(5);
        assertThat(chromium.driver.findElements(By.cssSelector("#flame-graph g.frame"))).hasSizeGreaterThan(50);
        assertThat(chromium.driver.findElements(By.cssSelector("#evidence svg.strip"))).isNotEmpty();
        assertThat(chromium.consoleProblems()).isEmpty();
        screenshot("aa-1280x800.png");
    }

    /**
     * A plain CPU regression: one failing row, the flame graph opens on CPU with the regressed frame
     * outlined. Its first screen is the README's picture (copied to docs/report.png by hand).
     */
    @Test
    void regressionPageLeadsWithTheCulprit() throws Exception {
        open(server.publish("cpu-regression-100", ReportFixtures.report(ReportFixtures.scenario("cpu-regression-100"))));
        assertThat(chromium.driver.findElement(By.id("result")).getText()).isEqualTo("FAIL");
        assertThat(chromium.driver.findElement(By.id("summary")).getText())
                .contains("i.c.s.shop.PriceCalculator.applyDiscounts");
        assertThat(chromium.driver.findElement(By.id("flame-graph")).getAttribute("data-type")).isEqualTo("cpu");
        assertThat(chromium.driver.findElements(By.cssSelector("#flame-graph g.marked"))).isNotEmpty();
        assertThat(topOf("#flame-graph")).isLessThan(viewportHeight());
        assertThat(chromium.consoleProblems()).isEmpty();
        chromium.driver.manage().window().setSize(new Dimension(WIDTH, 900));
        Thread.sleep(300);
        screenshot("cpu-regression-100-1280x900.png");
    }

    @Test
    void hostileNamesRunNoScriptAndShowAsText() throws Exception {
        open(server.publish("hostile", ReportFixtures.report(ReportFixtures.hostile())));
        assertThat(((Number) chromium.js("return window.__alerts")).intValue()).as("alert calls").isZero();
        assertThat(chromium.driver.findElements(By.tagName("script"))).as("script elements").hasSize(2);
        assertThat(chromium.driver.findElements(By.tagName("img"))).isEmpty();
        assertThat((Boolean) chromium.js("return Array.from(document.querySelectorAll('*')).some(e => "
                + "Array.from(e.attributes).some(a => a.name.startsWith('on')))")).as("event-handler attributes").isFalse();
        assertThat(chromium.driver.findElements(By.cssSelector("#flame-graph g.frame"))).hasSizeGreaterThan(5);

        WebElement search = chromium.driver.findElement(By.id("flame-search"));
        search.sendKeys("<script>");
        await("search matches", () -> !chromium.driver.findElements(By.cssSelector("#flame-graph g.match")).isEmpty());
        new Actions(chromium.driver).moveToElement(chromium.driver.findElements(By.cssSelector("#flame-graph g.match")).get(0)).perform();
        // the profile reader normalises "<script>alert(1)</script>" to "<script>alert" (no signature)
        await("details", () -> chromium.driver.findElement(By.id("flame-details")).getText().contains("<script>alert"));
        search.clear();
        search.sendKeys("gnp.exe");
        await("RTL match", () -> !chromium.driver.findElements(By.cssSelector("#flame-graph g.match")).isEmpty());
        new Actions(chromium.driver).moveToElement(chromium.driver.findElements(By.cssSelector("#flame-graph g.match")).get(0)).perform();
        await("RTL details", () -> chromium.driver.findElement(By.id("flame-details")).getText().contains("<U+202E>gnp.exe"));

        assertThat(chromium.driver.findElement(By.tagName("body")).getText()).contains("<script>alert")
                .contains(ReportFixtures.STYLE_BREAK)
                .contains(ReportFixtures.HOSTILE_POD.substring(0, 6)).doesNotContain("\u202E");
        assertThat(((Number) chromium.js("return window.__alerts")).intValue()).isZero();
        assertThat(chromium.consoleProblems()).as("console errors (a blocked injection would be one)").isEmpty();
        screenshot("hostile-1280x800.png");
    }

    @Test
    void compareWritesASelfContainedPageThatWorksFromAFile() throws Exception {
        Path output = SCREENSHOTS.resolve("compare-new-hot-path.html").toAbsolutePath();
        Files.deleteIfExists(output);
        Path scenario = ReportFixtures.scenarios();
        Path baseline = scenario.resolve("baselines/session-3");
        Path canary = scenario.resolve("new-hot-path/canary");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(new String[] {"compare", "--format", "html", "--output", output.toString(),
                "--baseline", baseline.resolve("pod-1").toString(), "--baseline", baseline.resolve("pod-2").toString(),
                "--baseline", baseline.resolve("pod-3").toString(), "--canary", canary.resolve("pod-1").toString(),
                "--canary", canary.resolve("pod-2").toString(), "--canary", canary.resolve("pod-3").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(1);
        assertThat(out.size()).as("stdout with --output").isZero();

        open(output.toUri().toString());
        assertThat(chromium.driver.findElement(By.id("result")).getText()).isEqualTo("FAIL");
        assertThat(chromium.driver.findElements(By.cssSelector("#flame-graph g.frame"))).hasSizeGreaterThan(50);
        assertThat(((Number) chromium.js("return performance.getEntriesByType('resource').length")).intValue())
                .as("requests made by the file").isZero();
        assertThat(chromium.driver.findElement(By.id("analysis")).getText()).contains("baselines/session-3/pod-1");
        assertThat(chromium.consoleProblems()).as("console errors (a CSP hash mismatch would be one)").isEmpty();
    }

    private static void open(String url) throws InterruptedException {
        chromium.driver.get(url);
        await("report page", () -> !chromium.driver.findElements(By.cssSelector("#flame-graph svg")).isEmpty());
    }

    private static double viewportHeight() {
        return ((Number) chromium.js("return window.innerHeight")).doubleValue();
    }

    private static double bottomOf(String selector) {
        return ((Number) chromium.js("return document.querySelector(arguments[0]).getBoundingClientRect().bottom",
                selector)).doubleValue();
    }

    private static double topOf(String selector) {
        return ((Number) chromium.js("return document.querySelector(arguments[0]).getBoundingClientRect().top",
                selector)).doubleValue();
    }

    private static void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name), chromium.driver.getScreenshotAs(OutputType.BYTES));
    }

    private static void screenshotElement(String selector, String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name),
                chromium.driver.findElement(By.cssSelector(selector)).getScreenshotAs(OutputType.BYTES));
    }

    private static void screenshotFullPage(String name) throws IOException, InterruptedException {
        int height = ((Number) chromium.js("return document.documentElement.scrollHeight")).intValue();
        chromium.driver.manage().window().setSize(new Dimension(WIDTH, Math.min(height + 40, 12_000)));
        Thread.sleep(300); // the flame graph re-renders on resize (100 ms debounce)
        screenshot(name);
        chromium.driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
    }
}
