package dev.castle.cli;

import java.io.PrintWriter;

import dev.castle.load.InvalidInputException;
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
        if (e instanceof UserError user) {
            err.println("castle: " + user.getMessage());
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

    /** A usage problem found after parsing (an output folder that is a file, edited files, ...). */
    static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UserError(String message) {
            super(message);
        }
    }
}
