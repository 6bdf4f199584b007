package dev.castle.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.castle.load.DescriptorLoader;
import dev.castle.load.Diagnostic;
import dev.castle.load.InvalidInputException;
import dev.castle.load.SourceMap;
import dev.castle.model.SystemModel;
import dev.castle.pin.DigestPinning;

/** {@code generate --pin-digests}: the model with pinned images, or every image that could not be pinned, at its place (exit 2). */
final class Pinning {
    private Pinning() {
    }

    static SystemModel pin(Path descriptor, SystemModel model, DigestPinning.Resolver resolver) throws InvalidInputException {
        DigestPinning.Result result = DigestPinning.pin(model, resolver);
        if (result.failures().isEmpty()) {
            return result.model();
        }
        SourceMap sources = new SourceMap(new DescriptorLoader().load(descriptor));
        List<Diagnostic> problems = new ArrayList<>();
        for (DigestPinning.Unpinned failure : result.failures()) {
            SourceMap.Location at = sources.locate(failure.pointer(), false);
            problems.add(new Diagnostic(at.position(), failure.pointer(), "--pin-digests cannot pin " + failure.reference() + " (" + failure.what() + "): "
                    + failure.reason(), failure.pointer().isEmpty()
                    ? "a registry that serves castle's own images (--registry-mirror docker.io=HOST for a mirror of Docker Hub)"
                    : "an image the registry serves under this tag, or a digest written in the descriptor"));
        }
        throw new InvalidInputException(problems);
    }
}
