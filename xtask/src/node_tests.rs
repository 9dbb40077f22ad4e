//! Node's test runner, run so that a failure is named at the end of the output: the tests print
//! as they go (TAP on stdout), and a copy of the TAP in `target/` is read back afterwards for
//! the failed tests' names, which the suite's error then carries into the test command's last
//! lines (a long log, such as CI's, is often read from its tail only).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, anyhow};

use crate::{root, run_cmd};

/// Runs `node --test` on `files` with `args` (before the files) and `env`, in the workspace
/// root; the error names every failed test as "file › test".
pub fn run(suite: &str, args: &[&str], files: &[PathBuf], env: &[(&str, &Path)]) -> Result<()> {
    let report = root().join("target").join(format!("{suite}-tests.tap"));
    std::fs::create_dir_all(report.parent().unwrap_or(&report)).context("creating target/")?;
    let mut cmd = Command::new("node");
    cmd.arg("--test")
        .args(args)
        .args(["--test-reporter=tap", "--test-reporter-destination=stdout"])
        .arg("--test-reporter=tap")
        .arg(format!("--test-reporter-destination={}", report.display()))
        .args(files);
    for (key, value) in env {
        cmd.env(key, value);
    }
    // Node empties the file only once its reporter starts: a run that stops before must not
    // be blamed on the last run's failures.
    let _ = std::fs::remove_file(&report);
    run_cmd(&mut cmd).map_err(|err| {
        let failed = std::fs::read_to_string(&report).map(|tap| failed_tests(&tap)).unwrap_or_default();
        if failed.is_empty() { err } else { anyhow!("{} failed: {}", plural(failed.len()), failed.join("; ")) }
    })
}

fn plural(n: usize) -> String {
    if n == 1 { "1 test".to_owned() } else { format!("{n} tests") }
}

/// The failed tests in a TAP report from Node's runner, as "file › test" where its YAML block
/// gives a `location` (else the name alone; a file that failed to load is named by its path).
/// A test failed only through its subtests is left out: they are named themselves; one
/// cancelled with its parent (a timeout, a crash) is marked so.
fn failed_tests(tap: &str) -> Vec<String> {
    let lines: Vec<&str> = tap.lines().collect();
    let mut failed = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((_, name)) = line.trim_start().strip_prefix("not ok ").and_then(|rest| rest.split_once(" - ")) else {
            continue;
        };
        let name = unescape(name);
        let yaml = if lines.get(i + 1).map(|l| l.trim()) == Some("---") { &lines[i + 2..] } else { &[][..] };
        let block = yaml.iter().map(|l| l.trim()).take_while(|l| *l != "...");
        let (mut file, mut only_subtests, mut cancelled) = (None, false, false);
        for entry in block {
            if let Some(location) = entry.strip_prefix("location: ") {
                file = file_name(location.trim_matches('\'').rsplitn(3, ':').last().unwrap_or_default());
            }
            only_subtests |= entry == "failureType: 'subtestsFailed'";
            cancelled |= entry == "failureType: 'cancelledByParent'";
        }
        let named = match file {
            _ if only_subtests => continue,
            Some(file) if file != file_name(&name).unwrap_or_default() => format!("{file} › {name}"),
            _ => file_name(&name).unwrap_or(name),
        };
        failed.push(if cancelled { format!("{named} (cancelled)") } else { named });
    }
    failed
}

/// A test's name as Node's TAP reporter escapes it (`\\`, `\#`, `\n` and the like) made plain.
fn unescape(name: &str) -> String {
    let mut plain = String::with_capacity(name.len());
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        plain.push(if c != '\\' {
            c
        } else {
            match chars.next() {
                Some('n' | 'r' | 't') => ' ',
                Some(escaped) => escaped,
                None => c,
            }
        });
    }
    plain
}

/// The last part of `path`, when it is a path at all.
fn file_name(path: &str) -> Option<String> {
    path.contains('/').then(|| Path::new(path).file_name().map(|f| f.to_string_lossy().into_owned())).flatten()
}

#[cfg(test)]
mod tests {
    use super::failed_tests;

    #[test]
    fn names_each_failed_test_with_its_file_and_a_file_that_failed_to_load() {
        let tap = "TAP version 13\n\
            # Subtest: passes\nok 1 - passes\n  ---\n  duration_ms: 3.5\n  ...\n\
            # Subtest: the reload happens once\nnot ok 2 - the reload happens once\n  ---\n  duration_ms: 9\n\
            \x20 location: '/repo/tests/e2e/threads.test.mjs:38:1'\n  failureType: 'testCodeFailure'\n  ...\n\
            \x20   not ok 1 - an inner check\n      ---\n      location: '/repo/tests/e2e/a.test.mjs:9:5'\n      ...\n\
            not ok 3 - outer\n  ---\n  location: '/repo/tests/e2e/a.test.mjs:8:1'\n  failureType: 'subtestsFailed'\n  ...\n\
            not ok 4 - /repo/tests/e2e/broken.test.mjs\n  ---\n  location: '/repo/tests/e2e/broken.test.mjs:1:1'\n  ...\n\
            not ok 5 - no location\n\
            not ok 6 - a \\# hash and a \\\\ backslash\n  ---\n  location: '/repo/tests/e2e/b.test.mjs:3:1'\n\
            \x20 failureType: 'cancelledByParent'\n  ...\n1..6\n";
        assert_eq!(
            failed_tests(tap),
            [
                "threads.test.mjs › the reload happens once",
                "a.test.mjs › an inner check",
                "broken.test.mjs",
                "no location",
                "b.test.mjs › a # hash and a \\ backslash (cancelled)"
            ]
        );
    }

    #[test]
    fn a_passing_report_names_nothing() {
        assert!(failed_tests("TAP version 13\nok 1 - x\n  ---\n  duration_ms: 1\n  ...\n1..1\n").is_empty());
    }
}
