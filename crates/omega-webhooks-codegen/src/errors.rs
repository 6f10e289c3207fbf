//! The error taxonomy in every language, from `ErrorKind` (the client crate): the tree in the
//! Rust docs, the Python exception classes, the Node error classes and their declarations.
//! The base class `OmegaError` (its fields and constructor) is hand-written next to each
//! generated file: `_error_base.py`, `error-base.js`, `error-base.d.ts`.

use std::fmt::Write;

use omega_webhooks_client::ErrorKind;

use crate::GENERATED_NOTICE;

/// The tree, included in the docs of the Rust `Error`.
pub(crate) const RUST_TREE_PATH: &str = "crates/omega-webhooks-client/src/taxonomy.md";
/// The Python exception classes.
pub(crate) const PYTHON_PATH: &str = "bindings/python/python/omega_webhooks/_errors.py";
/// The Node error classes.
pub(crate) const NODE_PATH: &str = "bindings/node/errors.js";
/// Their TypeScript declarations.
pub(crate) const NODE_TYPES_PATH: &str = "bindings/node/errors.d.ts";

/// The root class, hand-written in each language.
const ROOT: &str = "OmegaError";

/// Every class name, the root first, parents before children.
fn class_names() -> Vec<&'static str> {
    std::iter::once(ROOT)
        .chain(ErrorKind::ALL.iter().map(|k| k.class_name()))
        .collect()
}

/// The taxonomy as an ASCII tree, each class with its description.
fn tree() -> String {
    fn rows(parent: &str, prefix: &str, out: &mut Vec<(String, &'static str)>) {
        let children: Vec<ErrorKind> = ErrorKind::ALL
            .into_iter()
            .filter(|k| k.parent_class_name() == parent)
            .collect();
        for (i, kind) in children.iter().enumerate() {
            let last = i + 1 == children.len();
            let branch = if last { "└── " } else { "├── " };
            out.push((
                format!("{prefix}{branch}{}", kind.class_name()),
                kind.description(),
            ));
            let deeper = format!("{prefix}{}", if last { "    " } else { "│   " });
            rows(kind.class_name(), &deeper, out);
        }
    }
    let mut lines = Vec::new();
    rows(ROOT, "", &mut lines);
    let width = lines
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let mut out = format!("{ROOT}\n");
    for (name, description) in lines {
        let pad = width - name.chars().count();
        let _ = writeln!(out, "{name}{}{description}", " ".repeat(pad));
    }
    out
}

/// `text` with `prefix` before every line (and nothing trailing on empty lines).
fn indented(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|line| format!("{prefix}{line}").trim_end().to_owned() + "\n")
        .collect()
}

/// `taxonomy.md`: the tree as a text block.
pub(crate) fn rust_tree() -> String {
    format!("<!-- {GENERATED_NOTICE} -->\n```text\n{}```\n", tree())
}

/// `_errors.py`.
pub(crate) fn python() -> String {
    let mut out = format!(
        "# {GENERATED_NOTICE}\n\"\"\"The exception classes: one taxonomy, the same names in Rust, Python and Node.\n\n::\n\n{}\nNo message or ``repr`` contains the API key.\n\"\"\"\n\nfrom __future__ import annotations\n\nfrom ._error_base import OmegaError\n\n__all__ = [\n",
        indented(&tree(), "    ")
    );
    for name in class_names() {
        let _ = writeln!(out, "    {name:?},");
    }
    out.push_str("]\n");
    for kind in ErrorKind::ALL {
        let _ = write!(
            out,
            "\n\nclass {}({}):\n    \"\"\"{}\"\"\"\n",
            kind.class_name(),
            kind.parent_class_name(),
            kind.description()
        );
        if kind == ErrorKind::Status {
            // A status error always has a status and a body: typed so in every subclass.
            out.push_str("\n    status: int\n    body: str\n");
        }
    }
    out
}

/// `errors.js`.
pub(crate) fn node() -> String {
    let mut out = format!(
        "// {GENERATED_NOTICE}\n'use strict';\n// The error classes: one taxonomy, the same names in Rust, Python and Node.\n//\n{}//\n// No message or inspection output contains the API key.\n\nconst {{ OmegaError }} = require('./error-base.js');\n\n",
        indented(&tree(), "// ")
    );
    for kind in ErrorKind::ALL {
        let _ = writeln!(
            out,
            "/** {} */\nclass {} extends {} {{}}",
            kind.description(),
            kind.class_name(),
            kind.parent_class_name()
        );
    }
    // An object literal of names, which Node's ESM loader reads statically (index.mjs
    // re-exports it with `export *`).
    out.push_str("\nmodule.exports = {\n");
    for name in class_names() {
        let _ = writeln!(out, "  {name},");
    }
    out.push_str("};\n");
    out
}

/// `errors.d.ts`.
pub(crate) fn node_types() -> String {
    let mut out = format!(
        "// {GENERATED_NOTICE}\n// The error classes of omega-webhooks (see error-base.d.ts for the fields).\n\nimport {{ OmegaError }} from './error-base.js';\n\nexport {{ OmegaError }};\n"
    );
    for kind in ErrorKind::ALL {
        let body = if kind == ErrorKind::Status {
            " {\n  /** HTTP status of the answer. */\n  readonly status: number;\n  /** Response body (truncated). */\n  readonly body: string;\n}"
        } else {
            " {}"
        };
        let _ = writeln!(
            out,
            "/** {} */\nexport declare class {} extends {}{body}",
            kind.description(),
            kind.class_name(),
            kind.parent_class_name()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_has_every_class_once_under_its_parent() {
        let tree = tree();
        for kind in ErrorKind::ALL {
            assert_eq!(
                tree.matches(&format!(" {} ", kind.class_name())).count(),
                1,
                "{tree}"
            );
        }
        assert!(tree.contains("├── APIConnectionError"), "{tree}");
        assert!(tree.contains("│   └── APITimeoutError"), "{tree}");
        assert!(tree.contains("└── WebhookPayloadError"), "{tree}");
    }
}
