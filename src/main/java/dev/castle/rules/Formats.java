package dev.castle.rules;

import java.time.ZoneId;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The formats Kubernetes checks fields against (k8s.io/apimachinery/pkg/util/validation): label
 * keys and values, DNS names, IP addresses and CIDRs as Go's net package reads them, HTTP header
 * names, URL paths, time zones of the tz database.
 */
final class Formats {
    static final int MAX_LABEL_VALUE = 63;
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern HTTP_TOKEN = Pattern.compile("[-A-Za-z0-9!#$%&'*+.^_`|~]+");
    /** A path of an HTTPRoute (Gateway API's pattern): no space, no control character, '%' only as an escape. */
    private static final Pattern URL_PATH = Pattern.compile("(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    private Formats() {
    }

    static boolean isLabelValue(String value) {
        return value.length() <= MAX_LABEL_VALUE && LABEL_VALUE.matcher(value).matches();
    }

    /** A label key (or annotation key, taint key, topology key): an optional DNS subdomain prefix and '/', then a name. */
    static boolean isQualifiedName(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return false;
            }
        }
        return name.length() <= MAX_LABEL_VALUE && QUALIFIED_NAME.matcher(name).matches();
    }

    static boolean isHttpHeaderName(String name) {
        return HTTP_TOKEN.matcher(name).matches();
    }

    static boolean isUrlPath(String path) {
        return path.startsWith("/") && URL_PATH.matcher(path).matches();
    }

    static boolean isIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    /** An IPv6 address as Go reads one: eight groups of 1-4 hex digits, or fewer around one '::', maybe with an IPv4 tail. */
    static boolean isIpv6(String text) {
        if (!text.contains(":")) {
            return false;
        }
        String body = text;
        int lastColon = body.lastIndexOf(':');
        if (body.substring(lastColon + 1).contains(".")) {
            if (!isIpv4(body.substring(lastColon + 1))) {
                return false;
            }
            body = body.substring(0, lastColon + 1) + "0:0";
        }
        String[] halves = body.split("::", -1);
        if (halves.length > 2) {
            return false;
        }
        int groups = 0;
        for (String half : halves) {
            if (half.isEmpty()) {
                continue;
            }
            for (String group : half.split(":", -1)) {
                if (!group.matches("[0-9a-fA-F]{1,4}")) {
                    return false;
                }
                groups++;
            }
        }
        return halves.length == 2 ? groups <= 7 : groups == 8;
    }

    static boolean isIpAddress(String text) {
        return isIpv4(text) || isIpv6(text);
    }

    /** A network in CIDR notation, as Go's net.ParseCIDR takes it. */
    static boolean isCidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || !text.substring(slash + 1).matches("[0-9]{1,3}")) {
            return false;
        }
        String address = text.substring(0, slash);
        int bits = Integer.parseInt(text.substring(slash + 1));
        return isIpv4(address) && bits <= 32 || isIpv6(address) && bits <= 128;
    }

    /** A zone of the tz database, as Go's time.LoadLocation finds one (not an offset such as +01:00, not Local). */
    static boolean isTimeZone(String zone) {
        return ZONES.contains(zone);
    }
}
