//! Fuzzing over mutated fixtures: 20,000 inputs (`OMEGA_FUZZ_INPUTS` for more, as `make fuzz`
//! does) made by changing one value, key or byte of a real event (`support/mutate.rs`).
//! `parse_event` never panics, every event it accepts parses again from its own JSON to an
//! equal value, and `normalize_event` writes exactly the JSON of what `parse_event` returns (or
//! fails as it does).

mod support {
    pub mod mutate;
}

use omega_webhooks_types::{normalize_event, parse_event};

#[test]
fn mutated_fixtures_never_panic_and_accepted_events_round_trip() {
    let (mut inputs, mut accepted, mut refused) = (0, 0, 0);
    for bytes in support::mutate::inputs(20_000) {
        inputs += 1;
        let parsed = parse_event(&bytes);
        assert_eq!(
            normalize_event(&bytes),
            parsed
                .as_ref()
                .map(|event| serde_json::to_string(event).expect("serializes"))
                .map_err(Clone::clone),
            "normalize_event and parse_event disagree on {}",
            String::from_utf8_lossy(&bytes)
        );
        match parsed {
            Ok(event) => {
                accepted += 1;
                let again = serde_json::to_vec(&event).expect("serializes");
                let reparsed = parse_event(&again).unwrap_or_else(|e| {
                    panic!("{e}: own JSON refused: {}", String::from_utf8_lossy(&again))
                });
                assert_eq!(reparsed, event, "{}", String::from_utf8_lossy(&bytes));
            }
            Err(_) => refused += 1,
        }
    }
    println!("{inputs} inputs: {accepted} accepted, {refused} refused");
    assert!(
        accepted > inputs / 20 && refused > inputs / 20,
        "{accepted} / {refused}"
    );
}
