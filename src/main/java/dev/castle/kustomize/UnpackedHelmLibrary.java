package dev.castle.kustomize;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ServiceLoader;

import com.marcnuri.helm.jni.HelmLib;
import com.marcnuri.helm.jni.NativeLibrary;
import com.sun.jna.Native;

/**
 * Helm's engine (helm-java's native library, about 98 MB) loaded from a folder where it was unpacked
 * once. helm-java's own loader unpacks it from the jar into a new temporary folder on every run,
 * which costs a run that renders the Kustomize output about a second. The launcher names the folder
 * with {@code -Dcastle.nativeDir}; without it, or when the folder cannot be written, helm-java's own
 * loader runs. Registered as helm-java's {@link NativeLibrary} service ahead of the platform's own.
 */
public final class UnpackedHelmLibrary implements NativeLibrary {
    static final String FOLDER_PROPERTY = "castle.nativeDir";

    private final NativeLibrary platform = platformLibrary();

    /** The platform's own provider (chosen by type first: instantiating this one again would recurse). */
    private static NativeLibrary platformLibrary() {
        return ServiceLoader.load(NativeLibrary.class, UnpackedHelmLibrary.class.getClassLoader()).stream()
                .filter(provider -> provider.type() != UnpackedHelmLibrary.class)
                .findFirst()
                .map(ServiceLoader.Provider::get)
                .orElseThrow(() -> new IllegalStateException("helm-java has no native library for this platform"));
    }

    @Override
    public String getBinaryName() {
        return platform.getBinaryName();
    }

    @Override
    public HelmLib load() {
        String folder = System.getProperty(FOLDER_PROPERTY, "");
        if (folder.isBlank()) {
            return platform.load();
        }
        Path library;
        try {
            library = unpacked(Path.of(folder));
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return platform.load();
        }
        HelmLib helm = Native.load(library.toString(), HelmLib.class);
        // As helm-java's loader does: stop any repository server Helm started.
        Runtime.getRuntime().addShutdownHook(new Thread(helm::RepoServerStopAll));
        return helm;
    }

    /**
     * The library in {@code folder}, named after the size and checksum of the jar's copy so that a
     * new build never loads an older engine; unpacked (to a temporary name, then moved) when missing.
     */
    Path unpacked(Path folder) throws IOException {
        String name = getBinaryName();
        URL resource = platform.getClass().getResource("/" + name);
        if (resource == null) {
            throw new IOException(name + " is not on the class path");
        }
        URLConnection connection = resource.openConnection();
        long size = connection.getContentLengthLong();
        long crc = connection instanceof JarURLConnection jar ? jar.getJarEntry().getCrc() : -1;
        int dot = name.lastIndexOf('.');
        Path library = folder.resolve((dot < 0 ? name : name.substring(0, dot)) + "-" + Long.toHexString(size) + "-"
                + Long.toHexString(crc) + (dot < 0 ? "" : name.substring(dot)));
        if (Files.isRegularFile(library) && Files.size(library) == size) {
            return library;
        }
        Files.createDirectories(folder);
        Path temp = Files.createTempFile(folder, ".unpacking-", ".tmp");
        try {
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(temp, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, library, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return library;
    }
}
