package dev.castle.cli;

/** Entry point of the {@code castle} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(CastleCommand.execute(args));
    }
}
