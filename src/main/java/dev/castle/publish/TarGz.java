package dev.castle.publish;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reproducible gzip-compressed tar archives, as small as a chart needs: regular files only, in
 * sorted order, mode 0644, owner 0:0, one fixed modification time; USTAR headers (a PAX header for a
 * name USTAR cannot hold). The gzip header is Helm's own (no time stamp, Helm's extra field and
 * comment), so the same files give the same bytes. Reading accepts what Helm and GNU tar write.
 */
final class TarGz {
    /** One file of an archive. */
    record Entry(String name, byte[] data) {
    }

    /** The extra field and comment {@code helm package} puts in the gzip header. */
    private static final byte[] HELM_EXTRA = "+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HELM_COMMENT = "Helm".getBytes(StandardCharsets.US_ASCII);
    private static final int BLOCK = 512;
    /** A decompressed size no chart reaches; guards against a compressed bomb. */
    static final long MAX_SIZE = 512L * 1024 * 1024;

    private TarGz() {
    }

    /** The archive of these files, sorted by name, each with the given modification time (seconds since 1970). */
    static byte[] write(List<Entry> entries, long mtimeSeconds) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::name));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
                throw new IllegalArgumentException("the archive would hold " + sorted.get(i).name() + " twice");
            }
        }
        for (Entry e : sorted) {
            writeEntry(tar, e.name(), e.data(), mtimeSeconds);
        }
        tar.writeBytes(new byte[2 * BLOCK]);
        return gzip(tar.toByteArray());
    }

    private static void writeEntry(ByteArrayOutputStream tar, String name, byte[] data, long mtime) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        boolean ascii = nameBytes.length == name.length();
        String prefix = "";
        String shortName = name;
        if (!ascii || nameBytes.length > 100) {
            int split = ascii ? splitForUstar(name) : -1;
            if (split > 0) {
                prefix = name.substring(0, split);
                shortName = name.substring(split + 1);
            } else {
                String base = name.substring(name.lastIndexOf('/') + 1);
                String paxName = truncate("PaxHeaders.0/" + base, 100);
                byte[] record = paxRecord("path", name);
                tar.writeBytes(header(paxName, "", record.length, mtime, 'x'));
                tar.writeBytes(record);
                pad(tar, record.length);
                shortName = truncate(name, 100);
            }
        }
        tar.writeBytes(header(shortName, prefix, data.length, mtime, '0'));
        tar.writeBytes(data);
        pad(tar, data.length);
    }

    private static int splitForUstar(String name) {
        int length = name.length();
        for (int i = Math.min(length - 1, 155); i > 0; i--) {
            if (name.charAt(i) == '/' && length - i - 1 <= 100 && length - i - 1 > 0) {
                return i;
            }
        }
        return -1;
    }

    private static String truncate(String s, int bytes) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            char safe = c < 0x80 ? c : '_';
            if (out.length() >= bytes) {
                break;
            }
            out.append(safe);
        }
        return out.toString();
    }

    private static byte[] paxRecord(String key, String value) {
        byte[] body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
        int length = body.length + 1;
        while (Integer.toString(length).length() + body.length != length) {
            length = Integer.toString(length).length() + body.length;
        }
        return (length + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] header(String name, String prefix, long size, long mtime, char type) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name);
        put(h, 100, 8, "0000644");
        put(h, 108, 8, "0000000");
        put(h, 116, 8, "0000000");
        put(h, 124, 12, String.format("%011o", size));
        put(h, 136, 12, String.format("%011o", mtime));
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = (byte) type;
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        put(h, 329, 8, "0000000");
        put(h, 337, 8, "0000000");
        put(h, 345, 155, prefix);
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        byte[] chk = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(chk, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > length) {
            throw new IllegalArgumentException("tar header field too long: " + value);
        }
        System.arraycopy(bytes, 0, h, offset, bytes.length);
    }

    private static void pad(ByteArrayOutputStream tar, long length) {
        int rest = (int) (length % BLOCK);
        if (rest != 0) {
            tar.writeBytes(new byte[BLOCK - rest]);
        }
    }

    /** gzip with Helm's header: flags FEXTRA|FCOMMENT, no time stamp, OS unknown; default compression. */
    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0x04 | 0x10, 0, 0, 0, 0, 0, (byte) 0xff});
        out.write(HELM_EXTRA.length & 0xFF);
        out.write(HELM_EXTRA.length >> 8);
        out.writeBytes(HELM_EXTRA);
        out.writeBytes(HELM_COMMENT);
        out.write(0);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, deflater, 64 * 1024)) {
            deflate.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            deflater.end();
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        int[] trailer = {(int) crc.getValue(), data.length};
        for (int value : trailer) {
            out.write(value);
            out.write(value >>> 8);
            out.write(value >>> 16);
            out.write(value >>> 24);
        }
        return out.toByteArray();
    }

    /** The regular files of a .tgz, in archive order (folders and extended headers skipped). */
    static List<Entry> read(byte[] tgz) throws PublishException {
        byte[] tar;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(tgz))) {
            tar = readLimited(in);
        } catch (ZipException e) {
            throw new PublishException("not a gzip-compressed archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new PublishException("cannot read the archive: " + e.getMessage());
        }
        List<Entry> entries = new ArrayList<>();
        int pos = 0;
        String longName = null;
        Map<String, String> pax = new LinkedHashMap<>();
        while (pos + BLOCK <= tar.length) {
            if (isZero(tar, pos)) {
                break;
            }
            verifyChecksum(tar, pos);
            String name = field(tar, pos, 100);
            long size = number(tar, pos + 124, 12);
            char type = (char) tar[pos + 156];
            String magic = field(tar, pos + 257, 6);
            if (magic.startsWith("ustar")) {
                String prefix = field(tar, pos + 345, 155);
                if (!prefix.isEmpty() && "ustar".equals(magic)) {
                    name = prefix + "/" + name;
                }
            }
            int dataStart = pos + BLOCK;
            if (size < 0 || dataStart + size > tar.length) {
                throw new PublishException("the archive is truncated");
            }
            byte[] data = java.util.Arrays.copyOfRange(tar, dataStart, (int) (dataStart + size));
            pos = dataStart + (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
            switch (type) {
                case 'x' -> pax = parsePax(data);
                case 'g', 'K' -> { }
                case 'L' -> longName = new String(data, StandardCharsets.UTF_8).replaceAll("\0+$", "");
                case '0', '\0', '7' -> {
                    if (longName != null) {
                        name = longName;
                    }
                    if (pax.containsKey("path")) {
                        name = pax.get("path");
                    }
                    if (name.endsWith("/") && size == 0) {
                        break; // a folder written by an old tar
                    }
                    entries.add(new Entry(name, data));
                    longName = null;
                    pax = new LinkedHashMap<>();
                }
                case '5' -> {
                    longName = null;
                    pax = new LinkedHashMap<>();
                }
                default -> throw new PublishException("the archive holds " + (type == '2' ? "a symbolic link" : type == '1'
                        ? "a hard link" : "an entry of type '" + type + "'") + " (" + name + "); a chart archive holds files only");
            }
        }
        return entries;
    }

    private static byte[] readLimited(InputStream in) throws IOException, PublishException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > MAX_SIZE) {
                throw new PublishException("the archive expands to more than " + MAX_SIZE / (1024 * 1024) + " MB");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static boolean isZero(byte[] tar, int pos) {
        for (int i = pos; i < pos + BLOCK; i++) {
            if (tar[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static void verifyChecksum(byte[] tar, int pos) throws PublishException {
        long expected = number(tar, pos + 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : tar[pos + i] & 0xFF;
        }
        if (sum != expected) {
            throw new PublishException("not a tar archive (bad header checksum)");
        }
    }

    private static String field(byte[] tar, int offset, int length) {
        int end = offset;
        while (end < offset + length && tar[end] != 0) {
            end++;
        }
        return new String(tar, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long number(byte[] tar, int offset, int length) throws PublishException {
        if ((tar[offset] & 0x80) != 0) { // GNU base-256
            long value = tar[offset] & 0x7F;
            for (int i = offset + 1; i < offset + length; i++) {
                value = (value << 8) | (tar[i] & 0xFF);
            }
            return value;
        }
        String text = field(tar, offset, length).trim();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new PublishException("not a tar archive (bad number \"" + text + "\" in a header)");
        }
    }

    private static Map<String, String> parsePax(byte[] data) throws PublishException {
        Map<String, String> records = new LinkedHashMap<>();
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new PublishException("the archive has a bad PAX header");
            }
            if (length <= 0 || pos + length > data.length) {
                throw new PublishException("the archive has a bad PAX header");
            }
            String record = new String(data, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0) {
                records.put(record.substring(0, eq), record.substring(eq + 1));
            }
            pos += length;
        }
        return records;
    }
}
