package lowp.cli;

/** An error caused by the user's input; the CLI prints its message (no stack trace) and exits with 2. */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }
}
