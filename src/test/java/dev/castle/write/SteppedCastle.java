package dev.castle.write;

import java.util.Arrays;

import dev.castle.cli.CastleCommand;

/**
 * {@code castle} with its writer announcing each step on stdout ("castle-step commit") and pausing
 * there, so that a test can kill the process (kill -9) at a chosen step or start a second run
 * while the first is writing. Arguments: the pause in milliseconds at every step, or
 * {@code STEP=FILE} to stop at that step until FILE exists; then castle's own arguments.
 */
public final class SteppedCastle {
    static final String PREFIX = "castle-step ";

    private SteppedCastle() {
    }

    public static void main(String[] args) {
        String[] until = args[0].split("=", 2);
        long pause = until.length == 1 ? Long.parseLong(args[0]) : 0;
        OutputWriter.hook = step -> {
            System.out.println(PREFIX + step);
            System.out.flush();
            try {
                if (pause > 0) {
                    Thread.sleep(pause);
                }
                while (until.length == 2 && until[0].equals(step) && !java.nio.file.Files.exists(java.nio.file.Path.of(until[1]))) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        System.exit(CastleCommand.execute(Arrays.copyOfRange(args, 1, args.length)));
    }
}
