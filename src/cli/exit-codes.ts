/** The exit code contract, documented in the README. */
export const EXIT_OK = 0; // no check failed or errored (warnings allowed)
export const EXIT_CHECK_FAILED = 1; // at least one check failed or could not complete
export const EXIT_USAGE = 2; // bad usage or input: unknown option or check id, unreadable file
export const EXIT_INTERNAL = 3; // the tool itself broke
export const EXIT_INTERRUPTED = 130; // Ctrl-C, as shells report SIGINT
