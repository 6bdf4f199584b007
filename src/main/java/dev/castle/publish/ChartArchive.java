package dev.castle.publish;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * What castle adds to Helm's archive: reproducible bytes. {@code helm package} stamps every entry
 * with the time of packaging; castle rewrites the same entries, sorted by name, with one time stamp,
 * mode 0644 and owner 0:0, and no time in the gzip header. Also reads chart archives (regular files
 * only, bounded) and unpacks one as Helm's loader sees it.
 */
final class ChartArchive {
    /** One file of an archive. */
    record Entry(String name, byte[] data) {
    }

    /** Helm refuses charts that expand beyond 100 MiB; reading stops well before a compressed bomb hurts. */
    static final long MAX_EXPANDED = 256L * 1024 * 1024;

    private ChartArchive() {
    }

    /** The regular files of a .tgz, in archive order. */
    static List<Entry> read(byte[] tgz, String where) throws PublishException {
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.isDirectory()) {
                    continue;
                }
                if (e.getLinkFlag() != TarArchiveEntry.LF_NORMAL && e.getLinkFlag() != TarArchiveEntry.LF_OLDNORM
                        && e.getLinkFlag() != TarArchiveEntry.LF_CONTIG) {
                    throw new PublishException(where + " holds " + e.getName() + ", which is not a regular file (a link?); "
                            + "a chart archive holds files only");
                }
                total += e.getSize();
                if (total > MAX_EXPANDED) {
                    throw new PublishException(where + " expands to more than " + MAX_EXPANDED / (1024 * 1024) + " MiB");
                }
                entries.add(new Entry(e.getName(), tar.readAllBytes()));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new PublishException(where + " is not a gzip-compressed tar archive (" + e.getMessage() + ")");
        }
        return entries;
    }

    /** Helm's archive rewritten with sorted entries, one modification time (seconds since 1970), mode 0644, owner 0:0. */
    static byte[] reproducible(byte[] helmArchive, long mtimeSeconds) throws PublishException {
        List<Entry> entries = new ArrayList<>(read(helmArchive, "the archive Helm wrote"));
        entries.sort(Comparator.comparing(Entry::name));
        ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            for (Entry e : entries) {
                TarArchiveEntry header = new TarArchiveEntry(e.name(), true);
                header.setSize(e.data().length);
                header.setMode(0644);
                header.setModTime(mtimeSeconds * 1000);
                header.setIds(0, 0);
                header.setNames("", "");
                tar.putArchiveEntry(header);
                tar.write(e.data());
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return gzip(tarBytes.toByteArray());
    }

    /**
     * Unpacks a chart archive that Helm has loaded into {@code dir}, as Helm's loader reads it: the
     * first folder of every path names the chart and is dropped.
     */
    static void unpack(byte[] tgz, String where, Path dir) throws PublishException {
        Path root = dir.toAbsolutePath().normalize();
        for (Entry e : read(tgz, where)) {
            String name = e.name().replace('\\', '/');
            int slash = name.indexOf('/');
            Path target = root.resolve(name.substring(slash + 1)).normalize();
            if (slash < 0 || name.startsWith("/") || !target.startsWith(root) || target.equals(root)) {
                throw new PublishException(where + " holds " + e.name() + ", outside the chart's folder");
            }
            try {
                Files.createDirectories(target.getParent());
                Files.write(target, e.data());
            } catch (IOException x) {
                throw new PublishException("cannot unpack " + where + " into " + dir + ": " + PublishException.reason(x));
            }
        }
    }

    static String sha256(byte[] data) {
        return dev.castle.text.Sha256.hex(data);
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) { // no file name, no time in the header
            gzip.write(data);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }
}
