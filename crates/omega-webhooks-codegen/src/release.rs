//! The release surfaces, written from two sources: the platform list `release/targets.json`
//! and the workspace version in `Cargo.toml`. Codegen owns the regions between
//! `codegen:NAME:begin` and `codegen:NAME:end` markers in hand-written files — the release
//! workflow's matrix, the Node loader's list of prebuilt platforms, the README's platform table
//! — and the version and napi targets of `package.json` and `package-lock.json`. `--set-version`
//! changes the workspace version (and the versions of its path dependencies) in `Cargo.toml`.

use std::{fs, path::Path};

use serde::Deserialize;
use serde_json::Value;

use crate::files::GeneratedFile;

/// The platform list.
pub(crate) const TARGETS_PATH: &str = "release/targets.json";

/// One platform of a release.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Target {
    /// The Rust target triple.
    rust: String,
    /// napi-rs' name of the platform (`linux-x64-gnu`): the npm platform package's suffix.
    npm: String,
    /// The platform in words, for the README.
    platform: String,
    /// The CI service's runner that builds (and tests) it.
    runner: String,
    /// maturin's `--compatibility`/`manylinux` for its wheel (`auto` off Linux).
    wheel: String,
    /// Whether `make dist` builds and `make test` tests it on this machine.
    built_here: bool,
}

#[derive(Deserialize)]
struct Targets {
    #[serde(rename = "$comment")]
    _comment: String,
    targets: Vec<Target>,
}

/// Every file codegen writes from the platform list and the version.
pub(crate) fn files(root: &Path) -> Result<Vec<GeneratedFile>, String> {
    let targets: Targets = serde_json::from_str(&read(root, TARGETS_PATH)?)
        .map_err(|e| format!("{TARGETS_PATH}: {e}"))?;
    let targets = &targets.targets;
    let version = workspace_version(root)?;
    let mut files = Vec::new();
    let mut region_file = |path: &str, regions: &[(&str, Vec<String>)]| -> Result<(), String> {
        let mut text = read(root, path)?;
        for (name, lines) in regions {
            text = with_region(&text, name, lines).map_err(|e| format!("{path}: {e}"))?;
        }
        files.push(GeneratedFile {
            path: path.into(),
            contents: text,
        });
        Ok(())
    };
    region_file(
        ".github/workflows/release.yml",
        &[("targets", workflow_matrix(targets))],
    )?;
    region_file(
        "bindings/node/addon.js",
        &[("prebuilt", loader_list(targets))],
    )?;
    region_file("README.md", &[("platforms", readme_table(targets))])?;
    files.push(package_json(root, &version, targets)?);
    files.push(package_lock(root, &version)?);
    Ok(files)
}

/// The workspace version (`[workspace.package] version` of the root `Cargo.toml`).
pub(crate) fn workspace_version(root: &Path) -> Result<String, String> {
    let manifest: toml_edit::DocumentMut = read(root, "Cargo.toml")?
        .parse()
        .map_err(|e| format!("Cargo.toml: {e}"))?;
    manifest["workspace"]["package"]["version"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| "Cargo.toml has no [workspace.package] version".to_owned())
}

/// Sets the workspace version, and the version of every path dependency of the workspace, in
/// the root `Cargo.toml` (its formatting kept); the other files follow from codegen.
pub(crate) fn set_version(root: &Path, version: &str) -> Result<(), String> {
    let valid = version.split('.').count() == 3
        && version
            .split(['.', '-', '+'])
            .next()
            .is_some_and(|major| major.parse::<u64>().is_ok());
    if !valid {
        return Err(format!("{version:?} is not a version such as 0.1.1"));
    }
    let mut manifest: toml_edit::DocumentMut = read(root, "Cargo.toml")?
        .parse()
        .map_err(|e| format!("Cargo.toml: {e}"))?;
    manifest["workspace"]["package"]["version"] = toml_edit::value(version);
    if let Some(dependencies) = manifest["workspace"]["dependencies"].as_table_like_mut() {
        for (_, dependency) in dependencies.iter_mut() {
            if let Some(table) = dependency.as_table_like_mut() {
                if table.contains_key("path") {
                    table.insert("version", toml_edit::value(version));
                }
            }
        }
    }
    fs::write(root.join("Cargo.toml"), manifest.to_string())
        .map_err(|e| format!("cannot write Cargo.toml: {e}"))
}

/// The release workflow's build matrix: one entry per target.
fn workflow_matrix(targets: &[Target]) -> Vec<String> {
    targets
        .iter()
        .map(|t| {
            format!(
                "- {{ rust: {}, npm: {}, runner: {}, wheel: {} }}",
                t.rust, t.npm, t.runner, t.wheel
            )
        })
        .collect()
}

/// The loader's list of the platforms with a prebuilt package.
fn loader_list(targets: &[Target]) -> Vec<String> {
    let names: Vec<String> = targets.iter().map(|t| format!("'{}'", t.npm)).collect();
    vec![format!("const PREBUILT = [{}];", names.join(", "))]
}

/// The README's table: per platform, what is built and tested where.
fn readme_table(targets: &[Target]) -> Vec<String> {
    let mut lines = vec![
        "| platform | Rust target | npm platform package | built and tested |".to_owned(),
        "|---|---|---|---|".to_owned(),
    ];
    for t in targets {
        let how = if t.built_here {
            "built and tested here (`make dist`, `make test`); built and tested (Rust, Python, Node suites) by the release workflow on `RUNNER`"
        } else if t.rust.contains("musl") {
            "built by the release workflow on `RUNNER` (the Rust suite on the runner; the wheel imported in Alpine); not run here"
        } else {
            "built and tested (Rust, Python, Node suites) by the release workflow on `RUNNER`; not run here"
        };
        lines.push(format!(
            "| {} | `{}` | `omega-webhooks-{}` | {} |",
            t.platform,
            t.rust,
            t.npm,
            how.replace("RUNNER", &t.runner)
        ));
    }
    lines
}

