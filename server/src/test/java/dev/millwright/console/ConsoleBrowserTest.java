package dev.millwright.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import dev.millwright.server.ServerConfig;
import dev.millwright.server.TestServer;
import dev.millwright.store.TestDatabases;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's Chromium, driven through its chromedriver) against a server with the
 * demo factory and a twin running at 300x (environments come up in seconds): a platform admin logs in and sees the factory, deploys a workload
 * through the form generated from its AppTemplate and watches it get placed, starts and pauses a rollout, and
 * sees a CVE finding with its remediation; a practitioner of another tenant sees none of the automaker's
 * objects; a dock-to-live batch shows its progress and why a machine was quarantined. Each view is saved as a
 * screenshot under {@code target/console-screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    static final Path SHOTS = Path.of("target/console-screenshots");
    private static TestServer server;
    private static WebDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(TestServer.config(TestDatabases.freshUrl("console")).withDemo(true)
                .withTwin(new ServerConfig.TwinSettings(42, 300, false, true)));
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions().setBinary(binary("CHROMIUM", "/usr/bin/chromium"))
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,1000");
        // the system's chromedriver, named outright: Selenium never downloads a driver or a browser here
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(binary("CHROMEDRIVER", "/usr/bin/chromedriver"))).build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    private static String binary(String env, String otherwise) {
        String path = System.getenv(env) != null ? System.getenv(env) : otherwise;
        if (!new File(path).canExecute()) {
            throw new IllegalStateException(path + " is missing: the browser tests need Debian's chromium and chromium-driver (.ci/run installs them)");
        }
        return path;
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
    }

    private static void shot(String name) throws IOException {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static void login(String token) {
        browser.get(server.url() + "/");
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.sendKeys(token);
        browser.findElement(By.cssSelector("#login-form button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    private static void open(String view, String title) {
        browser.findElement(By.cssSelector("#nav a[href='#/" + view + "']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("view-title"), title));
    }

    private static String viewText() {
        try {
            return browser.findElement(By.id("view")).getText();
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return ""; // redrawn while read
        }
    }

    private static void waitForText(String text) {
        wait.until(d -> viewText().contains(text));
    }

    @Test
    @Order(1)
    void aWrongTokenIsRefusedAndTheAdminSeesTheFactory() throws IOException {
        browser.get(server.url() + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys("mw_not_a_token");
        browser.findElement(By.cssSelector("#login-form button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "not valid"));

        login(server.adminToken());
        wait.until(ExpectedConditions.textToBe(By.id("view-title"), "Factory overview"));
        waitForText("H100 80GB");
        String overview = viewText();
        assertThat(overview).contains("GPUs by model and state", "munich", "Alerts", "Allocation and utilization");
        // the first paint, as the browser measured it (a figure for the closing note, not a timed assertion)
        Object paint = ((JavascriptExecutor) browser).executeScript(
                "const p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? Math.round(p.startTime) : -1;");
        System.out.println("console first contentful paint: " + paint + " ms");
        shot("1-overview");

        open("machines", "Machines");
        waitForText("muc-r01-n01");
        shot("2-machines");
        open("templates", "Templates and environments");
        waitForText("update available: 1.1.0");
        assertThat(viewText()).contains("gpu-inference@1.0.0", "Compare");
        shot("3-templates");
    }

    @Test
    @Order(2)
    void aWorkloadDeployedThroughTheGeneratedFormGetsScheduled() throws IOException {
        open("workloads", "Workloads and queues");
        new Select(browser.findElement(By.id("workload-environment"))).selectByValue("automaker/prod");
        new Select(browser.findElement(By.id("workload-app"))).selectByValue("vllm-inference");
        // the form shows the AppTemplate's parameters, required ones marked
        WebElement model = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("param-model")));
        assertThat(browser.findElement(By.cssSelector("label[for='param-model']")).getText()).isEqualTo("model (required)");
        browser.findElement(By.id("workload-name")).sendKeys("console-chat");
        model.sendKeys("meta-llama/Llama-3.1-8B-Instruct");
        browser.findElement(By.cssSelector("#deploy-form button[type=submit]")).click();
        String placed = new WebDriverWait(browser, Duration.ofSeconds(90)).until(d -> {
            String r = row("console-chat");
            return r.contains("muc-") || r.contains("fra-") ? r : null;
        });
        assertThat(placed).contains("automaker/console-chat", "vllm-inference");
        shot("4-workloads");

        // a mistake is answered with the field that is wrong
        browser.findElement(By.id("workload-name")).clear();
        browser.findElement(By.id("workload-name")).sendKeys("console-chat");
        browser.findElement(By.cssSelector("#deploy-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("deploy-errors"), "exists"));
    }

    /** Clicks what the locator finds, finding it again when the view was redrawn in between. */
    private static void click(By locator) {
        wait.until(d -> {
            try {
                d.findElement(locator).click();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                return false;
            }
        });
    }

    /** The workload's row as shown now; the view redraws on every change, so a row read mid-redraw is read again. */
    private static String row(String workload) {
        try {
            for (WebElement tr : browser.findElements(By.cssSelector("#view table tbody tr"))) {
                if (tr.getText().contains("automaker/" + workload)) return tr.getText();
            }
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return "";
        }
        return "";
    }

    @Test
    @Order(3)
    void aRolloutIsStartedAndPausedFromTheUpgradesView() throws IOException {
        open("upgrades", "Upgrades");
        new Select(browser.findElement(By.id("rollout-environment"))).selectByValue("automaker/staging");
        new Select(browser.findElement(By.id("rollout-target"))).selectByValue("1.1.0");
        browser.findElement(By.cssSelector("#rollout-form button[type=submit]")).click();
        String name = "staging-gpu-inference-1-1-0";
        click(By.xpath("//button[text()='Pause " + name + "']"));
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[text()='Resume " + name + "']")));
        JsonNode rollout = Json.tree(server.admin("GET", "/api/v1/tenants/automaker/rollouts/" + name, null).body());
        assertThat(rollout.path("spec").path("paused").asBoolean()).isTrue();
        waitForText("Paused");
        assertThat(viewText()).contains("fra-n01", "Canary (wave 0)").doesNotContain("[object");
        shot("5-upgrades");
    }

    @Test
    @Order(4)
    void aCveFindingShowsWithItsRemediationAndPoliciesAndAuditBeside() throws IOException {
        open("security", "Security");
        waitForText("CVE-2025-46570");
        assertThat(viewText()).contains("move to gpu-inference@1.1.0", "Policies and what they deny", "fips-builds", "Audit log");
        shot("6-security");
    }

    @Test
    @Order(5)
    void aDockToLiveBatchShowsItsProgressAndWhyAMachineWasQuarantined() throws IOException {
        server.admin("POST", "/api/v1/platformsecrets", "{\"kind\":\"PlatformSecret\",\"metadata\":{\"name\":\"bmc-dock\"},\"spec\":{\"data\":{\"password\":\"p\"}}}");
        server.admin("POST", "/api/v1/nodepools", "{\"kind\":\"NodePool\",\"metadata\":{\"name\":\"muc-dock\"},\"spec\":{\"cluster\":\"muc-research\",\"role\":\"worker\",\"machines\":[]}}");
        String rows = String.join(",", List.of(1, 2, 3).stream().map(i -> "{\"name\":\"dock-" + i + "\",\"bmc\":\"twin://hgx-h100/dock-" + i
                + (i == 3 ? "?fail=nccl" : "") + "\",\"credentialsRef\":\"bmc-dock\",\"rack\":\"r9\",\"position\":" + i + "}").toList());
        var created = server.admin("POST", "/api/v1/dockbatches", """
                {"kind":"DockBatch","metadata":{"name":"rack-9"},"spec":{"site":"munich","pool":"muc-dock",
                 "expected":{"gpuModel":"H100 80GB","gpuCount":8},"gates":[{"check":"dcgm","level":1},{"check":"nccl"}],
                 "machines":[%s]}}""".formatted(rows));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        open("machines", "Machines");
        waitForText("Dock-to-live batches");
        new WebDriverWait(browser, Duration.ofSeconds(120)).until(d -> viewText().contains("3/3"));
        waitForText("dock-3");
        assertThat(viewText()).contains("rack-9", "CompletedWithFailures", "dock-3 Quarantined NCCL all-reduce bus bandwidth");
        shot("8-dock-batch");
    }

    @Test
    @Order(6)
    void aPractitionerOfAnotherTenantSeesNoneOfTheAutomakersObjects() throws IOException {
        browser.findElement(By.id("logout")).click();
        JsonNode issued = Json.tree(server.admin("POST", "/api/v1/tokens", "{\"user\":\"emil\"}").body());
        login(issued.path("token").asText());
        wait.until(ExpectedConditions.textToBe(By.id("view-title"), "Overview"));
        waitForText("research/dev");
        for (String view : List.of("workloads", "templates", "upgrades", "security")) {
            browser.findElement(By.cssSelector("#nav a[href='#/" + view + "']")).click();
            wait.until(d -> !viewText().isEmpty() && browser.findElement(By.id("view-title")) != null);
            wait.until(ExpectedConditions.not(ExpectedConditions.textToBe(By.id("view-title"), "Overview")));
            assertThat(viewText()).as(view).doesNotContain("automaker");
        }
        open("workloads", "Workloads and queues");
        shot("9-practitioner-workloads");
    }
}
