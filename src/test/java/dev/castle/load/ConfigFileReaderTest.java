package dev.castle.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one reader of config files: only regular UTF-8 files inside the descriptor's folder, at most 1 MiB, read once. */
class ConfigFileReaderTest {
    @TempDir
    Path tmp;

    private String problem(ConfigFileReader reader, String path) {
        return reader.read(path).problem().orElse("");
    }

    @Test
    void readsATextFileOnce() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("system"));
        Files.writeString(Files.createDirectories(folder.resolve("config")).resolve("app.conf"), "key = välue\n");
        ConfigFileReader reader = new ConfigFileReader(folder);
        ConfigFileReader.TextFile file = reader.read("config/app.conf");
        assertEquals(Optional.empty(), file.problem());
        assertEquals("key = välue\n", file.text());
        assertSame(file, reader.read("config/app.conf"));
    }

    @Test
    void refusesWhatIsNotARegularTextFileInsideTheFolder() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("system"));
        Files.writeString(tmp.resolve("secret.txt"), "outside");
        Files.createDirectories(folder.resolve("dir"));
        Files.createSymbolicLink(folder.resolve("link"), tmp.resolve("secret.txt"));
        Files.write(folder.resolve("binary"), new byte[] {(byte) 0xC3, (byte) 0x28});
        Files.write(folder.resolve("big"), new byte[ConfigFileReader.MAX_BYTES + 1]);
        ConfigFileReader reader = new ConfigFileReader(folder);
        assertTrue(problem(reader, "../secret.txt").contains("outside the descriptor's folder"));
        assertTrue(problem(reader, "link").contains("is a link to"), problem(reader, "link"));
        assertTrue(problem(reader, "dir").contains("is a folder"));
        assertTrue(problem(reader, "/etc/passwd").contains("absolute path"));
        assertTrue(problem(reader, "missing.conf").contains("does not exist"));
        assertTrue(problem(reader, "binary").contains("not UTF-8"));
        assertTrue(problem(reader, "big").contains("bytes"));
        assertTrue(problem(reader, "/dev/zero").contains("absolute path"));
    }

    @Test
    void refusesAFifoWithoutOpeningIt() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("system"));
        Process mkfifo = new ProcessBuilder("mkfifo", folder.resolve("pipe").toString()).start();
        if (mkfifo.waitFor() != 0) {
            return; // no mkfifo on this machine
        }
        assertTrue(problem(new ConfigFileReader(folder), "pipe").contains("not a regular file"));
    }
}
