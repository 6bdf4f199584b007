package dev.castle.rules;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

import dev.castle.model.Egress;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Egress to external destinations: what the network policies can enforce. A NetworkPolicy matches
 * addresses, never names, so host names alone reach nothing under castle's default deny unless
 * Cilium enforces the policies ({@code toFQDNs}); address blocks must be ones Kubernetes accepts.
 */
final class EgressRules {
    static final List<Rule.OfService> SERVICE = List.of(EgressRules::hostsAreEnforceable, EgressRules::cidrsAreBlocks);

    private EgressRules() {
    }

    static void hostsAreEnforceable(Service s, SystemModel system, Findings out) {
        if (!system.network().policies() || system.network().policyProvider() == SystemModel.PolicyProvider.cilium) {
            return;
        }
        for (Egress e : s.network().egress()) {
            if (!e.hosts().isEmpty() && e.cidrs().isEmpty()) {
                out.error(s.declared().at("egress/" + e.name()), "a NetworkPolicy cannot match host names: under the default deny the pods"
                        + " would not reach " + String.join(", ", e.hosts()), "cidrs: the addresses behind the names (0.0.0.0/0 and ::/0 for any"
                        + " address on these ports), or network.policyProvider: cilium (toFQDNs), or network.policies: false");
            }
        }
    }

    static void cidrsAreBlocks(Service s, SystemModel system, Findings out) {
        for (Egress e : s.network().egress()) {
            for (int i = 0; i < e.cidrs().size(); i++) {
                String cidr = e.cidrs().get(i);
                String at = s.declared().at("egress/" + e.name() + "/cidrs/" + i);
                canonical(cidr).ifPresentOrElse(c -> {
                    if (!c.equals(cidr)) {
                        out.error(at, cidr + " has address bits beyond its prefix length", c);
                    }
                }, () -> out.error(at, cidr + " is not an address block", "an IPv4 or IPv6 address and a prefix length (at most 32 or 128): 203.0.113.0/24, 2001:db8::/32"));
            }
        }
    }

    /** The block in its canonical form (host bits cleared), empty when the text is no block. */
    static Optional<String> canonical(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0 || !cidr.substring(0, slash).matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return Optional.empty();
        }
        try {
            InetAddress address = InetAddress.getByName(cidr.substring(0, slash));
            int bits = address.getAddress().length * 8;
            int prefix = Integer.parseInt(cidr.substring(slash + 1));
            boolean v4 = cidr.substring(0, slash).contains(":") ? false : true;
            if (prefix > bits || v4 != (bits == 32)) {
                return Optional.empty();
            }
            BigInteger value = new BigInteger(1, address.getAddress());
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(prefix).not();
            byte[] raw = value.and(mask).toByteArray();
            byte[] bytes = new byte[bits / 8];
            int copy = Math.min(raw.length, bytes.length);
            System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
            String text = InetAddress.getByAddress(bytes).getHostAddress();
            if (bits == 128) {
                text = compress(text);
            }
            boolean same = text.equals(cidr.substring(0, slash).toLowerCase()) || value.and(mask).equals(value);
            return Optional.of((same ? cidr.substring(0, slash) : text) + "/" + prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Java writes IPv6 in full (2001:db8:0:0:0:0:0:0); the shortest form replaces the longest run of zeros by ::. */
    private static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }
}
