use std::process::Command;

#[test]
fn no_match_exits_one() {
    let out = Command::new(env!("CARGO_BIN_EXE_seek")).args(["zzzz-not-there", "src"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}
