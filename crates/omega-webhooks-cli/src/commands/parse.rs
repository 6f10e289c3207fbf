//! `parse [FILE|-]`: validate an incoming webhook body, print its normalized JSON.

use std::{io::Read, path::Path};

use crate::{failure::Failure, render};

pub(crate) fn run(file: Option<&Path>) -> Result<(), Failure> {
    let body = match file {
        None => read_stdin()?,
        Some(path) if path == Path::new("-") => read_stdin()?,
        Some(path) => std::fs::read(path)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?,
    };
    let event = omega_webhooks_client::parse_event(&body)?;
    render::json(&event);
    Ok(())
}

fn read_stdin() -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    std::io::stdin()
        .read_to_end(&mut body)
        .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
    Ok(body)
}
