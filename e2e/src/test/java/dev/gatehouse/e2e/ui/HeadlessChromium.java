package dev.gatehouse.e2e.ui;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven by its chromium-driver through Selenium, headless, as root (no sandbox), with no network
 * of its own (no first-run, background networking, component updates or sync) and a fresh profile. It trusts the
 * gateway's certificate by its public key only ({@code --ignore-certificate-errors-spki-list}), nothing else.
 */
final class HeadlessChromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** True when both are installed (scripts/prepare-chromium.sh installs them). */
    static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    /** A new browser with a profile under {@code dir}, trusting the server certificate {@code certificate}. */
    static ChromeDriver start(Path dir, Path certificate) {
        try {
            Path profile = Files.createTempDirectory(Files.createDirectories(dir), "chromium-profile-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(BROWSER.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile,
                    "--ignore-certificate-errors-spki-list=" + spkiHash(certificate));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort()
                    .withTimeout(Duration.ofSeconds(30)).withLogFile(new File(dir.toFile(), "chromedriver.log"))
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(20));
            return driver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** base64(SHA-256(SubjectPublicKeyInfo)) of the first certificate in a PEM file, as chromium expects it. */
    static String spkiHash(Path pem) throws IOException {
        try (var in = Files.newInputStream(pem)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(cert.getPublicKey().getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the certificate " + pem + ": " + e.getMessage(), e);
        }
    }
}
