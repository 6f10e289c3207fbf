//! Helpers shared by the CLI's integration tests: the binary, the mock as a process, fixtures.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::{
    fs,
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, ChildStdout, Command as StdCommand, Stdio},
    time::{Duration, Instant},
};

use assert_cmd::Command;
use serde_json::Value;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fixture as JSON.
pub fn read_json(relative: &str) -> Value {
    serde_json::from_slice(&fs::read(root().join(relative)).expect("fixture")).expect("JSON")
}

/// The binary with a clean environment for the variables it reads.
pub fn cli() -> Command {
    let mut cmd = Command::cargo_bin("omega-webhooks").expect("binary built");
    cmd.env_remove("OMEGA_API_KEY")
        .env_remove("OMEGA_BASE_URL")
        .env_remove("OMEGA_LOG");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// The JSON a successful run printed (fails the test, showing stderr, if the run failed).
pub fn stdout_json(output: &std::process::Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// An `omega-webhooks mock` (or `receive`) process, stopped with SIGTERM on drop.
pub struct MockProcess {
    child: Child,
    stdout: BufReader<ChildStdout>,
    /// The server's URL (the mock's base URL; the receiver's URL with its path).
    pub url: String,
}

impl MockProcess {
    /// `omega-webhooks mock ARGS`.
    pub fn start(args: &[&str]) -> MockProcess {
        let mock = MockProcess::serve("mock", args);
        assert!(
            mock.url["http://127.0.0.1:".len()..].parse::<u16>().is_ok(),
            "the mock's ready line must be exactly `listening on http://HOST:PORT`: {}",
            mock.url
        );
        mock
    }

    /// `omega-webhooks SUBCOMMAND ARGS`, once it printed `listening on http://127.0.0.1:…`.
    pub fn serve(subcommand: &str, args: &[&str]) -> MockProcess {
        let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("omega-webhooks"))
            .arg(subcommand)
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("server starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("ready line");
        let url = line
            .trim_end()
            .strip_prefix("listening on ")
            .filter(|url| url.starts_with("http://127.0.0.1:"))
            .unwrap_or_else(|| panic!("ready line: {line:?}"))
            .to_owned();
        MockProcess { child, stdout, url }
    }

    /// The next line the process printed (without its newline).
    pub fn next_line(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("a line");
        line.trim_end().to_owned()
    }

    /// What the process printed on stderr, once it has exited.
    pub fn stderr(&mut self) -> String {
        use std::io::Read;
        let mut text = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            let _ = stderr.read_to_string(&mut text);
        }
        text
    }

    /// Sends SIGTERM and waits (at most 5 s) for the exit.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        self.stop_with("-TERM")
    }

    /// Sends SIGINT (Ctrl-C) and waits (at most 5 s) for the exit.
    pub fn interrupt(&mut self) -> std::process::ExitStatus {
        self.stop_with("-INT")
    }

    fn stop_with(&mut self, signal: &str) -> std::process::ExitStatus {
        StdCommand::new("kill")
            .arg(signal)
            .arg(self.child.id().to_string())
            .status()
            .expect("kill");
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not stop on {signal}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn script(&self, steps: &str) {
        post(&self.url, "/__mock/script", steps);
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP POST over a TcpStream (for the admin API).
pub fn post(url: &str, path: &str, body: &str) {
    admin(url, "POST", path, body);
}

/// A minimal HTTP request over a TcpStream (for the admin API): the body of its 200 answer.
pub fn admin(url: &str, method: &str, path: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let addr = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    write!(stream, "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
        .expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "admin {method} {path} failed: {answer}"
    );
    answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default()
}

/// One run's exit code and its stderr.
pub fn code_and_stderr(cmd: &mut Command) -> (Option<i32>, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
