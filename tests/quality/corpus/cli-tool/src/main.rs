use std::process::ExitCode;

mod walk;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(pattern) = args.next() else {
        eprintln!("usage: seek PATTERN [PATH...]");
        return ExitCode::from(2);
    };
    let re = match regex::Regex::new(&pattern) {
        Ok(re) => re,
        Err(e) => {
            eprintln!("seek: {e}");
            return ExitCode::from(2);
        }
    };
    let paths: Vec<String> = args.collect();
    let found = walk::search(&re, if paths.is_empty() { vec![".".into()] } else { paths });
    if found { ExitCode::SUCCESS } else { ExitCode::from(1) }
}
