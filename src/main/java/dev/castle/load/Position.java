package dev.castle.load;

import java.nio.file.Path;

/** A place in a descriptor file, 1-based, as editors show it. */
public record Position(Path file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
