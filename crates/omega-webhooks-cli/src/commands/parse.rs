//! `parse [FILE|-]`: validate an incoming webhook body, print its normalized JSON.

use std::{fs::File, io::Read, path::Path};

use omega_webhooks_client::{types::ParseError, Error, DEFAULT_MAX_RESPONSE_BYTES};

use crate::{command_error::CommandError, render};

pub(crate) fn run(file: Option<&Path>) -> Result<(), CommandError> {
    let body = match file {
        None => read_capped(std::io::stdin(), "standard input")?,
        Some(path) if path == Path::new("-") => read_capped(std::io::stdin(), "standard input")?,
        Some(path) => {
            let unreadable = |e: std::io::Error| {
                CommandError::usage(format!("cannot read {}: {e}", path.display()))
            };
            read_capped(
                File::open(path).map_err(unreadable)?,
                &path.display().to_string(),
            )?
        }
    };
    let event = omega_webhooks_client::parse_event(&body)?;
    render::json(&event)
}

/// Reads a body of at most the client's response cap: a larger one (`/dev/zero`, a wrong
/// file) is a `WebhookPayloadError`, never an out-of-memory.
fn read_capped(source: impl Read, name: &str) -> Result<Vec<u8>, CommandError> {
    let mut body = Vec::new();
    source
        .take(DEFAULT_MAX_RESPONSE_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| CommandError::usage(format!("cannot read {name}: {e}")))?;
    if body.len() > DEFAULT_MAX_RESPONSE_BYTES {
        let reason = format!("the body is larger than the {DEFAULT_MAX_RESPONSE_BYTES}-byte cap");
        return Err(Error::from(ParseError::whole_body(reason)).into());
    }
    Ok(body)
}
