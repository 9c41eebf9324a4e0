//! The `tiergate` binary: everything lives in the library; this maps its exit code.

use std::io::Write;

// The scan allocates many small strings on several threads at once; mimalloc handles
// that markedly better than the system allocator. Built without transparent huge
// pages: with them every first touch of its arena zeroes a 2 MiB page, which costs a
// short command such as the hook a large part of its run and a scan a third of its
// peak memory.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    library_backtraces_off();
    let code = tiergate::run(std::env::args_os());
    // Every value of the run has been dropped and every file written and closed by
    // now. What is left are the exit handlers, and mimalloc's walks every heap to give
    // its memory back, page by page, to a process about to end: tens of milliseconds
    // after a scan. Flush the standard streams (ignoring errors, as the runtime's own
    // flush at exit does) and end here instead.
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    tiergate::platform::exit_now(code)
}

/// Errors are reported by their messages, never with a backtrace, yet with
/// `RUST_BACKTRACE` set every error value made captures one, and the policy parser
/// makes and discards one at each point where it tries one reading of the text and
/// then another: 15 ms of a scan's start on the shipped packs. Unless the user asks for
/// library backtraces (`RUST_LIB_BACKTRACE`), turn them off. The standard library
/// reads the setting once, at the first capture; the variable is removed again so that
/// child processes see the environment as it was. Panics keep `RUST_BACKTRACE`.
fn library_backtraces_off() {
    if std::env::var_os("RUST_LIB_BACKTRACE").is_some() {
        return;
    }
    // SAFETY: no other thread exists yet, so none reads the environment meanwhile.
    unsafe { std::env::set_var("RUST_LIB_BACKTRACE", "0") };
    let _ = std::backtrace::Backtrace::capture();
    // SAFETY: as above.
    unsafe { std::env::remove_var("RUST_LIB_BACKTRACE") };
}