/// `package.json` with the workspace version and every target in `napi.targets`.
fn package_json(root: &Path, version: &str, targets: &[Target]) -> Result<GeneratedFile, String> {
    let path = "package.json";
    let text = read(root, path)?;
    let text = with_line(&text, "  \"version\": ", &format!("\"{version}\","), 0)?;
    let lines: Vec<String> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let comma = if i + 1 < targets.len() { "," } else { "" };
            format!("      \"{}\"{comma}", t.rust)
        })
        .collect();
    let text = with_block(&text, "    \"targets\": [", "    ]", &lines)?;
    let parsed: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let wanted: Vec<&str> = targets.iter().map(|t| t.rust.as_str()).collect();
    if parsed["version"] != version || parsed["napi"]["targets"] != serde_json::json!(wanted) {
        return Err(format!(
            "{path}: its version and napi.targets are not where codegen writes them"
        ));
    }
    Ok(GeneratedFile {
        path: path.into(),
        contents: text,
    })
}

/// `package-lock.json` with the workspace version as the root package's.
fn package_lock(root: &Path, version: &str) -> Result<GeneratedFile, String> {
    let path = "package-lock.json";
    let text = read(root, path)?;
    let value = format!("\"{version}\",");
    let text = with_line(&text, "  \"version\": ", &value, 0)?;
    let root_package = text
        .find("\n    \"\": {")
        .ok_or_else(|| format!("{path}: no root package"))?;
    let text = with_line(&text, "      \"version\": ", &value, root_package)?;
    let parsed: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    if parsed["version"] != version || parsed["packages"][""]["version"] != version {
        return Err(format!(
            "{path}: its versions are not where codegen writes them"
        ));
    }
    Ok(GeneratedFile {
        path: path.into(),
        contents: text,
    })
}

/// `text` with the first line at or after byte `from` that starts with `prefix` ending in
/// `value` instead.
fn with_line(text: &str, prefix: &str, value: &str, from: usize) -> Result<String, String> {
    let start = text[from..]
        .find(&format!("\n{prefix}"))
        .map(|at| from + at + 1)
        .ok_or_else(|| format!("no line starting with {prefix:?}"))?;
    let end = text[start..].find('\n').map_or(text.len(), |at| start + at);
    Ok(format!("{}{prefix}{value}{}", &text[..start], &text[end..]))
}

/// `text` with the lines between the line `open` and the next line `close` replaced by
/// `lines`.
fn with_block(text: &str, open: &str, close: &str, lines: &[String]) -> Result<String, String> {
    let mut out = Vec::new();
    let mut rest = text.split('\n');
    for line in rest.by_ref() {
        out.push(line.to_owned());
        if line == open {
            break;
        }
    }
    if out.last().map(String::as_str) != Some(open) {
        return Err(format!("no line {open:?}"));
    }
    out.extend(lines.iter().cloned());
    let mut closed = false;
    for line in rest {
        if !closed && line == close {
            closed = true;
        }
        if closed {
            out.push(line.to_owned());
        }
    }
    if !closed {
        return Err(format!("no line {close:?} after {open:?}"));
    }
    Ok(out.join("\n"))
}

/// `text` with the lines between the markers `codegen:NAME:begin` and `codegen:NAME:end`
/// replaced by `lines`, each indented as the begin marker is.
fn with_region(text: &str, name: &str, lines: &[String]) -> Result<String, String> {
    let (begin, end) = (
        format!("codegen:{name}:begin"),
        format!("codegen:{name}:end"),
    );
    let all: Vec<&str> = text.split('\n').collect();
    let first = all
        .iter()
        .position(|l| l.contains(&begin))
        .ok_or_else(|| format!("no {begin} marker"))?;
    let last = all[first..]
        .iter()
        .position(|l| l.contains(&end))
        .map(|at| first + at)
        .ok_or_else(|| format!("no {end} marker after {begin}"))?;
    let indent: String = all[first]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    let mut out: Vec<String> = all[..=first].iter().map(|l| (*l).to_owned()).collect();
    out.extend(lines.iter().map(|l| format!("{indent}{l}")));
    out.extend(all[last..].iter().map(|l| (*l).to_owned()));
    Ok(out.join("\n"))
}

/// The file at `path` under `root`.
fn read(root: &Path, path: &str) -> Result<String, String> {
    fs::read_to_string(root.join(path)).map_err(|e| format!("cannot read {path}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_blocks_and_lines_are_replaced_in_place() {
        let text = "a\n  # codegen:x:begin\n  old\n  # codegen:x:end\nb";
        let lines = ["one".to_owned(), "two".to_owned()];
        assert_eq!(
            with_region(text, "x", &lines).ok().as_deref(),
            Some("a\n  # codegen:x:begin\n  one\n  two\n  # codegen:x:end\nb")
        );
        assert!(with_region("a\n", "x", &lines).is_err());
        let json = "{\n  \"version\": \"0.1.0\",\n  \"t\": [\n    1\n  ]\n}";
        assert_eq!(
            with_line(json, "  \"version\": ", "\"0.2.0\",", 0)
                .ok()
                .as_deref(),
            Some("{\n  \"version\": \"0.2.0\",\n  \"t\": [\n    1\n  ]\n}")
        );
        assert_eq!(
            with_block(json, "  \"t\": [", "  ]", &["    2".to_owned()])
                .ok()
                .as_deref(),
            Some("{\n  \"version\": \"0.1.0\",\n  \"t\": [\n    2\n  ]\n}")
        );
    }
}
