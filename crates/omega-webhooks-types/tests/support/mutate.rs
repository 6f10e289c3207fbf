//! The fuzz tests' inputs: real events (`fixtures/events/wire`) with one or two values or keys
//! changed, and one in five with a byte cut, inserted or replaced. Shared by the fuzz tests of
//! the types crate (`parse_event`) and the receive crate (`Receiver::read`).

use std::{fs, path::Path};

use serde_json::{Map, Value};

/// `count` mutated bodies (`OMEGA_FUZZ_INPUTS` when set, as `make fuzz` does), the same ones on
/// every run.
pub fn inputs(count: usize) -> impl Iterator<Item = Vec<u8>> {
    let count = std::env::var("OMEGA_FUZZ_INPUTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(count);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/events/wire");
    let seeds: Vec<Value> = fs::read_dir(dir)
        .expect("fixtures")
        .map(|entry| {
            let bytes = fs::read(entry.expect("entry").path()).expect("read");
            serde_json::from_slice(&bytes).expect("fixture is JSON")
        })
        .collect();
    let mut rng = fastrand::Rng::with_seed(20261129);
    (0..count).map(move |_| {
        let mut value = seeds[rng.usize(0..seeds.len())].clone();
        for _ in 0..rng.usize(1..3) {
            mutate(&mut value, &mut rng);
        }
        let mut bytes = serde_json::to_vec(&value).expect("serializes");
        if rng.u8(0..5) == 0 {
            mutate_bytes(&mut bytes, &mut rng);
        }
        bytes
    })
}

/// Values that sit on the edges of what the models accept.
fn edge_value(rng: &mut fastrand::Rng) -> Value {
    let pick = rng.usize(0..16);
    match pick {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => Value::from(9_007_199_254_740_991_i64),
        3 => Value::from(9_007_199_254_740_992_i64),
        4 => Value::from(u64::MAX),
        5 => Value::from(i64::MIN),
        6 => Value::from(-1),
        7 => Value::from(1.5),
        8 => Value::from(1e308),
        9 => Value::from(""),
        10 => Value::from("0000-01-01T00:00:00Z"),
        11 => Value::from("9999-12-31T23:59:59-23:59"),
        12 => Value::from("2022-02-30T00:00:00Z"),
        13 => Value::Array(vec![Value::Null]),
        14 => Value::Object(Map::new()),
        _ => Value::from("video.never_heard_of"),
    }
}

/// Changes one value or key somewhere in `value`.
fn mutate(value: &mut Value, rng: &mut fastrand::Rng) {
    match value {
        Value::Object(map) if !map.is_empty() && rng.u8(0..4) != 0 => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = &keys[rng.usize(0..keys.len())];
            match rng.u8(0..6) {
                0 => {
                    map.remove(key);
                }
                1 => {
                    map.insert(format!("x_{}", rng.u16(..)), edge_value(rng));
                }
                2 => {
                    let moved = map.remove(key).unwrap_or(Value::Null);
                    map.insert(
                        if key == "coid" {
                            "ocid".into()
                        } else {
                            format!("{key}_")
                        },
                        moved,
                    );
                }
                _ => mutate(map.get_mut(key).expect("key exists"), rng),
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let at = rng.usize(0..items.len());
            mutate(&mut items[at], rng);
        }
        other => *other = edge_value(rng),
    }
}

/// Changes the text: a cut, an inserted or replaced byte.
fn mutate_bytes(bytes: &mut Vec<u8>, rng: &mut fastrand::Rng) {
    let at = rng.usize(0..bytes.len());
    match rng.u8(0..3) {
        0 => bytes.truncate(at),
        1 => bytes.insert(at, rng.u8(..)),
        _ => bytes[at] = rng.u8(..),
    }
}
