//! `schema [NAME]`: the generated JSON Schemas, embedded at build time from the crate's copy of
//! `schemas/` (`crates/omega-webhooks-cli/schemas/`, written and checked by codegen).

use crate::command_error::CommandError;

/// Name, file and content of every schema, in the order `schema` lists them.
const SCHEMAS: [(&str, &str, &str); 9] = [
    (
        "event",
        "event.schema.json",
        include_str!("../../schemas/event.schema.json"),
    ),
    (
        "event-list",
        "event-list.schema.json",
        include_str!("../../schemas/event-list.schema.json"),
    ),
    (
        "event-type",
        "event-type.schema.json",
        include_str!("../../schemas/event-type.schema.json"),
    ),
    (
        "video",
        "video.schema.json",
        include_str!("../../schemas/video.schema.json"),
    ),
    (
        "event.normalized",
        "event.normalized.schema.json",
        include_str!("../../schemas/event.normalized.schema.json"),
    ),
    (
        "event-list.normalized",
        "event-list.normalized.schema.json",
        include_str!("../../schemas/event-list.normalized.schema.json"),
    ),
    (
        "video.normalized",
        "video.normalized.schema.json",
        include_str!("../../schemas/video.normalized.schema.json"),
    ),
    (
        "delivery-stats",
        "delivery-stats.schema.json",
        include_str!("../../schemas/delivery-stats.schema.json"),
    ),
    (
        "openapi",
        "openapi.json",
        include_str!("../../schemas/openapi.json"),
    ),
];

pub(crate) fn run(name: Option<&str>) -> Result<(), CommandError> {
    let Some(name) = name else {
        for (name, file, _) in SCHEMAS {
            anstream::println!("{name:<22} schemas/{file}");
        }
        return Ok(());
    };
    let (_, _, content) = SCHEMAS.iter().find(|(n, _, _)| *n == name).ok_or_else(|| {
        let names: Vec<_> = SCHEMAS.iter().map(|(n, _, _)| *n).collect();
        CommandError::usage(format!(
            "no schema named {name:?}; choose one of: {}",
            names.join(", ")
        ))
    })?;
    anstream::print!("{content}");
    Ok(())
}
