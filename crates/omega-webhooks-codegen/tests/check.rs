//! `--check` fails when a generated file is edited by hand, missing, or joined by a stray file.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Output},
};

/// What codegen reads: the fixtures it copies into the mock crate, and the sources and
/// hand-written files of the release surfaces (the platform list, the version, the files with
/// generated regions).
const INPUTS: [&str; 9] = [
    "fixtures/lists/wire/list-example.json",
    "fixtures/events/wire/details-example.json",
    "release/targets.json",
    "Cargo.toml",
    "package.json",
    "package-lock.json",
    ".github/workflows/release.yml",
    "bindings/node/addon.js",
    "README.md",
];

/// A fresh folder standing in for the repository root, with what codegen reads.
fn scratch_root() -> PathBuf {
    let root = std::env::temp_dir().join(format!(
        "omega-codegen-check-{}-{:?}",
        std::process::id(),
        std::time::SystemTime::now()
    ));
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for fixture in INPUTS {
        let path = root.join(fixture);
        fs::create_dir_all(path.parent().expect("a folder")).expect("scratch root");
        fs::copy(repo.join(fixture), path).expect("fixture copied");
    }
    root
}

fn codegen(root: &Path, check: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_omega-webhooks-codegen"));
    command.arg("--root").arg(root);
    if check {
        command.arg("--check");
    }
    command.output().expect("codegen runs")
}

#[test]
fn check_fails_on_hand_edits_missing_and_stray_files() {
    let root = scratch_root();
    assert!(codegen(&root, false).status.success());
    assert!(
        codegen(&root, true).status.success(),
        "freshly written files pass"
    );

    for edited in [
        "bindings/node/errors.js",
        "bindings/python/python/omega_webhooks/_errors.py",
        "bindings/node/literals.d.ts",
        "bindings/node/normalize.js",
        "crates/omega-webhooks-client/src/taxonomy.md",
        "schemas/event.schema.json",
        "crates/omega-webhooks-cli/schemas/openapi.json",
        "crates/omega-webhooks-mock/data/list-example.json",
    ] {
        let path = root.join(edited);
        let original = fs::read_to_string(&path).expect("generated");
        fs::write(&path, format!("{original} ")).expect("edit");
        let out = codegen(&root, true);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "a hand edit of {edited} passed");
        assert!(
            stderr.contains(&format!("{edited} is out of date")),
            "{stderr}"
        );
        fs::write(&path, original).expect("restore");
    }

    fs::remove_file(root.join("bindings/node/errors.d.ts")).expect("remove");
    let out = codegen(&root, true);
    assert!(String::from_utf8_lossy(&out.stderr).contains("bindings/node/errors.d.ts is missing"));
    assert!(codegen(&root, false).status.success());

    fs::write(root.join("schemas/extra.schema.json"), "{}").expect("stray");
    let out = codegen(&root, true);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("schemas/extra.schema.json is not generated")
    );

    // A fixture that changes makes the mock's copy out of date.
    fs::remove_file(root.join("schemas/extra.schema.json")).expect("remove stray");
    fs::write(root.join(INPUTS[1]), "[]").expect("fixture edited");
    let out = codegen(&root, true);
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("crates/omega-webhooks-mock/data/details-example.json is out of date"));
    fs::remove_dir_all(&root).expect("clean up");
}
