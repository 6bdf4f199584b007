package dev.castle.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one reader of the files a descriptor names ({@code config.files}): each is read once, only
 * when it is a regular file inside the descriptor's folder (no {@code ..} out of it, no symbolic
 * link that leads out, no folder, device or FIFO), at most {@link #MAX_BYTES} bytes, as UTF-8 text.
 * A file that cannot be used comes back with the reason, for a located message.
 */
public final class ConfigFileReader {
    /** A ConfigMap holds at most 1 MiB in all; no single file can be larger. */
    public static final int MAX_BYTES = 1024 * 1024;

    /** A file as read: its text, or why it cannot be used (the text is then empty). */
    public record TextFile(String path, String text, long size, Optional<String> problem) {
        static TextFile refused(String path, String problem) {
            return new TextFile(path, "", 0, Optional.of(problem));
        }
    }

    private final Path folder;
    private final Map<String, TextFile> read = new HashMap<>();

    /** @param folder the descriptor's folder */
    public ConfigFileReader(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    public TextFile read(String relative) {
        return read(relative, "config file");
    }

    /** Reads a file the descriptor names as {@code what} (such as "sealed secret file"), which problems name it by. */
    public TextFile read(String relative, String what) {
        return read.computeIfAbsent(what + "\0" + relative, key -> load(relative, what));
    }

    private TextFile load(String relative, String what) {
        Path given;
        try {
            given = Path.of(relative);
        } catch (java.nio.file.InvalidPathException e) {
            return TextFile.refused(relative, what + " '" + relative + "' is not a valid path");
        }
        if (given.isAbsolute()) {
            return TextFile.refused(relative, what + " '" + relative + "' is an absolute path");
        }
        Path resolved = folder.resolve(given).normalize();
        if (!resolved.startsWith(folder)) {
            return TextFile.refused(relative, what + " '" + relative + "' is outside the descriptor's folder " + folder);
        }
        if (!Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
            return TextFile.refused(relative, what + " '" + relative + "' does not exist (looked for " + resolved + ")");
        }
        Path real;
        try {
            real = resolved.toRealPath();
            if (!real.startsWith(folder.toRealPath())) {
                return TextFile.refused(relative, what + " '" + relative + "' is a link to " + real
                        + ", outside the descriptor's folder");
            }
        } catch (IOException e) {
            return TextFile.refused(relative, what + " '" + relative + "' does not exist (looked for " + resolved
                    + "; a broken link?)");
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(real, BasicFileAttributes.class);
        } catch (IOException e) {
            return TextFile.refused(relative, "cannot read " + what + " '" + relative + "': " + e.getMessage());
        }
        if (attributes.isDirectory()) {
            return TextFile.refused(relative, what + " '" + relative + "' is a folder");
        }
        if (!attributes.isRegularFile()) {
            return TextFile.refused(relative, what + " '" + relative + "' is not a regular file (a device, FIFO or socket)");
        }
        if (attributes.size() > MAX_BYTES) {
            return TextFile.refused(relative, what + " '" + relative + "' has " + attributes.size() + " bytes");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(real)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            return TextFile.refused(relative, "cannot read " + what + " '" + relative + "': " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            return TextFile.refused(relative, what + " '" + relative + "' has more than " + MAX_BYTES + " bytes");
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return new TextFile(relative, text, bytes.length, Optional.empty());
        } catch (CharacterCodingException e) {
            return TextFile.refused(relative, what + " '" + relative + "' is not UTF-8 text");
        }
    }
}
