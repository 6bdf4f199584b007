package dev.castle.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.Optional;

import dev.castle.load.InvalidInputException;
import dev.castle.write.OutputException;
import dev.castle.write.OutputWriter;
import picocli.CommandLine;

/** The one place where outcomes become exit statuses: 0 ok, 2 invalid input or usage, 1 internal error. */
final class ExitCodes implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final int OK = 0;
    static final int INTERNAL_ERROR = 1;
    static final int INVALID_INPUT = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof InvalidInputException invalid) {
            Object command = commandLine.getCommand();
            if (command instanceof Diagnosing diagnosing) {
                DiagnosticsReport.failed(diagnosing.format(), diagnosing.descriptor(), invalid.diagnostics(), commandLine.getOut(), err);
            } else {
                DiagnosticsReport.text(DiagnosticsReport.ordered(invalid.diagnostics()), err);
                err.flush();
            }
            return INVALID_INPUT;
        }
        if (e instanceof UserError || e instanceof OutputException) {
            err.println("castle: " + e.getMessage());
            err.flush();
            return INVALID_INPUT;
        }
        Optional<IOException> environment = refusedByTheMachine(e);
        if (environment.isPresent()) {
            IOException refusal = environment.get();
            String where = refusal instanceof java.nio.file.FileSystemException f && f.getFile() != null ? ""
                    : " (castle's temporary files go to " + System.getProperty("java.io.tmpdir") + ")";
            err.println("castle: the machine refused a file operation: " + OutputWriter.reason(refusal) + where);
            err.flush();
            return INVALID_INPUT;
        }
        err.println("castle: internal error: " + e);
        e.printStackTrace(err);
        err.println("This is a bug in castle; please report it with the descriptor that caused it.");
        err.flush();
        return INTERNAL_ERROR;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("castle: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return INVALID_INPUT;
    }

    /**
     * A failure of the machine rather than of castle, anywhere in a run (a scratch folder on a full
     * disk, a read-only or forbidden folder): the disk is full or over quota, the file system is
     * read-only, access is denied, or a path runs through a file.
     */
    static Optional<IOException> refusedByTheMachine(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AccessDeniedException || t instanceof NotDirectoryException) {
                return Optional.of((IOException) t);
            }
            String message = t instanceof FileSystemException f ? f.getReason() : t.getMessage();
            if (t instanceof IOException io && message != null && MACHINE_REFUSALS.stream().anyMatch(message::contains)) {
                return Optional.of(io);
            }
        }
        return Optional.empty();
    }

    private static final List<String> MACHINE_REFUSALS = List.of("No space left on device", "Disk quota exceeded",
            "Read-only file system", "Permission denied", "Operation not permitted", "Not a directory",
            "File too large", "Too many open files");

    /** A usage problem found after parsing (an output folder that is a file, edited files, ...). */
    static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UserError(String message) {
            super(message);
        }
    }
}
