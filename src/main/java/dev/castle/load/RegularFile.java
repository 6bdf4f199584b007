package dev.castle.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads an input file of the user, bounded: only a regular file (never a folder, a device such as
 * {@code /dev/zero}, a FIFO that would block, or a socket), and at most a given number of bytes,
 * checked before reading and while reading (a file that grows meanwhile is caught too).
 */
final class RegularFile {
    private RegularFile() {
    }

    /** The bytes of {@code file}, or a diagnostic at its first line saying why not. */
    static byte[] read(Path file, int maxBytes, String allowed) throws InvalidInputException {
        Position start = new Position(file, 1, 1);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(new Diagnostic(start, "/", "file not found", allowed));
        } catch (IOException e) {
            throw new InvalidInputException(new Diagnostic(start, "/", "cannot read file: " + reason(e), allowed));
        }
        if (attrs.isDirectory()) {
            throw new InvalidInputException(new Diagnostic(start, "/", "this is a folder, not a file", allowed));
        }
        if (!attrs.isRegularFile()) {
            throw new InvalidInputException(new Diagnostic(start, "/",
                    "this is not a regular file (a device, FIFO or socket)", allowed));
        }
        if (attrs.size() > maxBytes) {
            throw tooLarge(start, attrs.size(), maxBytes);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw tooLarge(start, bytes.length, maxBytes);
            }
            return bytes;
        } catch (IOException e) {
            throw new InvalidInputException(new Diagnostic(start, "/", "cannot read file: " + reason(e), allowed));
        }
    }

    /** @param size the file's size, or {@code maxBytes + 1} when it was found larger while reading */
    static InvalidInputException tooLarge(Position start, long size, int maxBytes) {
        return new InvalidInputException(new Diagnostic(start, "/", "file is " + (size == maxBytes + 1L ? "over " + maxBytes : size)
                + " bytes", "a descriptor of at most " + maxBytes + " bytes"));
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e instanceof java.nio.file.AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
    }
}
