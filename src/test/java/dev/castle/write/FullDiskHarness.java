package dev.castle.write;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.castle.cli.CastleCommand;
import dev.castle.cli.Pipeline;
import dev.castle.testing.FileTree;

/**
 * Runs inside a mount namespace where it may mount (see {@link FullDiskTest}): writes the old
 * output of a descriptor onto small tmpfs file systems of a range of sizes, then the new output
 * over it, so that the disk fills up at a different file each time. Every run must either write
 * the new output whole or fail with "No space left on device" leaving the old output exactly as
 * it was and still castle's. Also checks the command line's exit status and message on a full
 * and on a read-only file system. Arguments: a work folder, the old and the new descriptor, the
 * number of sizes. Prints a summary; exits 1 on the first broken promise.
 */
public final class FullDiskHarness {
    private FullDiskHarness() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path oldDescriptor = Path.of(args[1]);
        Path newDescriptor = Path.of(args[2]);
        int sizes = Integer.parseInt(args[3]);
        Pipeline.Result old = Pipeline.generate(Pipeline.model(oldDescriptor), Optional.empty(), true);
        Pipeline.Result next = Pipeline.generate(Pipeline.model(newDescriptor), Optional.empty(), true);
        String system = old.model().metadata().name();
        List<String> roots = old.roots();

        Path big = mount(work.resolve("big"), 256L << 20, false);
        long empty = used(big);
        write(big.resolve("old"), system, roots, old.files());
        long oldBytes = used(big) - empty;
        Map<String, String> oldTree = FileTree.snapshot(big.resolve("old"));
        write(big.resolve("new"), system, roots, next.files());
        Map<String, String> newTree = FileTree.snapshot(big.resolve("new"));
        long newBytes = used(big) - empty - oldBytes;
        unmount(big);

        long from = oldBytes + 4096;
        long to = oldBytes + newBytes + 64 * 1024;
        int refused = 0;
        int fitted = 0;
        int tooSmall = 0;
        for (int i = 0; i < sizes; i++) {
            long size = from + (to - from) * i / Math.max(1, sizes - 1);
            Path disk = mount(work.resolve("disk-" + i), size, false);
            Path out = disk.resolve("out");
            try {
                write(out, system, roots, old.files());
            } catch (OutputException e) {
                tooSmall++;
                unmount(disk);
                continue;
            }
            check(FileTree.snapshot(out).equals(oldTree), size + " bytes: the old output was not written whole");
            try {
                write(out, system, roots, next.files());
                check(FileTree.snapshot(out).equals(newTree), size + " bytes: the new output was not written whole");
                fitted++;
            } catch (OutputException e) {
                check(e.getMessage().contains("No space left on device"), size + " bytes: " + e.getMessage());
                check(e.getMessage().contains("the previous output is complete"), e.getMessage());
                Map<String, String> after = FileTree.snapshot(out);
                check(after.equals(oldTree), size + " bytes, full disk: the old output changed:" + FileTree.difference(oldTree, after));
                check(new OutputWriter(out, n -> { }).write(system, roots, old.files(), false).isEmpty(),
                        size + " bytes: the old output is no longer recognised as up to date");
                refused++;
            }
            unmount(disk);
        }
        check(refused > sizes / 3, "too few runs filled the disk: " + refused + " of " + sizes);

        Path disk = mount(work.resolve("cli"), oldBytes + newBytes / 2, false);
        Path out = disk.resolve("out");
        String[] first = castle("generate", oldDescriptor.toString(), "-o", out.toString());
        check(first[0].equals("0"), "castle generate on an empty small disk: " + String.join("\n", first));
        Map<String, String> before = FileTree.snapshot(out);
        String[] full = castle("generate", newDescriptor.toString(), "-o", out.toString());
        check(full[0].equals("2") && full[2].contains("No space left on device") && !full[2].contains("bug in castle")
                && !full[2].contains("\tat "), "castle generate on a full disk: exit 2 and the reason: " + String.join("\n", full));
        check(FileTree.snapshot(out).equals(before), "castle generate on a full disk changed the output");
        unmount(disk);

        Path readOnly = mount(work.resolve("read-only"), 64L << 20, false);
        out = readOnly.resolve("out");
        check(castle("generate", oldDescriptor.toString(), "-o", out.toString())[0].equals("0"), "a first generation");
        before = FileTree.snapshot(out);
        run("mount", "-o", "remount,ro", readOnly.toString());
        String[] denied = castle("generate", newDescriptor.toString(), "-o", out.toString());
        check(denied[0].equals("2") && denied[2].contains("Read-only file system") && !denied[2].contains("bug in castle"),
                "castle generate on a read-only file system: " + String.join("\n", denied));
        String[] upToDate = castle("generate", oldDescriptor.toString(), "-o", out.toString());
        check(upToDate[0].equals("0") && upToDate[1].contains("up to date"),
                "an up-to-date output on a read-only file system needs no write: " + String.join("\n", upToDate));
        check(FileTree.snapshot(out).equals(before), "the read-only output changed");
        unmount(readOnly);

        Path scratch = Path.of(System.getProperty("java.io.tmpdir"));
        mount(scratch, 16 * 1024, false);
        String[] noScratch = castle("generate", oldDescriptor.toString(), "-o", work.resolve("scratch-out").toString());
        check(noScratch[0].equals("2") && noScratch[2].contains("No space left on device") && !noScratch[2].contains("bug in castle"),
                "the Helm engine's scratch folder on a full disk: " + String.join("\n", noScratch));
        unmount(scratch);

        System.out.printf("full disk: %d tmpfs sizes from %d to %d bytes (old output %d bytes, new %d): %d filled up and"
                        + " kept the old output, %d fitted the new output, %d could not hold the old one; command line:"
                        + " full disk, read-only file system and a full scratch folder exit 2%n", sizes, from, to, oldBytes, newBytes, refused, fitted,
                tooSmall);
    }

    private static void write(Path out, String system, List<String> roots, Map<String, byte[]> files) throws OutputException {
        new OutputWriter(out, n -> { }).write(system, roots, files, false);
    }

    private static String[] castle(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = CastleCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }

    private static long used(Path disk) throws IOException {
        var store = Files.getFileStore(disk);
        return store.getTotalSpace() - store.getUsableSpace();
    }

    private static Path mount(Path dir, long bytes, boolean readOnly) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run("mount", "-t", "tmpfs", "-o", "size=" + bytes + (readOnly ? ",ro" : ""), "tmpfs", dir.toString());
        return dir;
    }

    private static void unmount(Path dir) throws IOException, InterruptedException {
        run("umount", dir.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": " + new String(process.getInputStream().readAllBytes()));
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    static List<String> arguments(Path work, Path oldDescriptor, Path newDescriptor, int sizes) {
        List<String> args = new ArrayList<>();
        args.add(work.toString());
        args.add(oldDescriptor.toString());
        args.add(newDescriptor.toString());
        args.add(Integer.toString(sizes));
        return args;
    }
}
