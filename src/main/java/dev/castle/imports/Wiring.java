package dev.castle.imports;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The calls between services and components that an import found, turned into {@code dependsOn}
 * entries: the caller's own variables that held an address or a credential of the callee become
 * the names castle injects ({@code env: {host: REDIS_HOST}}), and castle's default names that would
 * collide with a variable the caller keeps are renamed, so the descriptor passes castle's rules.
 */
final class Wiring {
    /** A call found in the source. {@code env}: kind (host, port, url, username, password) to the caller's variable. */
    record Call(String caller, String callee, boolean startup, Optional<String> port, Map<String, String> env) {
    }

    private Wiring() {
    }

    /**
     * Whether a word of a command line is an address of {@code host}: {@code host:port},
     * {@code scheme://host...} or {@code user@host}; a bare word is not (it may be a program's name).
     */
    static boolean addressIn(String word, String host) {
        String h = java.util.regex.Pattern.quote(host);
        return java.util.regex.Pattern.compile("(^|=|//|@)" + h + ":\\d+|(//|@)" + h + "([:/?]|$)").matcher(word).find();
    }

    /**
     * The {@code dependsOn} list of {@code caller}. {@code services} and {@code components} are the
     * descriptor's (by castle name); {@code callerEnv} is the caller's env after the rewrites.
     */
    static List<Object> dependsOn(String caller, List<Call> calls, Map<String, Object> components, Set<String> callerEnv) {
        Set<String> taken = new HashSet<>(callerEnv);
        List<Object> out = new ArrayList<>();
        Map<String, Call> byCallee = new LinkedHashMap<>();
        for (Call call : calls) {
            if (!call.caller().equals(caller) || call.callee().equals(caller)) {
                continue;
            }
            byCallee.merge(call.callee(), call, Wiring::combine);
        }
        for (Call call : byCallee.values()) {
            boolean component = components.containsKey(call.callee());
            List<String> kinds = new ArrayList<>(List.of("host", "port", "url"));
            if (component && hasCredentials(components.get(call.callee()))) {
                kinds.add("username");
                kinds.add("password");
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", call.callee());
            boolean defaultStartup = component;
            if (call.startup() != defaultStartup) {
                entry.put("startup", call.startup());
            }
            call.port().ifPresent(p -> entry.put("port", p));
            Map<String, Object> env = new LinkedHashMap<>();
            String prefix = call.callee().toUpperCase(Locale.ROOT).replace('-', '_');
            for (String kind : kinds) {
                String wanted = call.env().get(kind);
                if (wanted != null && !taken.contains(wanted)) {
                    env.put(kind, wanted);
                    taken.add(wanted);
                    continue;
                }
                String name = prefix + "_" + kind.toUpperCase(Locale.ROOT);
                if (taken.contains(name)) {
                    String base = "CASTLE_" + name;
                    name = base;
                    for (int i = 2; taken.contains(name); i++) {
                        name = base + "_" + i;
                    }
                    env.put(kind, name);
                }
                taken.add(name);
            }
            if (!env.isEmpty()) {
                entry.put("env", env);
            }
            out.add(entry.size() == 1 ? call.callee() : entry);
        }
        return out;
    }

    private static Call combine(Call a, Call b) {
        Map<String, String> env = new LinkedHashMap<>(a.env());
        b.env().forEach(env::putIfAbsent);
        return new Call(a.caller(), a.callee(), a.startup() || b.startup(), a.port().or(b::port), env);
    }

    @SuppressWarnings("unchecked")
    private static boolean hasCredentials(Object component) {
        return component instanceof Map<?, ?> m && !"kafka".equals(((Map<String, Object>) m).get("type"));
    }
}
