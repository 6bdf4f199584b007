package dev.castle.kustomize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.castle.text.Sha256;

/**
 * Renders by Helm's engine kept for the life of the process, by a digest of everything the render
 * reads: for a resident castle (castle daemon), where a generate of a descriptor that changed nowhere
 * the charts see (a comment; nothing at all, in a pre-commit hook) asks for the same renders again.
 * Off in a run of its own, where nothing could hit it and the digests would only cost. Helm's output
 * of castle's templates is a function of the chart's files and the render's arguments (helm template
 * asks no cluster, and castle's templates call no clock or random function); renders of a chart made
 * with --templates are never kept. The least recently used go first beyond the size given.
 */
final class RenderCache {
    private static volatile RenderCache instance;

    private final long maxChars;
    private final Map<String, String> renders = new LinkedHashMap<>(16, 0.75f, true);
    private long chars;
    private long hits;

    private RenderCache(long maxChars) {
        this.maxChars = maxChars;
    }

    /** Keeps renders of at most {@code maxChars} characters in all from now on. */
    static void enable(long maxChars) {
        instance = new RenderCache(maxChars);
    }

    /** Keeps no render from now on (for the tests). */
    static void disable() {
        instance = null;
    }

    /** The cache, or null when renders are not kept. */
    static RenderCache get() {
        return instance;
    }

    synchronized String find(String key) {
        String render = renders.get(key);
        hits += render == null ? 0 : 1;
        return render;
    }

    /** How many renders were answered from the cache. */
    synchronized long hits() {
        return hits;
    }

    synchronized void keep(String key, String render) {
        if (render.length() > maxChars / 4 || renders.containsKey(key)) {
            return; // one render never pushes out most of the others
        }
        renders.put(key, render);
        chars += render.length();
        var eldest = renders.entrySet().iterator();
        while (chars > maxChars && eldest.hasNext()) {
            chars -= eldest.next().getValue().length();
            eldest.remove();
        }
    }

    /** A digest of a chart's files: every path and content (computed once per chart a run loads). */
    static String digest(Map<String, byte[]> files) {
        MessageDigest digest = Sha256.digest();
        files.forEach((path, content) -> {
            digest.update(path.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(Integer.toString(content.length).getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) 0);
            digest.update(content);
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The key of a render of the chart of this {@link #digest} with these arguments. */
    static String key(String chart, List<String> arguments) {
        MessageDigest digest = Sha256.digest();
        digest.update(chart.getBytes(StandardCharsets.US_ASCII));
        for (String argument : arguments) {
            digest.update((byte) 0);
            digest.update(Integer.toString(argument.length()).getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) 0);
            digest.update(argument.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
