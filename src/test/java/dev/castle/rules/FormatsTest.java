package dev.castle.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The formats the rules check fields against, as Kubernetes (and Go's parsers behind it) read them. */
class FormatsTest {
    @ParameterizedTest
    @ValueSource(strings = {"*/15 * * * *", "0 3 * * 1-5", "0 0 1 JAN,jul *", "5 4 * * sun", "0-59/10 0,12 ? * MON-FRI", "@daily",
            "@every 1h30m", "0 0 29 2 *", "  0 * * * *  "})
    void cronAcceptsWhatKubernetesReads(String schedule) {
        assertEquals(java.util.Optional.empty(), Cron.problem(schedule), schedule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"61 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 7", "* * * * MON-FOO", "5-1 * * * *",
            "*/0 * * * *", "* * * *", "* * * * * *", "@fortnightly", "TZ=UTC 0 * * * *", "a * * * *", "1,,2 * * * *", "*-5 * * * *"})
    void cronRefusesWhatKubernetesRefuses(String schedule) {
        assertTrue(Cron.problem(schedule).isPresent(), schedule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 0 * * *", "30 */15 2-4 1 JAN-JUN mon", "0,30 * * * * ?"})
    void cronWithSecondsAcceptsWhatCloudNativePgReads(String schedule) {
        assertEquals(java.util.Optional.empty(), Cron.problemWithSeconds(schedule), schedule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"60 0 0 * * *", "0 61 0 * * *", "0 0 0 * * 8", "0 0 0 * *", "@daily", "0 0 0 * * * *", "x 0 0 * * *"})
    void cronWithSecondsRefusesWhatCloudNativePgRefuses(String schedule) {
        assertTrue(Cron.problemWithSeconds(schedule).isPresent(), schedule);
    }

    @Test
    void addressesAndNetworksAsGoReadsThem() {
        assertTrue(Formats.isIpv4("10.0.0.1"));
        assertFalse(Formats.isIpv4("10.0.0.256"));
        assertFalse(Formats.isIpv4("010.0.0.1"));
        assertTrue(Formats.isIpv6("::1"));
        assertTrue(Formats.isIpv6("fd00::"));
        assertTrue(Formats.isIpv6("2001:db8:0:0:0:0:2:1"));
        assertTrue(Formats.isIpv6("::ffff:10.0.0.1"));
        assertFalse(Formats.isIpv6("1::2::3"));
        assertFalse(Formats.isIpv6("12345::"));
        assertFalse(Formats.isIpv6("1:2:3:4:5:6:7"));
        assertFalse(Formats.isIpv6("a.example.com"));
        assertTrue(Formats.isCidr("0.0.0.0/0"));
        assertTrue(Formats.isCidr("10.20.0.0/16"));
        assertTrue(Formats.isCidr("fd00::/8"));
        assertFalse(Formats.isCidr("10.0.0.0/33"));
        assertFalse(Formats.isCidr("10.0.0.0"));
        assertFalse(Formats.isCidr("fd00::/129"));
    }

    @Test
    void labelsHeadersPathsAndZones() {
        assertTrue(Formats.isLabelValue(""));
        assertTrue(Formats.isLabelValue("1.0.0_rc-1"));
        assertFalse(Formats.isLabelValue("1.0."));
        assertFalse(Formats.isLabelValue("a b"));
        assertFalse(Formats.isLabelValue("a".repeat(64)));
        assertTrue(Formats.isQualifiedName("topology.kubernetes.io/zone"));
        assertFalse(Formats.isQualifiedName("/zone"));
        assertFalse(Formats.isQualifiedName("Example.com/zone"));
        assertTrue(Formats.isHttpHeaderName("X-Canary"));
        assertFalse(Formats.isHttpHeaderName("X Canary"));
        assertTrue(Formats.isUrlPath("/api/v1/%20x"));
        assertFalse(Formats.isUrlPath("/a b"));
        assertFalse(Formats.isUrlPath("/100%"));
        assertTrue(Formats.isTimeZone("Europe/Paris"));
        assertTrue(Formats.isTimeZone("UTC"));
        assertFalse(Formats.isTimeZone("+01:00"));
        assertFalse(Formats.isTimeZone("Local"));
        assertFalse(Formats.isTimeZone("Mars/Olympus"));
    }

    @Test
    void generatedNamesAreCutAsTheLibraryCutsThem() {
        assertEquals("shop-web", GeneratedObjects.fullname("shop", "web"));
        assertEquals("shop-web-headless", GeneratedObjects.suffixed("shop-web", "headless"));
        String longName = "shop-" + "a".repeat(58);
        assertEquals(63, longName.length());
        assertEquals("shop-" + "a".repeat(51) + "-canary", GeneratedObjects.suffixed(longName, "canary"));
        assertEquals("shop-" + "a".repeat(56) + "-x", GeneratedObjects.suffixed(longName, "x"));
        assertEquals("shop-abc-" + "s".repeat(53), GeneratedObjects.suffixed("shop-abc-defg", "s".repeat(53)));
    }
}
