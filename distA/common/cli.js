// What every command-line entry point does at its edges: print a text and return the exit code, and run
// `main` so that its result becomes the exit code and an error becomes one line on stderr (no stack trace).
/** Writes `text` and a newline, and returns `code` so a command can `return print(HELP, 2, true)`. */
export function print(text, code, toStderr = false) {
    (toStderr ? process.stderr : process.stdout).write(text + '\n');
    return code;
}
/** Runs `main` with the process arguments; `exitCodeFor` maps a thrown error to an exit code (default 1). */
export function runCli(name, main, exitCodeFor = () => 1) {
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    }, (error) => {
        process.stderr.write(`${name}: ${error.message}\n`);
        process.exitCode = exitCodeFor(error);
    });
}
//# sourceMappingURL=cli.js.map