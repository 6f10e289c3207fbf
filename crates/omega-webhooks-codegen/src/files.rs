//! The set of generated files, and writing or checking them on disk.

use std::{
    fs,
    path::{Path, PathBuf},
};

use serde_json::Value;

use crate::{errors, node, node_normalize, openapi, python, release, schemas};

/// Folders whose every file is generated: a file there that codegen does not write is stale.
const GENERATED_DIRS: &[&str] = &["schemas", CLI_SCHEMAS, MOCK_DATA];
/// The CLI's copy of the schemas (`omega-webhooks schema`), inside its crate so that the crate
/// packages on its own.
const CLI_SCHEMAS: &str = "crates/omega-webhooks-cli/schemas";
/// The mock's copy of the documented examples it serves, inside its crate (same reason).
const MOCK_DATA: &str = "crates/omega-webhooks-mock/data";
/// The provider's documented list body: the mock serves it, OpenAPI shows it.
const LIST_EXAMPLE: &str = "fixtures/lists/wire/list-example.json";
/// The provider's documented details body: the mock serves it, OpenAPI shows it.
const DETAILS_EXAMPLE: &str = "fixtures/events/wire/details-example.json";
/// The fixtures the mock serves, copied into [`MOCK_DATA`] under the same file names.
const MOCK_FIXTURES: &[&str] = &[LIST_EXAMPLE, DETAILS_EXAMPLE];
/// The hand-written files those folders may hold.
const HAND_WRITTEN: &[&str] = &["schemas/README.md"];

/// One generated file: its path relative to the repository root, and its full contents.
pub(crate) struct GeneratedFile {
    pub(crate) path: PathBuf,
    pub(crate) contents: String,
}

/// Every file codegen writes, in a stable order; the copies of fixtures are read from `root`.
pub(crate) fn all(root: &Path) -> Result<Vec<GeneratedFile>, String> {
    let mut files: Vec<GeneratedFile> = schemas::all()
        .into_iter()
        .map(|(name, schema)| json_file(format!("schemas/{name}.schema.json"), &schema))
        .collect();
    let examples = openapi::Examples {
        list: json_fixture(root, LIST_EXAMPLE)?,
        details: json_fixture(root, DETAILS_EXAMPLE)?,
    };
    files.push(json_file(
        "schemas/openapi.json".to_owned(),
        &openapi::document(&release::workspace_version(root)?, examples),
    ));
    let cli_copies: Vec<GeneratedFile> = files
        .iter()
        .map(|file| GeneratedFile {
            path: Path::new(CLI_SCHEMAS).join(file.path.file_name().unwrap_or_default()),
            contents: file.contents.clone(),
        })
        .collect();
    files.extend(cli_copies);
    for fixture in MOCK_FIXTURES {
        let contents = read_fixture(root, fixture)?;
        files.push(GeneratedFile {
            path: Path::new(MOCK_DATA).join(Path::new(fixture).file_name().unwrap_or_default()),
            contents,
        });
    }
    for (path, contents) in [
        (python::ENUMS_PATH, python::enums()),
        (errors::RUST_TREE_PATH, errors::rust_tree()),
        (errors::PYTHON_PATH, errors::python()),
        (errors::NODE_PATH, errors::node()),
        (errors::NODE_TYPES_PATH, errors::node_types()),
        (node::LITERALS_PATH, node::literals()),
        (
            node_normalize::NORMALIZE_PATH,
            node_normalize::normalize_js()?,
        ),
    ] {
        files.push(GeneratedFile {
            path: path.into(),
            contents,
        });
    }
    files.extend(release::files(root)?);
    Ok(files)
}

/// The text of the fixture at `path` under `root`.
fn read_fixture(root: &Path, path: &str) -> Result<String, String> {
    fs::read_to_string(root.join(path)).map_err(|e| format!("cannot read {path}: {e}"))
}

/// The fixture at `path` under `root`, as JSON.
fn json_fixture(root: &Path, path: &str) -> Result<Value, String> {
    serde_json::from_str(&read_fixture(root, path)?).map_err(|e| format!("{path}: {e}"))
}

/// Pretty JSON with sorted keys (serde_json's default map) and a trailing newline.
fn json_file(path: String, value: &Value) -> GeneratedFile {
    let mut contents = serde_json::to_string_pretty(value).expect("a JSON value always serializes");
    contents.push('\n');
    GeneratedFile {
        path: path.into(),
        contents,
    }
}

/// Writes every generated file under `root`, and removes stale files from generated folders.
pub(crate) fn write(root: &Path, files: &[GeneratedFile]) -> Result<(), String> {
    for file in files {
        let path = root.join(&file.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        if fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
            fs::write(&path, &file.contents)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            println!("wrote {}", file.path.display());
        }
    }
    for stale in stale_files(root, files)? {
        fs::remove_file(root.join(&stale))
            .map_err(|e| format!("cannot remove {}: {e}", stale.display()))?;
        println!("removed stale {}", stale.display());
    }
    Ok(())
}

/// Fails, naming each file, if any generated file is missing, different or stale.
pub(crate) fn check(root: &Path, files: &[GeneratedFile]) -> Result<(), String> {
    let mut problems = Vec::new();
    for file in files {
        match fs::read_to_string(root.join(&file.path)) {
            Ok(on_disk) if on_disk == file.contents => {}
            Ok(_) => problems.push(format!("{} is out of date", file.path.display())),
            Err(_) => problems.push(format!("{} is missing", file.path.display())),
        }
    }
    for stale in stale_files(root, files)? {
        problems.push(format!(
            "{} is not generated by codegen (stale?)",
            stale.display()
        ));
    }
    if problems.is_empty() {
        println!("codegen: {} generated files up to date", files.len());
        Ok(())
    } else {
        Err(format!(
            "codegen drift:\n  {}\nRun `make codegen` and commit the result.",
            problems.join("\n  ")
        ))
    }
}

/// Files in the generated folders that codegen does not write.
fn stale_files(root: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>, String> {
    let mut stale = Vec::new();
    for dir in GENERATED_DIRS {
        let Ok(entries) = fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot list {dir}: {e}"))?;
            let relative = Path::new(dir).join(entry.file_name());
            if !files.iter().any(|f| f.path == relative)
                && !HAND_WRITTEN.iter().any(|h| Path::new(h) == relative)
            {
                stale.push(relative);
            }
        }
    }
    stale.sort();
    Ok(stale)
}
