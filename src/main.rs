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
    // Errors are reported by their messages, never with a backtrace.
    tiergate::platform::library_backtraces_off();
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
