//! The `tiergate` binary: everything lives in the library; this maps its exit code.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(tiergate::run(std::env::args_os()))
}
