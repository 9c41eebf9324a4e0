//! The `tiergate` binary: everything lives in the library; this maps its exit code.

// The scan allocates many small strings on several threads at once; mimalloc handles
// that markedly better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(tiergate::run(std::env::args_os()))
}
