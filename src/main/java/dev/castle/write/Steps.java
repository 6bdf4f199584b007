package dev.castle.write;

import java.io.IOException;

/**
 * Called before each step of a write that touches the disk ("stage shop/values.yaml", "commit",
 * "move-in shop", ...). castle itself does nothing there; tests use it to fail a write (a full disk)
 * or stop it dead (kill -9) at every step in turn, and to slow a run down so that another process
 * can be killed or started inside it.
 */
@FunctionalInterface
interface Steps {
    Steps NONE = step -> { };

    void at(String step) throws IOException;
}
